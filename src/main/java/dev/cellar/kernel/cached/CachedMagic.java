package dev.cellar.kernel.cached;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.Parameters;
import dev.cellar.codec.json.JsonValues;
import dev.cellar.engine.Entries;
import dev.cellar.engine.Sizes;
import dev.cellar.key.Derivation;
import dev.cellar.kernel.display.MimeBundle;
import dev.cellar.kernel.display.Rich;
import dev.cellar.kernel.jshell.Bridge;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.CodeTokens;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.jshell.JavaTokens;
import dev.cellar.kernel.jshell.OutputRouter;
import dev.cellar.kernel.jshell.SessionClassLoader;
import dev.cellar.kernel.magic.CellMagic;
import dev.cellar.kernel.magic.CellValue;
import dev.cellar.kernel.magic.MagicSpec;
import dev.cellar.kernel.magic.SessionLibraries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jdk.jshell.Snippet;
import jdk.jshell.VarSnippet;

/**
 * The {@code %%cached} cell magic: keys a cell by its body, the definitions and variables it uses,
 * its parameters, files and version; on a hit declares its outputs with their original types and
 * restores them without running the body; on a miss runs the body and stores its outputs and its
 * printed and displayed output as one entry.
 */
public final class CachedMagic implements CellMagic {
    public static final String USAGE = "usage: %%cached [NAME] [--params=a,b] [--outputs=x,y] [--ignore=v] "
            + "[--files=path,...] [--version=V] [--force] [--no-wait]";
    public static final MagicSpec SPEC = new MagicSpec(USAGE, 1,
            Set.of("params", "outputs", "ignore", "files", "version"), Set.of("force", "no-wait"));

    /** A value restored or produced by a cached cell, with the digest it had then. */
    record Provenance(Key key, String digest) {}

    private final JShellEvaluator evaluator;
    private final OutputRouter router;
    private final Consumer<MimeBundle> display;
    private final Supplier<Cellar> cellar;
    private final Map<String, Provenance> provenance = new ConcurrentHashMap<>();
    private final CurrentOutputs current = new CurrentOutputs();
    /** The last cached cell of each name in this session, for {@code %cellar why}. */
    private final Map<String, CellText> lastCells = new ConcurrentHashMap<>();
    private volatile SessionLibraries libraries;

    public CachedMagic(JShellEvaluator evaluator, OutputRouter router, Consumer<MimeBundle> display,
            Supplier<Cellar> cellar) {
        this.evaluator = evaluator;
        this.router = router;
        this.display = display;
        this.cellar = cellar;
    }


    /** A cell keyed but not yet run: its component and what running it needs. */
    private record Prepared(String name, Component component, List<JShellEvaluator.Piece> pieces,
            List<JShellEvaluator.Piece> definitions, List<String> outputsOpt, boolean force, boolean noWait) {}

    /** The text of a cached cell, kept per name so that {@code %cellar why} can key it again. */
    private record CellText(String args, String rawBody) {}

