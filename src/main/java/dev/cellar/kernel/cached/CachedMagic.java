package dev.cellar.kernel.cached;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.Component;
import dev.cellar.engine.Entries;
import dev.cellar.engine.Sizes;
import dev.cellar.key.Derivation;
import dev.cellar.kernel.display.MimeBundle;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.jshell.OutputRouter;
import dev.cellar.kernel.jshell.SessionClassLoader;
import dev.cellar.kernel.magic.CellMagic;
import dev.cellar.kernel.magic.CellValue;
import dev.cellar.kernel.magic.MagicSpec;
import dev.cellar.kernel.magic.SessionLibraries;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code %%cached} cell magic: keys a cell ({@link CellKey}) by its body, the definitions and
 * variables it uses, its parameters, files and version; on a hit restores its outputs without running
 * the body ({@link Restore}); on a miss runs the body and stores what it declared, what it changed,
 * and what it printed and displayed as one entry ({@link Miss}).
 */
public final class CachedMagic implements CellMagic {
    public static final String USAGE = CellKey.USAGE;
    public static final MagicSpec SPEC = CellKey.SPEC;

    private final JShellEvaluator evaluator;
    private final Supplier<Cellar> cellar;
    private final CellKey keys;
    private final Restore restore;
    private final Miss miss;
    private final CurrentOutputs current = new CurrentOutputs();
    private final OutputRouter router;
    /** The last cached cell of each name in this session, for {@code %cellar why}. */
    private final Map<String, CellText> lastCells = new ConcurrentHashMap<>();

    /** The text of a cached cell, kept per name so that {@code %cellar why} can key it again. */
    private record CellText(String args, String rawBody) {}

    public CachedMagic(JShellEvaluator evaluator, OutputRouter router, Consumer<MimeBundle> display,
            Supplier<Cellar> cellar) {
        this.evaluator = evaluator;
        this.cellar = cellar;
        this.router = router;
        Provenance provenance = new Provenance();
        this.keys = new CellKey(evaluator, provenance);
        this.restore = new Restore(evaluator, router, display, provenance, current);
        this.miss = new Miss(evaluator, router, provenance, current);
    }

    @Override
    public CellValue run(String args, String rawBody, int cell) throws CellError {
        // The same text as the last run of a name: its outputs are probably current, so their digests
        // start now and overlap with keying the cell (CurrentOutputs.digestEarly).
        CurrentOutputs.Early early = null;
        CellText text = new CellText(args, rawBody);
        for (Map.Entry<String, CellText> e : lastCells.entrySet()) {
            if (e.getValue().equals(text)) {
                early = current.digestEarly(e.getKey());
                break;
            }
        }
        CellKey.Prepared prep = keys.prepare(args, rawBody);
        String name = prep.name();
        lastCells.put(name, new CellText(args, rawBody));
        if (prep.uncachable() != null) {
            // Nothing can key this cell, so nothing can be restored for it: it runs, every time.
            System.err.println("cellar: " + name + " not cached, it runs every time: " + prep.uncachable());
            JShellEvaluator.Result r = evaluator.run(prep.pieces(), cell);
            return new CellValue(r.hasValue(), r.value());
        }
        Cellar c;
        try {
            c = cellar.get();
        } catch (RuntimeException e) {
            // No store (unwritable directory, ...): the cell still runs, uncached, with one warning.
            System.err.println("cellar: warning: cannot open the store (" + e.getMessage() + "); running "
                    + name + " uncached");
            JShellEvaluator.Result r = evaluator.run(prep.pieces(), cell);
            return new CellValue(r.hasValue(), r.value());
        }
        Derivation derivation; // once, before the body runs: the saved entry must have the key looked up
        try {
            derivation = c.derive(prep.component());
        } catch (CellarException e) {
            throw new CellError.MagicError("cellar: cannot key cell " + name + ": " + e.getMessage());
        }
        if (!prep.force()) {
            // Methods, classes and records the body defines are not values: define them first (this runs
            // no user code) so that stored values of those types can be decoded and declared on a hit.
            if (!prep.definitions().isEmpty()) {
                evaluator.run(prep.definitions(), cell);
            }
            CurrentOutputs.Run same = current.current(name, derivation.key(), evaluator, early);
            if (same != null) {
                restore.replay(same.output());
                router.flush();
                System.out.println("cellar: HIT " + name + " [" + derivation.key().shortHex() + "] already current, saved "
                        + Sizes.duration(same.computeNanos()));
                return CellValue.NONE;
            }
            current.forget(name);
            if (lookUpAndRestore(c, derivation, prep)) {
                return CellValue.NONE;
            }
            if (!prep.noWait()) {
                // single flight: with a shared tier, wait while another kernel computes this cell, then hit
                try (Entries.Turn turn = c.entries().awaitTurn(derivation.key(), name,
                        line -> System.out.println("cellar: " + line))) {
                    if (turn.waited() && lookUpAndRestore(c, derivation, prep)) {
                        return CellValue.NONE;
                    }
                    return miss.compute(c, derivation, prep, cell);
                }
            }
        }
        return miss.compute(c, derivation, prep, cell);
    }

