package dev.cellar.kernel.cached;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.codec.json.JsonValues;
import dev.cellar.engine.CellEntry;
import dev.cellar.engine.Entries;
import dev.cellar.engine.Sizes;
import dev.cellar.key.Derivation;
import dev.cellar.key.ValueDigest;
import dev.cellar.kernel.display.Rich;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.jshell.OutputRouter;
import dev.cellar.kernel.magic.CellValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jshell.VarSnippet;

/**
 * The miss side of {@code %%cached}: runs the body while capturing what it prints and displays, then
 * stores as one entry the variables it declared (or those {@code --outputs} names) and every variable
 * it read and changed without declaring it: reassigned, or changed in place (an array filled, an
 * element added to a list, a field set on an object it holds), found by digesting each such variable
 * before and after. A hit that skipped such a change would leave the session with the old value.
 *
 * <p>The body ran and succeeded, so nothing here fails the cell: an output that cannot be stored (no
 * codec, a type Java cannot name) is one warning line, and the cell is not cached, so it runs again
 * next time instead of leaving a wrong value behind.
 */
final class Miss {
    private final JShellEvaluator evaluator;
    private final OutputRouter router;
    private final Provenance provenance;
    private final CurrentOutputs current;

    Miss(JShellEvaluator evaluator, OutputRouter router, Provenance provenance, CurrentOutputs current) {
        this.current = current;
        this.evaluator = evaluator;
        this.router = router;
        this.provenance = provenance;
    }

