package dev.cellar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checks behind {@link ArchitectureTest}, written over plain {@link Source} values so that each
 * rule can also be run on a tiny synthetic tree and shown to fail. The rules are those of
 * docs/architecture.md.
 */
final class LayoutRules {
    static final String ROOT = "dev.cellar";
    /** Types of the root package everyone may import; they import no other cellar package. */
    static final Set<String> VOCABULARY = Set.of("Key", "CellarException", "CodecException", "StoreException",
            "ComputationException");
    /** Types of the root package users call; they sit on top of the engine. */
    static final Set<String> FACADE = Set.of("Cellar", "Cached", "Component", "Parameters");
    static final String VOCABULARY_NODE = ROOT + " (vocabulary)";
    static final String FACADE_NODE = ROOT + " (facade)";
    /** Package prefixes of the platform, which anyone may import. */
    static final List<String> PLATFORM = List.of("java.", "javax.", "jdk.", "sun.", "org.w3c.", "org.xml.");

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;",
            Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.cellar(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");

    private LayoutRules() {}

    /**
     * One source file: {@code pkg} and top-level {@code type} (or "package-info"), its code with
     * comments and string literals blanked out, and its line count.
     */
    record Source(String pkg, String type, String code, int lines) {
        static Source of(String pkg, String type, String text) {
            return new Source(pkg, type, stripCommentsAndStrings(text), (int) text.lines().count());
        }

        String file() {
            return pkg.replace('.', '/') + "/" + type + ".java";
        }

        /** The node of the dependency graph this file belongs to: its package, the root split in two. */
        String node() {
            if (!pkg.equals(ROOT)) {
                return pkg;
            }
            return VOCABULARY.contains(type) ? VOCABULARY_NODE : FACADE_NODE;
        }
    }

    /** A reference from one file to a type or package: what it names, and how ({@code import x}). */
    record Ref(Source from, String target, String how) {}

    static List<Source> read(Path root) throws IOException {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
                String type = f.getFileName().toString().replace(".java", "");
                out.add(Source.of(pkg, type, Files.readString(f)));
            }
        }
        return out;
    }

    /** Every import and every fully qualified {@code dev.cellar} name in code. */
    static List<Ref> references(Source s) {
        List<Ref> refs = new ArrayList<>();
        Matcher m = IMPORT.matcher(s.code());
        while (m.find()) {
            String name = m.group(2);
            if (m.group(1) != null && m.group(3) == null) {
                name = name.substring(0, name.lastIndexOf('.')); // import static a.B.member
            }
            refs.add(new Ref(s, name, "import " + m.group(2) + (m.group(3) == null ? "" : ".*")));
        }
        Matcher q = QUALIFIED.matcher(IMPORT.matcher(s.code()).replaceAll(""));
        while (q.find()) {
            refs.add(new Ref(s, q.group(), "names " + q.group()));
        }
        return refs;
    }

    /** The graph node a referenced {@code dev.cellar} name belongs to, or null for other names. */
    static String nodeOf(String name, Set<String> packages) {
        if (!name.startsWith(ROOT + ".") && !name.equals(ROOT)) {
            return null;
        }
        String pkg = name;
        while (!packages.contains(pkg) && pkg.contains(".")) {
            pkg = pkg.substring(0, pkg.lastIndexOf('.'));
        }
        if (!pkg.equals(ROOT)) {
            return pkg;
        }
        String rest = name.length() > ROOT.length() ? name.substring(ROOT.length() + 1) : "";
        String type = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        return VOCABULARY.contains(type) ? VOCABULARY_NODE : FACADE_NODE;
    }

    /**
     * Who imports whom, between nodes, each edge with the first file that makes it. Root-package
     * types use each other without imports, so there the simple names of the other root types count.
     */
    static Map<String, Map<String, String>> graph(List<Source> sources) {
        Set<String> packages = new TreeSet<>();
        sources.forEach(s -> packages.add(s.pkg()));
        Map<String, Map<String, String>> edges = new TreeMap<>();
        for (Source s : sources) {
            Map<String, String> out = edges.computeIfAbsent(s.node(), k -> new TreeMap<>());
            for (Ref r : references(s)) {
                String to = nodeOf(r.target(), packages);
                if (to != null && !to.equals(s.node())) {
                    out.putIfAbsent(to, s.file() + " " + r.how());
                }
            }
            if (s.pkg().equals(ROOT)) {
                for (Source other : sources) {
                    if (other.pkg().equals(ROOT) && !other.node().equals(s.node())
                            && Pattern.compile("\\b" + other.type() + "\\b").matcher(s.code()).find()) {
                        out.putIfAbsent(other.node(), s.file() + " uses " + other.type());
                    }
                }
            }
        }
        return edges;
    }

    /** Every group of nodes that import each other, directly or round a loop, with the edges that close it. */
    static List<String> cycles(Map<String, Map<String, String>> edges) {
        List<String> found = new ArrayList<>();
        for (Set<String> scc : stronglyConnected(edges)) {
            if (scc.size() < 2) {
                continue;
            }
            StringBuilder sb = new StringBuilder("cycle between " + scc + ":");
            for (String from : scc) {
                edges.getOrDefault(from, Map.of()).forEach((to, why) -> {
                    if (scc.contains(to)) {
                        sb.append("\n    ").append(from).append(" -> ").append(to).append(": ").append(why);
                    }
                });
            }
            found.add(sb.toString());
        }
        found.sort(null);
        return found;
    }

    /** Tarjan's algorithm, iterative enough for a few dozen packages. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        Set<String> nodes = new TreeSet<>(edges.keySet());
        edges.values().forEach(m -> nodes.addAll(m.keySet()));
        int[] counter = {0};
        for (String n : nodes) {
            if (!index.containsKey(n)) {
                connect(n, edges, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Map<String, String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> scc = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                scc.add(w);
            } while (!w.equals(v));
            out.add(scc);
        }
    }

    /**
     * Imports of third-party libraries outside their owner. {@code owners} maps a name prefix to the
     * package (or single class) allowed to import it, or to {@link ArchitectureTest#TESTS_ONLY}; a library
     * missing from the table is a violation too, so a new dependency gets an owner on arrival.
     */
    static List<String> libraryViolations(List<Source> sources, Map<String, String> owners) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            for (Ref r : references(s)) {
                String name = r.target();
                if (name.startsWith(ROOT + ".") || PLATFORM.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                String owner = owners.entrySet().stream().filter(e -> name.startsWith(e.getKey() + "."))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                if (owner == null) {
                    out.add(s.file() + " " + r.how() + ": a library without an owner (add it to the owner table"
                            + " in ArchitectureTest and docs/architecture.md)");
                } else if (!owner.equals(s.pkg()) && !owner.equals(s.pkg() + "." + s.type())) {
                    out.add(s.file() + " " + r.how() + " (only " + owner + " may)");
                }
            }
        }
        return out;
    }

    /** References to {@code internals} from packages other than the allowed ones (and their sub-packages). */
    static List<String> internalsViolations(List<Source> sources, String internals, List<String> allowed) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            if (s.pkg().equals(internals) || s.pkg().startsWith(internals + ".")) {
                continue;
            }
            boolean may = allowed.stream().anyMatch(a -> a.equals(s.node()) || s.pkg().startsWith(a + "."));
            for (Ref r : references(s)) {
                if (!may && (r.target().equals(internals) || r.target().startsWith(internals + "."))) {
                    out.add(s.file() + " " + r.how() + " (only " + allowed + " may use " + internals + ")");
                }
            }
        }
        return out;
    }

    static List<String> oversized(List<Source> sources, int maxLines) {
        return sources.stream().filter(s -> s.lines() > maxLines)
                .map(s -> s.file() + " has " + s.lines() + " lines (at most " + maxLines + ")").toList();
    }

    static Set<String> packagesWithoutInfo(List<Source> sources) {
        Set<String> missing = new TreeSet<>();
        sources.forEach(s -> missing.add(s.pkg()));
        sources.stream().filter(s -> s.type().equals("package-info")).forEach(s -> missing.remove(s.pkg()));
        return missing;
    }

    /** Root-package types that are neither facade nor vocabulary. */
    static List<String> unclassifiedRootTypes(List<Source> sources) {
        return sources.stream().filter(s -> s.pkg().equals(ROOT) && !s.type().equals("package-info"))
                .filter(s -> !VOCABULARY.contains(s.type()) && !FACADE.contains(s.type()))
                .map(s -> s.file() + ": the root package holds only the API facade " + FACADE + " and the vocabulary "
                        + VOCABULARY + "; internals go to dev.cellar.engine")
                .toList();
    }

    /** Renders the graph as "a -> b, c" lines, for people reading a failure. */
    static String render(Map<String, Map<String, String>> edges) {
        Map<String, String> lines = new LinkedHashMap<>();
        edges.forEach((from, to) -> lines.put(from, String.join(", ", to.keySet())));
        StringBuilder sb = new StringBuilder();
        lines.forEach((k, v) -> sb.append(k).append(" -> ").append(v).append('\n'));
        return sb.toString();
    }

    /**
     * Blanks comments, string and char literals and text blocks (keeping line breaks), so that a
     * package named in a comment or in generated code is not taken for a dependency.
     */
    static String stripCommentsAndStrings(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(text, i, end, out);
                i = end;
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                blank(text, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(n, j + 1);
                out.append(c).append(" ".repeat(Math.max(0, j - i - 2))).append(c);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String text, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(text.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
