package dev.cellar.kernel.cached;

import dev.cellar.CellarException;
import dev.cellar.Component;
import dev.cellar.Parameters;
import dev.cellar.key.ValueDigest;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.CodeTokens;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.jshell.JavaTokens;
import dev.cellar.kernel.magic.MagicSpec;
import dev.cellar.kernel.magic.SessionLibraries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jshell.Snippet;
import jdk.jshell.VarSnippet;

/**
 * Key preparation for a {@code %%cached} cell: parses the magic line, splits the body, finds what it
 * depends on ({@link Upstream}) and builds the {@link Component} its key is derived from. Every
 * variable the body reads is digested here exactly once; the digest serves the key, the provenance
 * check and, after a miss, the check whether the body changed the variable.
 */
final class CellKey {
    static final String USAGE = "usage: %%cached [NAME] [--params=a,b] [--outputs=x,y] [--ignore=v] "
            + "[--files=path,...] [--version=V] [--force] [--no-wait]";
    static final MagicSpec SPEC = new MagicSpec(USAGE, 1,
            Set.of("params", "outputs", "ignore", "files", "version"), Set.of("force", "no-wait"));

    /**
     * A cell keyed but not yet run. {@code outputsOpt} is null unless {@code --outputs} was given;
     * {@code watched} are the session variables the body reads (params included, {@code --ignore}d ones
     * not), as they were before it ran. {@code uncachable} says why the cell cannot be keyed (a variable
     * it reads has no canonical encoding), else it is null.
     */
    record Prepared(String name, Component component, List<JShellEvaluator.Piece> pieces,
            List<JShellEvaluator.Piece> definitions, List<String> outputsOpt, boolean force, boolean noWait,
            List<Before> watched, String uncachable) {}

    private final JShellEvaluator evaluator;
    private final Provenance provenance;
    private final BodyAnalysis analysis;
    private volatile SessionLibraries libraries;

    CellKey(JShellEvaluator evaluator, Provenance provenance) {
        this.evaluator = evaluator;
        this.provenance = provenance;
        this.analysis = new BodyAnalysis(evaluator);
    }

    Prepared prepare(String args, String rawBody) throws CellError {
        MagicSpec.Parsed p = SPEC.parse(args);
        List<String> params = SPEC.identifiers("params", p.option("params"));
        List<String> outputsOpt = p.option("outputs") == null ? null : SPEC.identifiers("outputs", p.option("outputs"));
        List<String> ignore = SPEC.identifiers("ignore", p.option("ignore"));
        List<String> files = p.option("files") == null ? List.of() : List.of(p.option("files").split(","));
        String version = p.option("version") == null ? "" : p.option("version");

        String body = JavaTokens.normalize(rawBody);
        if (body.isEmpty()) {
            throw SPEC.bad("%%cached needs a cell body below the magic line");
        }
        // The raw body keeps the cell's line numbers for error messages; the key uses the normalized one.
        SessionLibraries libs = libraries;
        BodyAnalysis.Result analysed = analysis.of(rawBody, libs == null || !libs.added().isEmpty());
        List<JShellEvaluator.Piece> pieces = analysed.pieces();
        List<List<Snippet>> declared = analysed.declared();
        List<String> declaredVars = new ArrayList<>();
        List<JShellEvaluator.Piece> definitions = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            JShellEvaluator.Piece piece = pieces.get(i);
            List<Snippet> ds = declared.get(i);
            boolean onlyDefinitions = !ds.isEmpty();
            for (Snippet s : ds) {
                if (s instanceof VarSnippet v && !v.name().startsWith("$") && !declaredVars.contains(v.name())) {
                    declaredVars.add(v.name());
                }
                Snippet.Kind k = s.kind();
                onlyDefinitions &= k == Snippet.Kind.METHOD || k == Snippet.Kind.TYPE_DECL || k == Snippet.Kind.IMPORT;
            }
            if (onlyDefinitions) {
                definitions.add(piece);
            }
        }
        List<String> outputs = outputsOpt != null ? outputsOpt : declaredVars;
        String name = p.positional().isEmpty() ? (outputs.isEmpty() ? "cell" : String.join("+", outputs))
                : p.positional().get(0);

        Map<String, VarSnippet> session = evaluator.variables();
        for (String param : params) {
            if (!session.containsKey(param)) {
                throw SPEC.bad("--params: there is no variable '" + param + "' in the session");
            }
        }
        Upstream up = Upstream.of(pieces, declared, session, evaluator.methods(), evaluator.types(),
                evaluator.imports());
        List<String> inputVars = new ArrayList<>();
        for (String v : up.variables) {
            if (!params.contains(v) && !ignore.contains(v)) {
                inputVars.add(v);
            }
        }
        List<String> toRead = new ArrayList<>(params);
        toRead.addAll(inputVars);
        Map<String, Object> values = evaluator.values(toRead);

