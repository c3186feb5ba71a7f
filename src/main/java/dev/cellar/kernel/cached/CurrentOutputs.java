package dev.cellar.kernel.cached;

import dev.cellar.CellarException;
import dev.cellar.Key;
import dev.cellar.key.ChunkedDigest;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.jshell.VarSnippet;

/**
 * What the last run of each cached cell left in the session: its key, and for each output the variable's
 * declaration, object and digest. Rerunning an unchanged cell (Run All without a restart) while its
 * variables provably still hold those values keeps them instead of restoring a second copy: for an
 * 800 MB array that is a second 800 MB allocation, its first-touch page faults and a copy, while the first
 * copy is still held by the variable it replaces.
 *
 * <p>"Provably": the key is the same (so the cell, its inputs and its version are unchanged), each output
 * variable is still the declaration the cell made (same snippet, so no other cell redeclared it), holds
 * the very object the cell left (weakly referenced, so nothing is kept alive here), and that object's
 * digest still equals the one taken when the cell left it (so it was not modified in place). Anything
 * else is an ordinary hit. The digest is the kernel's own, {@link ChunkedDigest}: large arrays are
 * digested as independent slices on every processor, which one XXH3 chain cannot be; sound because it
 * is taken with the same function when recording and when checking, and never compared with a stored one.
 *
 * <p>The digest is the check's cost (one read of the value). When a cell is run
 * again with exactly the text of the last run of its name, the digests of that run's outputs start on a
 * background thread ({@link #digestEarly}) while the cell is keyed (JShell's analysis of the body), so
 * the two overlap on a second core. Sound as the inline digest is: each early digest is of the very
 * object the run left, read after the previous cell finished and while this one is being keyed (no cell
 * code runs in between), and it counts only if the variable still holds that object when checked.
 */
final class CurrentOutputs {
    /** One output as the cell left it. A null object is a null output. */
    private record Held(VarSnippet snippet, WeakReference<Object> object, boolean isNull, String digest) {}

    /** The last run of a cell: its key, its outputs, and what a hit replays and reports. */
    record Run(Key key, Map<String, Held> outputs, String output, long computeNanos) {}

    private final Map<String, Run> byName = new ConcurrentHashMap<>();
    private ExecutorService digester;

    /** Digests of one run's outputs started before the check, each of a known object. */
    static final class Early {
        private final Map<String, Object> objects = new LinkedHashMap<>();
        private final Map<String, Future<String>> digests = new LinkedHashMap<>();