    CellValue compute(Cellar c, Derivation derivation, CellKey.Prepared prep, int cell) throws CellError {
        router.startCapture();
        long t0 = System.nanoTime();
        JShellEvaluator.Result result;
        List<OutputRouter.Item> captured;
        try {
            result = evaluator.run(prep.pieces(), cell);
            if (result.hasValue()) {
                router.recordDisplay(Rich.render(result.value()).data());
            }
        } finally {
            captured = router.stopCapture();
        }
        long computeNanos = System.nanoTime() - t0;
        CellValue value = new CellValue(result.hasValue(), result.value());
        String name = prep.name();

        Map<String, VarSnippet> session = evaluator.variables();
        Set<String> declared = new LinkedHashSet<>();
        for (VarSnippet v : result.declaredVars()) {
            if (!v.name().startsWith("$")) {
                declared.add(v.name());
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        if (prep.outputsOpt() != null) {
            for (String o : prep.outputsOpt()) {
                if (session.containsKey(o)) {
                    outputs.add(o);
                } else {
                    problems.add("--outputs names '" + o + "', which the cell did not leave");
                }
            }
        } else {
            outputs.addAll(declared);
        }
        Map<String, Before.After> changed = changes(prep.watched(), declared, outputs, session);

        List<CellEntry.Output> entryOutputs = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>(evaluator.values(outputs));
        for (String o : outputs) {
            String type = session.get(o).typeName();
            String digest = null;
            try {
                digest = ValueDigest.of(values.get(o), "output " + o);
            } catch (CellarException e) {
                problems.add("output '" + o + "' (" + type + ") has no codec: " + e.getMessage());
            }
            if (!CellKey.denotable(type)) {
                problems.add("output '" + o + "' has type " + type + ", which Java cannot write, so it cannot be"
                        + " restored; declare it with an explicit type");
            }
            entryOutputs.add(new CellEntry.Output(o, type, values.get(o) == null, digest, false));
        }
        for (Before.After a : changed.values()) {
            String type = session.get(a.name()).typeName();
            String how = a.reassigned() ? " was reassigned" : " changed in place";
            if (a.problem() != null) {
                problems.add(a.name() + how + " and cannot be stored: " + a.problem());
            } else if (!CellKey.denotable(type)) {
                problems.add(a.name() + how + " and has type " + type + ", which Java cannot write");
            }
            values.put(a.name(), a.value());
            entryOutputs.add(new CellEntry.Output(a.name(), type, a.value() == null, a.digest(), true));
        }
        if (!problems.isEmpty()) {
            notCached(name, problems);
            return value;
        }
        CellEntry entry = new CellEntry(entryOutputs, JsonValues.write(toJson(captured)));
        Map<String, Object> nonNull = new LinkedHashMap<>();
        // The store keeps non-null values only; a null output is a note, declared null on a hit.
        values.forEach((k, v) -> {
            if (v != null) {
                nonNull.put(k, v);
            }
        });
        CurrentOutputs.Started digesting = current.startDigests(values); // overlaps with storing
        Entries.Saved saved;
        try {
            saved = c.entries().save(derivation, name, nonNull, entry.toNotes(), computeNanos);
        } catch (CellarException e) {
            notCached(name, List.of(e.getMessage()));
            return value;
        }
        Map<String, String> digests = new LinkedHashMap<>();
        for (CellEntry.Output o : entryOutputs) {
            provenance.record(o.name(), derivation.key(), o.digest());
            if (o.digest() != null) {
                digests.put(o.name(), o.digest());
            }
        }
        if (saved.stored()) {
            current.record(name, derivation.key(), values, digests, digesting, evaluator, entry.printed(), computeNanos);
        }
        router.flush();
        System.out.println("cellar: MISS " + name + " [" + derivation.key().shortHex() + "]"
                + (prep.force() ? " (forced)" : "") + " computed in " + Sizes.duration(computeNanos) + ", "
                + status(saved, entryOutputs, changed));
        return value;
    }

    /**
     * The watched variables the body changed without declaring them (a reassigned or changed-in-place
     * variable that is also a declared output or listed in {@code --outputs} is stored as that).
     */
    private Map<String, Before.After> changes(List<Before> watched, Set<String> declared, List<String> outputs,
            Map<String, VarSnippet> session) throws CellError {
        Map<String, Before.After> changed = new LinkedHashMap<>();
        List<Before> proved = new ArrayList<>();
        for (Before b : watched) {
            if (declared.contains(b.name()) || outputs.contains(b.name()) || !session.containsKey(b.name())) {
                continue;
            }
            if (b.onlyRead()) {
                proved.add(b);
                continue;
            }
            Object now = evaluator.values(List.of(b.name())).get(b.name());
            Before.After a = b.changedTo(now, true);
            if (a != null) {
                changed.put(b.name(), a);
            }
        }
        // An array the body only reads by index is unchanged unless another variable that changed holds
        // it too (an object with the array in a field): then the proof does not hold, so digest it.
        boolean trust = changed.isEmpty();
        for (Before b : proved) {
            Object now = evaluator.values(List.of(b.name())).get(b.name());
            Before.After a = b.changedTo(now, trust);
            if (a != null) {
                changed.put(b.name(), a);
            }
        }
        return changed;
    }

    private static String status(Entries.Saved saved, List<CellEntry.Output> outputs,
            Map<String, Before.After> changes) {
        if (!saved.stored()) {
            return "not stored (the store is unavailable)";
        }
        StringBuilder declared = new StringBuilder();
        StringBuilder changed = new StringBuilder();
        for (CellEntry.Output o : outputs) {
            if (o.changedInPlace()) {
                changed.append("; ").append(o.name())
                        .append(changes.get(o.name()).reassigned() ? " reassigned" : " changed in place")
                        .append(": stored");
            } else {
                declared.append(declared.length() == 0 ? "" : ", ").append(o.name()).append(' ').append(o.type());
            }
        }
        return "stored " + (declared.length() == 0 ? "" : declared + " ") + Sizes.format(saved.bytes()) + " in "
                + Sizes.duration(saved.nanos()) + changed;
    }

    private static void notCached(String name, List<String> problems) {
        System.err.println("cellar: " + name + " not cached, it runs every time: " + String.join("; ", problems));
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
}
