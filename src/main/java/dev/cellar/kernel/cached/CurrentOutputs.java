package dev.cellar.kernel.cached;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.Key;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
 */
final class CurrentOutputs {
    /** One output as the cell left it. A null object is a null output. */
    private record Held(VarSnippet snippet, WeakReference<Object> object, boolean isNull, String digest) {}

    /** The last run of a cell: its key, its outputs, and what a hit replays and reports. */
    record Run(Key key, Map<String, Held> outputs, String output, long computeNanos) {}

    private final Map<String, Run> byName = new ConcurrentHashMap<>();

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
            held.put(e.getKey(), new Held(snippet, new WeakReference<>(e.getValue()), e.getValue() == null, digest));
        }
        byName.values().removeIf(r -> r.outputs().keySet().stream().anyMatch(held::containsKey));
        byName.put(name, new Run(key, held, output, computeNanos));
    }

    /** Forgets the last run of {@code name} (its outputs are about to be replaced). */
    void forget(String name) {
        byName.remove(name);
    }

    /**
     * The last run of {@code name}, if it had {@code key} and every output variable still holds the value
     * that run left; otherwise null. Digests every mutable output once (~14 GB/s).
     */
    Run current(String name, Key key, JShellEvaluator evaluator) {
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
            if (!same || !digestOf(value).equals(h.digest())) {
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