        Component.Builder b = Component.builder("cell:" + name).version(version);
        b.parameters(parameters(params, values));
        // Tokens, not text: comments, whitespace and formatting do not change the key.
        b.code("body", CodeTokens.canonical(body));
        if (outputsOpt != null) {
            b.code("outputs", String.join(",", outputsOpt));
        }
        up.definitions.forEach(b::code);
        List<Before> watched = new ArrayList<>();
        List<String> unkeyable = new ArrayList<>();
        for (String param : params) {
            Object v = values.get(param);
            // Parameters enter the key through their own encoding; a mutable one (an array) is digested
            // here as well, to tell afterwards whether the body changed it.
            watched.add(new Before(param, v, Before.immutable(v) ? null : digest(param, v, unkeyable),
                    onlyRead(param, v, rawBody, up)));
        }
        for (String v : inputVars) {
            Object value = values.get(v);
            String digest = digest(v, value, unkeyable);
            if (digest == null) {
                continue;
            }
            watched.add(new Before(v, value, digest, onlyRead(v, value, rawBody, up)));
            var producer = provenance.keyIfUnchanged(v, digest);
            b.input(producer != null ? Component.Input.key(v, producer) : Component.Input.value(v, value, digest));
        }
        for (String f : files) {
            b.input(Component.Input.value(file(f), Path.of(file(f))));
        }
        keyLibraries(b);
        return new Prepared(name, b.build(), pieces, definitions, outputsOpt, p.flag("force"), p.flag("no-wait"),
                watched,
                unkeyable.isEmpty() ? null : String.join("; ", unkeyable));
    }

    /**
     * The hook for libraries: every jar the session added to its class path (%maven, %%loadFromPOM,
     * %jars, %classpath) enters the key, since the body may call into any of them.
     */
    void keyLibraries(SessionLibraries libraries) {
        this.libraries = libraries;
    }

    private void keyLibraries(Component.Builder b) throws CellError {
        SessionLibraries libs = libraries;
        if (libs == null) {
            return;
        }
        try {
            libs.inputs().forEach(b::input);
        } catch (java.io.IOException e) {
            throw new CellError.MagicError("cellar: a library on the class path cannot be read (" + e.getMessage()
                    + "); it enters the key of cached cells, so restart the kernel without it");
        }
    }

    /**
     * Whether the body and every definition it uses only read the primitive array in {@code variable}
     * by index (then the array cannot change, and an 800 MB input is not digested a second time after
     * the body to find out).
     */
    private static boolean onlyRead(String variable, Object value, String body, Upstream up) {
        if (value == null || !value.getClass().isArray() || !value.getClass().getComponentType().isPrimitive()
                || !JavaTokens.onlyIndexed(body, variable)) {
            return false;
        }
        return up.definitions.values().stream().allMatch(src -> JavaTokens.onlyIndexed(src, variable));
    }

    private static Parameters parameters(List<String> params, Map<String, Object> values) throws CellError {
        Parameters ps = Parameters.empty();
        for (String param : params) {
            try {
                ps = ps.with(param, values.get(param));
            } catch (IllegalArgumentException | CellarException e) {
                throw new CellError.MagicError("cellar: --params: variable '" + param + "' cannot be a parameter: "
                        + e.getMessage() + "; pass it without --params (it is then keyed by its value) or use a "
                        + "number, string, boolean or array");
            }
        }
        return ps;
    }

    /** The digest of a variable, or null after adding to {@code problems} why it has none. */
    private static String digest(String variable, Object value, List<String> problems) {
        try {
            return ValueDigest.of(value, "variable " + variable);
        } catch (CellarException e) {
            problems.add("variable '" + variable + "' (" + typeOf(value) + ") is read by the cell but has no"
                    + " canonical encoding, so it cannot enter the key: " + e.getMessage() + ". Use --ignore="
                    + variable + " if it does not affect the result, or make it encodable");
            return null;
        }
    }

    /** A {@code --files} path, which enters the key by its content (kind {@code file}). */
    private static String file(String f) throws CellError {
        String path = f.strip();
        if (path.isEmpty()) {
            throw SPEC.bad("--files: empty path");
        }
        if (!Files.isRegularFile(Path.of(path))) {
            throw SPEC.bad("--files: no such file '" + path + "'");
        }
        return path;
    }

    static String typeOf(Object v) {
        return v == null ? "null" : v.getClass().getTypeName();
    }

    /** A declared type that Java source can name (not anonymous, intersection or captured). */
    static boolean denotable(String type) {
        return type != null && !type.isBlank() && !type.contains("<anonymous") && !type.contains("&")
                && !type.contains("capture#") && !type.contains("<any>") && !type.contains("<none>");
    }
}