    @Override
    public CellValue run(String args, String rawBody, int cell) throws CellError {
        Prepared prep = prepare(args, rawBody);
        String name = prep.name();
        lastCells.put(name, new CellText(args, rawBody));
        Component component = prep.component();
        List<JShellEvaluator.Piece> pieces = prep.pieces();
        List<JShellEvaluator.Piece> definitions = prep.definitions();
        List<String> outputsOpt = prep.outputsOpt();
        boolean force = prep.force();
        Cellar c;
        try {
            c = cellar.get();
        } catch (RuntimeException e) {
            // No store (unwritable directory, ...): the cell still runs, uncached, with one warning.
            System.err.println("cellar: warning: cannot open the store (" + e.getMessage() + "); running "
                    + name + " uncached");
            JShellEvaluator.Result r = evaluator.run(pieces, cell);
            return new CellValue(r.hasValue(), r.value());
        }
        Derivation derivation; // once, before the body runs: the saved entry must have the key looked up
        try {
            derivation = c.derive(component);
        } catch (CellarException e) {
            throw new CellError.MagicError("cellar: cannot key cell " + name + ": " + e.getMessage());
        }

        if (!force) {
            // Methods, classes and records the body defines are not values: define them first (this runs
            // no user code) so that stored values of those types can be decoded and declared on a hit.
            if (!definitions.isEmpty()) {
                evaluator.run(definitions, cell);
            }
            CurrentOutputs.Run same = current.current(name, derivation.key(), evaluator);
            if (same != null) {
                replay(same.output());
                router.flush();
                System.out.println("cellar: HIT " + name + " [" + derivation.key().shortHex() + "] already current, saved "
                        + Sizes.duration(same.computeNanos()));
                return new CellValue(false, null);
            }
            current.forget(name);
            long t0 = System.nanoTime();
            Optional<Entries.Hit> hit = c.entries().lookup(derivation, component.type(), new SessionClassLoader(evaluator));
            if (hit.isPresent()) {
                if (restore(name, hit.get(), t0)) {
                    return new CellValue(false, null);
                }
            }
            if (!prep.noWait()) {
                // single flight: with a shared tier, wait while another kernel computes this cell, then hit
                try (Entries.Turn turn = c.entries().awaitTurn(derivation.key(), name,
                        line -> System.out.println("cellar: " + line))) {
                    if (turn.waited()) {
                        long t1 = System.nanoTime();
                        hit = c.entries().lookup(derivation, component.type(), new SessionClassLoader(evaluator));
                        if (hit.isPresent() && restore(name, hit.get(), t1)) {
                            return new CellValue(false, null);
                        }
                    }
                    return compute(c, derivation, name, pieces, outputsOpt, cell, force);
                }
            }
        }
        return compute(c, derivation, name, pieces, outputsOpt, cell, force);
    }

