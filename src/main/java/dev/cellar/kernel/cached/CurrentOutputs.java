package dev.cellar.kernel.cached;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.Key;
import dev.cellar.key.ValueDigest;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
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
 * digest still equals the one stored with the entry (so it was not modified in place). Anything else is
 * an ordinary hit.
 *
 * <p>The digest is the check's cost (one read of the value: ~60-130 ms for 800 MB). A kernel-own digest of
 * 8 MiB slices on two threads (XXH3-128 each, joined by SHA-256; sound, being taken alike when recording
 * and checking) was tried and reverted: at load 6 on this 2-core machine it took 120-145 ms against
 * 117-131 ms for the one XXH3 chain, at equal CPU, and it adds a digest to every large store and restore. When a cell is run
 * again with exactly the text of the last run of its name, the digests of that run's outputs start on a
 * background thread ({@link #digestEarly}) while the cell is keyed (JShell's analysis of the body), so
 * the two overlap on a second core. Sound as the inline digest is: each early digest is of the very
 * object the run left, read after the previous cell finished and while this one is being keyed (no cell
 * code runs in between), and it counts only if the variable still holds that object when checked.
 */
final class CurrentOutputs {
    /**
     * One output as the cell left it. A null object is a null output. Mutable objects are held weakly, so
     * nothing is kept alive here; immutable ones ({@link #immutable}) strongly, because a primitive
     * variable is re-boxed on every read: the box the cell's run produced is held by nobody else, and a
     * weak reference to it was cleared by the next collection, after which the cell was never current.
     */
    private record Held(VarSnippet snippet, Object immutableValue, WeakReference<Object> object, boolean isNull,
            String digest) {
        Object value() {
            return immutableValue != null ? immutableValue : object.get();
        }
    }

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
            Object o = e.getValue().value();
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
     * its digest ({@code digests}, missing for null values). Any earlier run of another name whose outputs
     * share a variable is forgotten: that variable now holds this cell's value.
     */
    void record(String name, Key key, Map<String, Object> values, Map<String, String> digests,
            JShellEvaluator evaluator, String output, long computeNanos) {
        Map<String, VarSnippet> session = evaluator.variables();
        Map<String, Held> held = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            VarSnippet snippet = session.get(e.getKey());
            String digest = digests.get(e.getKey());
            if (snippet == null || (e.getValue() != null && digest == null)) {
                byName.remove(name);
                return;
            }
            Object v = e.getValue();
            held.put(e.getKey(), immutable(v) ? new Held(snippet, v, null, false, digest)
                    : new Held(snippet, null, new WeakReference<>(v), v == null, digest));
        }
        byName.values().removeIf(r -> r.outputs().keySet().stream().anyMatch(held::containsKey));
        byName.put(name, new Run(key, held, output, computeNanos));
        // A rerun will digest these outputs while the user waits; the digest's one-time warm-up (~50-100 ms
        // the first time a JVM digests an array over 64 MB) is paid now, on the digest thread, instead.
        List<Object> large = values.values().stream().filter(v -> v != null && v.getClass().isArray()
                && v.getClass().getComponentType().isPrimitive()).toList();
        if (!large.isEmpty()) {
            digester().submit(() -> large.forEach(ValueDigest::warmUpFor));
        }
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
            Object kept = h.value();
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
            return Cellar.digest(value);
        } catch (CellarException e) {
            return "";
        }
    }
}