    private boolean lookUpAndRestore(Cellar c, Derivation derivation, CellKey.Prepared prep) throws CellError {
        long t0 = System.nanoTime();
        Optional<Entries.Hit> hit = c.entries().lookup(derivation, prep.component().type(),
                new SessionClassLoader(evaluator));
        return hit.isPresent() && restore.restore(prep.name(), hit.get(), t0);
    }

    /**
     * A fresh kernel's head start on its first hit: a throwaway cell of small outputs is cached (a miss)
     * and then restored (a hit) by throwaway magics on an in-memory cellar, so that keying a cell, the
     * store's lookup, the declarations, the status line and the replay have run once (their call sites
     * linked, their string concatenations and lambdas spun) before a notebook's first {@code %%cached}
     * cell. What it prints is dropped, its variables are dropped, and this magic's own state (the
     * session's provenance, its last runs) is not touched. Only before any cell ran: the kernel calls
     * it under the lock cells run under, while nothing is attached to the router.
     */
    public void warmUp() {
        String body = "int $cellarWarmA = 1;\nString $cellarWarmB = \"b\";\ndouble[] $cellarWarmC = {1.5};\n"
                + "java.util.List<String> $cellarWarmD = java.util.List.of(\"d\");\nSystem.out.println($cellarWarmA);";
        router.attach((stream, text) -> { });
        try (Cellar memory = Cellar.inMemory()) {
            new CachedMagic(evaluator, router, b -> { }, () -> memory).run("$cellarWarmUp", body, 0);
            new CachedMagic(evaluator, router, b -> { }, () -> memory).run("$cellarWarmUp", body, 0);
        } catch (CellError | RuntimeException e) {
            // Only a head start: the first real cell reports any real problem.
        } finally {
            for (jdk.jshell.VarSnippet v : evaluator.shell().variables()
                    .filter(v -> v.name().startsWith("$cellarWarm")).toList()) {
                evaluator.shell().drop(v);
            }
            router.flush();
            router.attach(null);
        }
    }

    /**
     * The hook for libraries: every jar the session added to its class path (%maven, %%loadFromPOM,
     * %jars, %classpath) enters the key, since the body may call into any of them.
     */
    public void keyLibraries(SessionLibraries libraries) {
        keys.keyLibraries(libraries);
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
            CellKey.Prepared p = keys.prepare(t.args(), t.rawBody());
            return p.uncachable() == null ? p.component() : null;
        } catch (CellError e) {
            return null;
        }
    }

    /** A declared type that Java source can name (not anonymous, intersection or captured). */
    public static boolean denotable(String type) {
        return CellKey.denotable(type);
    }
}
