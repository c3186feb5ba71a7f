package dev.cellar.kernel.cached;

import dev.cellar.codec.json.JsonValues;
import dev.cellar.engine.CellEntry;
import dev.cellar.engine.Entries;
import dev.cellar.engine.Sizes;
import dev.cellar.kernel.display.MimeBundle;
import dev.cellar.kernel.jshell.Bridge;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.jshell.OutputRouter;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The hit side of {@code %%cached}: declares each output with its original type and value (a variable
 * the cell changed in place gets the stored value copied into the object it holds when the shapes
 * fit, so other names for that object see the change as they would after running the body), then
 * replays what the cell printed and displayed.
 */
final class Restore {
    private final JShellEvaluator evaluator;
    private final OutputRouter router;
    private final Consumer<MimeBundle> display;
    private final Provenance provenance;
    private final CurrentOutputs current;

    Restore(JShellEvaluator evaluator, OutputRouter router, Consumer<MimeBundle> display, Provenance provenance,
            CurrentOutputs current) {
        this.current = current;
        this.evaluator = evaluator;
        this.router = router;
        this.display = display;
        this.provenance = provenance;
    }

    /** Restores a hit; false if the entry does not fit this session (the caller then computes). */
    boolean restore(String name, Entries.Hit hit, long t0) throws CellError {
        CellEntry entry = CellEntry.fromNotes(hit.notes(), hit.values().keySet());
        StringBuilder restored = new StringBuilder();
        // Outputs that are declared anew: all declared together, in one JShell compile where possible.
        List<String> declarations = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (CellEntry.Output out : entry.outputs()) {
            String var = out.name();
            if (out.type() == null || !(out.isNull() || hit.values().containsKey(var))) {
                System.err.println("cellar: entry [" + hit.key().shortHex() + "] lacks output '" + var
                        + "'; recomputing");
                ids.forEach(Bridge::discard);
                return false;
            }
            Object value = out.isNull() ? null : hit.values().get(var);
            if (!(out.changedInPlace() && copyInto(var, value))) {
                String id = "cellar-restore-" + var;
                Bridge.put(id, value);
                ids.add(id);
                declarations.add(out.type() + " " + var + " = (" + out.type()
                        + ") dev.cellar.kernel.jshell.Bridge.take(\"" + id + "\");");
            }
            restored.append(restored.length() == 0 ? "" : ", ").append(var).append(' ').append(out.type())
                    .append(out.changedInPlace() ? " (changed in place)" : "");
        }
        // the kernel's digests of large outputs overlap with declaring them (CurrentOutputs.Started)
        CurrentOutputs.Started digesting = current.startDigests(hit.values());
        try {
            evaluator.declareAll(declarations);
        } catch (CellError e) {
            ids.forEach(Bridge::discard);
            System.err.println("cellar: could not restore the outputs of " + name + " (" + e.getMessage()
                    + "); recomputing");
            return false;
        }
        for (CellEntry.Output out : entry.outputs()) {
            provenance.record(out.name(), hit.key(), out.digest());
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        for (CellEntry.Output out : entry.outputs()) {
            kept.put(out.name(), out.changedInPlace() ? evaluator.values(List.of(out.name())).get(out.name())
                    : hit.values().get(out.name()));
            if (out.digest() != null) {
                digests.put(out.name(), out.digest());
            }
        }
        current.record(name, hit.key(), kept, digests, digesting, evaluator, entry.printed(), hit.computeNanos());
        long restoreNanos = System.nanoTime() - t0; // what the user waited for, the digests included
        replay(entry.printed());
        router.flush();
        System.out.println("cellar: HIT " + name + " [" + hit.key().shortHex() + "]" + hit.fromPhrase() + " restored "
                + restored + " "
                + Sizes.format(hit.bytes()) + " in " + Sizes.duration(restoreNanos) + ", saved "
                + Sizes.duration(hit.computeNanos()));
        return true;
    }

    /**
     * Copies a stored value into the object the variable holds now, if both are arrays of one type and
     * length, or modifiable collections or maps; false if they do not fit (the variable is declared anew).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean copyInto(String var, Object stored) throws CellError {
        if (stored == null || !evaluator.variables().containsKey(var)) {
            return false;
        }
        Object now = evaluator.values(List.of(var)).get(var);
        if (now == null || now == stored) {
            return false;
        }
        try {
            if (now.getClass().isArray() && now.getClass() == stored.getClass()
                    && Array.getLength(now) == Array.getLength(stored)) {
                System.arraycopy(stored, 0, now, 0, Array.getLength(now));
                return true;
            }
            if (now instanceof List && stored instanceof List || now instanceof java.util.Set && stored instanceof java.util.Set) {
                Collection c = (Collection) now;
                c.clear();
                c.addAll((Collection) stored);
                return true;
            }
            if (now instanceof Map m && stored instanceof Map s) {
                m.clear();
                m.putAll(s);
                return true;
            }
            if (now.getClass() == stored.getClass() && now.getClass().getName().startsWith("REPL.")
                    && !now.getClass().isRecord()) {
                return copyFields(now, stored);
            }
        } catch (RuntimeException | ReflectiveOperationException e) {
            // An unmodifiable collection, an element the array refuses: declare the variable anew.
        }
        return false;
    }

    /** A notebook class's object: every instance field set from the stored one (no code runs). */
    private static boolean copyFields(Object now, Object stored) throws ReflectiveOperationException {
        List<java.lang.reflect.Field> fields = new java.util.ArrayList<>();
        for (Class<?> k = now.getClass(); k != Object.class; k = k.getSuperclass()) {
            if (!k.getName().startsWith("REPL.")) {
                return false;
            }
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
        }
        for (java.lang.reflect.Field f : fields) {
            f.set(now, f.get(stored));
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    void replay(String json) {
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
                ("stderr".equals(it.get("stream")) ? System.err : System.out).print(String.valueOf(it.get("text")));
            } else if (it.get("display") instanceof Map<?, ?> m) {
                router.flush();
                display.accept(new MimeBundle((Map<String, Object>) m));
            }
        }
        System.out.flush();
        System.err.flush();
    }
}