        /** The digest of {@code object} if it is the one this digest was started for, else null. */
        private String of(String variable, Object object) {
            Future<String> f = digests.get(variable);
            if (f == null || objects.get(variable) != object) {
                return null;
            }
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            } catch (ExecutionException e) {
                return "";
            }
        }
    }

    /**
     * Starts digesting, on a background thread, each mutable output the last run of {@code name} left
     * and that is still alive; null if there is none.
     */
    Early digestEarly(String name) {
        Run run = byName.get(name);
        if (run == null) {
            return null;
        }
        Early early = new Early();
        for (Map.Entry<String, Held> e : run.outputs().entrySet()) {
            Object o = e.getValue().object().get();
            if (o == null || immutable(o)) {
                continue;
            }
            early.objects.put(e.getKey(), o);
            early.digests.put(e.getKey(), digester().submit(() -> digestOf(o)));
        }
        return early.digests.isEmpty() ? null : early;
    }

    private synchronized ExecutorService digester() {
        if (digester == null) {
            digester = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "cellar-current-digest");
                t.setDaemon(true);
                return t;
            });
        }
        return digester;
    }

    /**
     * Records what a cell of {@code name} under {@code key} left: {@code values} by variable, each with
     * its digest ({@code digests}: the entry's, {@link dev.cellar.key.ValueDigest}; missing for null
     * values). A large array's digest is taken again here as this class's own
     * ({@link ChunkedDigest}, on every processor), since that is what the check computes. Any earlier
     * run of another name whose outputs share a variable is forgotten: that variable now holds this
     * cell's value.
     */
    void record(String name, Key key, Map<String, Object> values, Map<String, String> digests, Started started,
            JShellEvaluator evaluator, String output, long computeNanos) {
        Map<String, VarSnippet> session = evaluator.variables();
        Map<String, Held> held = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            VarSnippet snippet = session.get(e.getKey());
            String digest = ChunkedDigest.sliced(e.getValue()) ? started.digest(e.getKey(), e.getValue())
                    : digests.get(e.getKey());
            if (snippet == null || (e.getValue() != null && digest == null)) {
                byName.remove(name);
                return;
            }
            held.put(e.getKey(), new Held(snippet, new WeakReference<>(e.getValue()), e.getValue() == null, digest));
        }
        byName.values().removeIf(r -> r.outputs().keySet().stream().anyMatch(held::containsKey));
        byName.put(name, new Run(key, held, output, computeNanos));
    }

    /**
     * The digests of a cell's large outputs, started before {@link #record} on the digest thread so that
     * they overlap with what the cell still does that runs no user code (storing the entry on a miss,
     * declaring the variables on a hit); {@link #record} waits for them.
     */
    static final class Started {
        private final Map<String, Object> objects = new LinkedHashMap<>();
        private final Map<String, Future<String>> digests = new LinkedHashMap<>();

        /**
         * The digest of {@code value}: the one started for it, else taken now (a restored variable changed in
         * place holds a copy of the decoded value, not the object whose digest was started).
         */
        private String digest(String variable, Object value) {
            Future<String> f = digests.get(variable);
            if (f == null || objects.get(variable) != value) {
                return digestOf(value);
            }
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ""; // equals no digest: the outputs are simply not current
            } catch (ExecutionException e) {
                return "";
            }
        }
    }

    /** Starts digesting the large arrays among {@code values} (by variable) in the background. */
    Started startDigests(Map<String, Object> values) {
        Started s = new Started();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object o = e.getValue();
            if (ChunkedDigest.sliced(o)) {
                s.objects.put(e.getKey(), o);
                s.digests.put(e.getKey(), digester().submit(() -> digestOf(o)));
            }
        }
        return s;
    }

    /** Forgets the last run of {@code name} (its outputs are about to be replaced). */
    void forget(String name) {
        byName.remove(name);
    }

    /**
     * The last run of {@code name}, if it had {@code key} and every output variable still holds the value
     * that run left; otherwise null. Digests every mutable output once (~14 GB/s), or takes the digest
     * {@code early} (may be null) made of that very object.
     */
    Run current(String name, Key key, JShellEvaluator evaluator, Early early) {
        Run run = byName.get(name);
        if (run == null || !run.key().equals(key)) {
            return null;
        }
        Map<String, VarSnippet> session = evaluator.variables();
        for (Map.Entry<String, Held> e : run.outputs().entrySet()) {
            if (session.get(e.getKey()) != e.getValue().snippet()) {
                return null;
            }
        }
        Map<String, Object> now;
        try {
            now = evaluator.values(run.outputs().keySet());
        } catch (CellError e) {
            return null;
        }
        for (Map.Entry<String, Held> e : run.outputs().entrySet()) {
            Held h = e.getValue();
            Object value = now.get(e.getKey());
            if (h.isNull()) {
                if (value != null) {
                    return null;
                }
                continue;
            }
            Object kept = h.object().get();
            // Boxed primitives and strings are immutable and re-boxed on every read: equal is enough.
            boolean same = immutable(kept) ? Objects.equals(kept, value) : kept != null && kept == value;
            if (!same) {
                return null;
            }
            String early0 = immutable(kept) || early == null ? null : early.of(e.getKey(), kept);
            if (!(early0 != null ? early0 : digestOf(value)).equals(h.digest())) {
                return null;
            }
        }
        return run;
    }

    private static boolean immutable(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof Double || o instanceof Float
                || o instanceof Short || o instanceof Byte || o instanceof Boolean || o instanceof Character
                || o instanceof String || o instanceof java.math.BigInteger || o instanceof java.math.BigDecimal;
    }

    private static String digestOf(Object value) {
        try {
            return ChunkedDigest.of(value);
        } catch (CellarException e) {
            return "";
        }
    }
}