    private Prepared prepare(String args, String rawBody) throws CellError {
        MagicSpec.Parsed p = SPEC.parse(args);
        List<String> params = SPEC.identifiers("params", p.option("params"));
        List<String> outputsOpt = p.option("outputs") == null ? null : SPEC.identifiers("outputs", p.option("outputs"));
        List<String> ignore = SPEC.identifiers("ignore", p.option("ignore"));
        List<String> files = p.option("files") == null ? List.of() : List.of(p.option("files").split(","));
        String version = p.option("version") == null ? "" : p.option("version");
        boolean force = p.flag("force");

        String body = JavaTokens.normalize(rawBody);
        if (body.isEmpty()) {
            throw SPEC.bad("%%cached needs a cell body below the magic line");
        }
        // The raw body keeps the cell's line numbers for error messages; the key uses the normalized one.
        List<JShellEvaluator.Piece> pieces = evaluator.split(rawBody);
        List<List<Snippet>> declared = new ArrayList<>();
        List<String> declaredVars = new ArrayList<>();
        List<JShellEvaluator.Piece> definitions = new ArrayList<>();
        for (JShellEvaluator.Piece piece : pieces) {
            List<Snippet> ds = evaluator.declarationsOf(piece.source());
            declared.add(ds);
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

        Component component = component(name, version, body, outputsOpt, params, inputVars, values, files, up);
        return new Prepared(name, component, pieces, definitions, outputsOpt, force, p.flag("no-wait"));
    }

    private Component component(String name, String version, String body, List<String> outputsOpt,
            List<String> params, List<String> inputVars, Map<String, Object> values, List<String> files,
            Upstream up) throws CellError {
        Component.Builder b = Component.builder("cell:" + name).version(version);
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
        b.parameters(ps);
        // Tokens, not text: comments, whitespace and formatting do not change the key.
        b.code("body", CodeTokens.canonical(body));
        if (outputsOpt != null) {
            b.code("outputs", String.join(",", outputsOpt));
        }
        up.definitions.forEach(b::code);
        for (String v : inputVars) {
            Object value = values.get(v);
            String digest;
            try {
                digest = Cellar.digest(value);
            } catch (CellarException e) {
                throw new CellError.MagicError("cellar: variable '" + v + "' (" + typeOf(value)
                        + ") is read by the cell but has no canonical encoding, so it cannot enter the key: "
                        + e.getMessage() + ". Use --ignore=" + v + " if it does not affect the result, "
                        + "or make it encodable");
            }
            Provenance prov = provenance.get(v);
            if (prov != null && prov.digest().equals(digest)) {
                b.input(Component.Input.key(v, prov.key()));
            } else {
                b.input(Component.Input.value(v, value));
            }
        }
        for (String f : files) {
            String path = f.strip();
            if (path.isEmpty()) {
                throw SPEC.bad("--files: empty path");
            }
            Path file = Path.of(path);
            if (!Files.isRegularFile(file)) {
                throw SPEC.bad("--files: no such file '" + path + "'");
            }
            b.input(Component.Input.value("file " + path, Cellar.fileDigest(file)));
        }
        keyLibraries(b);
        return b.build();
    }

    /**
     * The hook for libraries: every jar the session added to its class path (%maven, %%loadFromPOM,
     * %jars, %classpath) enters the key, since the body may call into any of them.
     */
    public void keyLibraries(SessionLibraries libraries) {
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

    /** Declares and restores the outputs of a hit; false if the entry does not fit this session. */
    private boolean restore(String name, Entries.Hit hit, long t0) throws CellError {
        Map<String, String> notes = hit.notes();
        List<String> names = new ArrayList<>();
        String listed = notes.get("outputs");
        if (listed != null && !listed.isEmpty()) {
            names.addAll(List.of(listed.split(",")));
        } else {
            names.addAll(hit.values().keySet());
        }
        StringBuilder restored = new StringBuilder();
        for (String var : names) {
            String type = notes.get("type." + var);
            boolean isNull = "true".equals(notes.get("null." + var));
            if (type == null || !(isNull || hit.values().containsKey(var))) {
                System.err.println("cellar: entry [" + hit.key().shortHex() + "] lacks output '" + var
                        + "'; recomputing");
                return false;
            }
            String id = "cellar-restore-" + var;
            Bridge.put(id, isNull ? null : hit.values().get(var));
            try {
                evaluator.runGenerated(type + " " + var + " = (" + type + ") dev.cellar.kernel.jshell.Bridge.take(\"" + id
                        + "\");");
            } catch (CellError e) {
                Bridge.discard(id);
                System.err.println("cellar: could not restore '" + var + "' as " + type + " (" + e.getMessage()
                        + "); recomputing");
                return false;
            }
            String digest = notes.get("digest." + var);
            if (digest != null) {
                provenance.put(var, new Provenance(hit.key(), digest));
            }
            restored.append(restored.length() == 0 ? "" : ", ").append(var).append(' ').append(type);
        }
        long restoreNanos = System.nanoTime() - t0;
        Map<String, Object> kept = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        for (String var : names) {
            kept.put(var, hit.values().get(var));
            if (notes.get("digest." + var) != null) {
                digests.put(var, notes.get("digest." + var));
            }
        }
        current.record(name, hit.key(), kept, digests, evaluator, notes.get("output"), hit.computeNanos());
        replay(notes.get("output"));
        router.flush();
        System.out.println("cellar: HIT " + name + " [" + hit.key().shortHex() + "]" + hit.fromPhrase() + " restored "
                + restored + " "
                + Sizes.format(hit.bytes()) + " in " + Sizes.duration(restoreNanos) + ", saved "
                + Sizes.duration(hit.computeNanos()));
        return true;
    }

    private CellValue compute(Cellar c, Derivation derivation, String name, List<JShellEvaluator.Piece> pieces,
            List<String> outputsOpt, int cell, boolean force) throws CellError {
        router.startCapture();
        long t0 = System.nanoTime();
        JShellEvaluator.Result result;
        List<OutputRouter.Item> captured;
        try {
            result = evaluator.run(pieces, cell);
            if (result.hasValue()) {
                router.recordDisplay(Rich.render(result.value()).data());
            }
        } finally {
            captured = router.stopCapture();
        }
        long computeNanos = System.nanoTime() - t0;

        List<String> outputs = new ArrayList<>();
        Map<String, VarSnippet> session = evaluator.variables();
        if (outputsOpt != null) {
            for (String o : outputsOpt) {
                if (!session.containsKey(o)) {
                    throw new CellError.MagicError("cellar: --outputs: the cell left no variable '" + o
                            + "'; nothing stored");
                }
                outputs.add(o);
            }
        } else {
            for (VarSnippet v : result.declaredVars()) {
                if (!v.name().startsWith("$") && !outputs.contains(v.name())) {
                    outputs.add(v.name());
                }
            }
        }
        Map<String, String> notes = new LinkedHashMap<>();
        StringBuilder described = new StringBuilder();
        for (String o : outputs) {
            String type = session.get(o).typeName();
            if (!denotable(type)) {
                throw new CellError.MagicError("cellar: output '" + o + "' has type " + type
                        + ", which cannot be written in Java, so it cannot be restored; declare it with an explicit "
                        + "type, or leave it out with --outputs=...; nothing stored");
            }
            notes.put("type." + o, type);
            described.append(described.length() == 0 ? "" : ", ").append(o).append(' ').append(type);
        }
        Map<String, Object> values = evaluator.values(outputs);
        Map<String, String> digests = new LinkedHashMap<>();
        for (String o : outputs) {
            try {
                digests.put(o, Cellar.digest(values.get(o)));
            } catch (CellarException e) {
                throw new CellError.MagicError("cellar: output '" + o + "' (" + notes.get("type." + o) + ", a "
                        + typeOf(values.get(o)) + ") has no codec: " + e.getMessage() + "; nothing stored. Leave it out with --outputs=..."
                        + " or store its data in an encodable form");
            }
            notes.put("digest." + o, digests.get(o));
        }
        notes.put("outputs", String.join(",", outputs));
        notes.put("output", JsonValues.write(toJson(captured)));
        Entries.Saved saved;
        try {
            // The store keeps non-null values only; a null output is a note, declared null on a hit.
            Map<String, Object> nonNull = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                if (v == null) {
                    notes.put("null." + k, "true");
                } else {
                    nonNull.put(k, v);
                }
            });
            saved = c.entries().save(derivation, name, nonNull, notes, computeNanos);
        } catch (CellarException e) {
            throw new CellError.MagicError("cellar: cannot store " + name + ": " + e.getMessage()
                    + "; nothing stored (the cell's variables are still defined)");
        }
        for (String o : outputs) {
            provenance.put(o, new Provenance(derivation.key(), digests.get(o)));
        }
        if (saved.stored()) {
            current.record(name, derivation.key(), values, digests, evaluator, notes.get("output"), computeNanos);
        }
        router.flush();
        String stored = saved.stored()
                ? "stored " + described + " " + Sizes.format(saved.bytes()) + " in " + Sizes.duration(saved.nanos())
                : "not stored (the store is unavailable)";
        System.out.println("cellar: MISS " + name + " [" + derivation.key().shortHex() + "]" + (force ? " (forced)" : "")
                + " computed in " + Sizes.duration(computeNanos) + ", " + stored);
        return new CellValue(result.hasValue(), result.value());
    }

