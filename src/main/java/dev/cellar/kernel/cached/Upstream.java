package dev.cellar.kernel.cached;

import dev.cellar.kernel.jshell.CodeTokens;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.jshell.JavaTokens;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jdk.jshell.ImportSnippet;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;

/**
 * What a cell body depends on in the session: the variables it reads and the methods, classes,
 * records and interfaces of earlier cells it uses, followed transitively through the sources of those
 * definitions (a body calling {@code simulate()} depends on {@code simulate}'s source and on the
 * variables {@code simulate} reads). Found by matching identifiers, so it over-approximates: a name
 * that merely coincides costs an extra miss, never a stale hit.
 */
final class Upstream {
    /** Variables read, sorted by name. */
    final Set<String> variables = new TreeSet<>();
    /** Definitions used, by code entry name ("method simulate(double,int)", "record Spike"), sorted. */
    final Map<String, String> definitions = new LinkedHashMap<>();

    private Upstream() {
    }

    /**
     * @param pieces the body's snippets in order
     * @param declared per piece, the snippets it would declare (from JShell's source analysis)
     */
    static Upstream of(List<JShellEvaluator.Piece> pieces, List<List<Snippet>> declared,
            Map<String, VarSnippet> sessionVars, List<MethodSnippet> methods, List<TypeDeclSnippet> types,
            List<ImportSnippet> imports) {
        Upstream u = new Upstream();
        Set<String> seen = new HashSet<>(); // every identifier of the body and of the definitions it uses
        Set<String> bodyDefinitions = new HashSet<>();
        for (List<Snippet> ds : declared) {
            for (Snippet s : ds) {
                if (s instanceof MethodSnippet m) {
                    bodyDefinitions.add(m.name());
                } else if (s instanceof TypeDeclSnippet t) {
                    bodyDefinitions.add(t.name());
                }
            }
        }
        Set<String> declaredSoFar = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        Set<Snippet> visited = new HashSet<>();
        Map<String, Set<Integer>> arities = new HashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            addArities(arities, pieces.get(i).source(), null);
            Set<String> ids = JavaTokens.identifiers(pieces.get(i).source());
            seen.addAll(ids);
            Set<String> own = new HashSet<>();
            for (Snippet s : declared.get(i)) {
                if (s instanceof VarSnippet v) {
                    own.add(v.name());
                }
            }
            for (String id : ids) {
                if (sessionVars.containsKey(id) && !declaredSoFar.contains(id) && !own.contains(id)) {
                    u.variables.add(id);
                }
                if (!bodyDefinitions.contains(id)) {
                    pending.add(id);
                }
            }
            declaredSoFar.addAll(own);
        }
        // Follow definitions transitively; their own reads of session variables count as well.
        Map<String, List<Snippet>> byName = new LinkedHashMap<>();
        for (MethodSnippet m : methods) {
            byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
        }
        for (TypeDeclSnippet t : types) {
            byName.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(t);
        }
        Map<String, String> found = new java.util.TreeMap<>();
        while (!pending.isEmpty()) {
            String id = pending.poll();
            for (Snippet s : byName.getOrDefault(id, List.of())) {
                if (visited.contains(s) || !mayBeCalled(s, byName.get(id), arities.get(id))) {
                    continue;
                }
                visited.add(s);
                found.put(entryName(s), CodeTokens.canonical(s.source()));
                addArities(arities, s.source(), pending);
                pending.removeIf(bodyDefinitions::contains);
                for (String inner : JavaTokens.identifiers(s.source())) {
                    seen.add(inner);
                    if (sessionVars.containsKey(inner)) {
                        u.variables.add(inner);
                    }
                    pending.add(inner);
                }
            }
        }
        u.definitions.putAll(found);
        // Imports decide what a name means: `sqrt` after `import static java.lang.Math.sqrt` and after an
        // import of another library's sqrt is different code under the same text. Wildcards can supply
        // any name, so they always count; a single-name import counts when that name is used.
        Map<String, String> used = new java.util.TreeMap<>();
        for (ImportSnippet imp : imports) {
            if (imp.name().endsWith("*") || seen.contains(imp.name())) {
                used.put("import " + (imp.isStatic() ? "static " : "") + imp.fullname(),
                        CodeTokens.canonical(imp.source()));
            }
        }
        u.definitions.putAll(used);
        return u;
    }

    /**
     * Merges the call arities of {@code src} into {@code arities}; a name that gains an arity goes back on
     * {@code pending} (if given), since an overload skipped before may now be called.
     */
    private static void addArities(Map<String, Set<Integer>> arities, String src, Deque<String> pending) {
        Map<String, Set<Integer>> calls = CodeTokens.callArities(src);
        if (calls == null) {
            // Not scannable: every name it mentions may call any overload.
            for (String id : JavaTokens.identifiers(src)) {
                if (arities.computeIfAbsent(id, k -> new HashSet<>()).add(-1) && pending != null) {
                    pending.add(id);
                }
            }
            return;
        }
        calls.forEach((name, as) -> {
            if (arities.computeIfAbsent(name, k -> new HashSet<>()).addAll(as) && pending != null) {
                pending.add(name);
            }
        });
    }

    /**
     * Whether {@code s} can be what its name denotes at the uses seen. Only an overloaded method with a
     * fixed parameter count is ever left out: when its name is used only in calls ({@code name(...)}, no
     * method reference, no call whose arguments the tokens cannot count) and no call has its parameter
     * count. Java chooses among the overloads of the call's arity only (varargs ones are always kept), so
     * a change to such an overload cannot change what the cell computes; anything less certain keeps it.
     */
    private static boolean mayBeCalled(Snippet s, List<Snippet> sameName, Set<Integer> seen) {
        if (!(s instanceof MethodSnippet m) || seen == null || seen.contains(-1)
                || sameName.stream().filter(x -> x instanceof MethodSnippet).count() < 2) {
            return true;
        }
        String params = m.parameterTypes();
        if (params.contains("...")) {
            return true;
        }
        return seen.contains(parameterCount(params));
    }

    /** Top-level commas of a parameter type list such as {@code Map<String,Integer>,int}, plus one. */
    static int parameterCount(String params) {
        if (params.isBlank()) {
            return 0;
        }
        int depth = 0;
        int n = 1;
        for (char c : params.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                n++;
            }
        }
        return n;
    }

    static String entryName(Snippet s) {
        if (s instanceof MethodSnippet m) {
            return "method " + m.name() + "(" + m.parameterTypes() + ")";
        }
        TypeDeclSnippet t = (TypeDeclSnippet) s;
        String kind = switch (t.subKind()) {
            case INTERFACE_SUBKIND -> "interface";
            case ENUM_SUBKIND -> "enum";
            case ANNOTATION_TYPE_SUBKIND -> "annotation";
            case RECORD_SUBKIND -> "record";
            default -> "class";
        };
        return kind + " " + t.name();
    }
}