    /** A declared type that Java source can name (not anonymous, intersection or captured). */
    public static boolean denotable(String type) {
        return type != null && !type.isBlank() && !type.contains("<anonymous") && !type.contains("&")
                && !type.contains("capture#") && !type.contains("<any>") && !type.contains("<none>");
    }

    private static String typeOf(Object v) {
        return v == null ? "null" : v.getClass().getTypeName();
    }

    private static List<Map<String, Object>> toJson(List<OutputRouter.Item> items) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (OutputRouter.Item it : items) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (it.stream() != null) {
                m.put("stream", it.stream());
                m.put("text", it.text());
            } else {
                m.put("display", it.display());
            }
            out.add(m);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private void replay(String json) {
        if (json == null || json.isEmpty()) {
            return;
        }
        Object tree;
        try {
            tree = JsonValues.parse(json);
        } catch (RuntimeException e) {
            System.err.println("cellar: the entry's printed output is unreadable (" + e.getMessage() + "); not shown");
            return;
        }
        if (!(tree instanceof List<?> items)) {
            return;
        }
        for (Object o : items) {
            if (!(o instanceof Map<?, ?> it)) {
                continue;
            }
            if (it.get("stream") != null) {
                ("stderr".equals(it.get("stream")) ? System.err : System.out).print((String) it.get("text"));
            } else if (it.get("display") instanceof Map<?, ?> m) {
                router.flush();
                display.accept(new MimeBundle((Map<String, Object>) m));
            }
        }
        System.out.flush();
        System.err.flush();
    }

    /**
     * The component the last cell named {@code name} in this session would be keyed with now (the
     * session's current variables and definitions), or null if there was none or it cannot be keyed.
     */
    public Component currentComponent(String name) {
        CellText t = lastCells.get(name);
        if (t == null) {
            return null;
        }
        try {
            return prepare(t.args(), t.rawBody()).component();
        } catch (CellError e) {
            return null;
        }
    }
}
