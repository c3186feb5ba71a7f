package dev.cellar.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code %%cached} cell stores beside its values, as the entry's notes: the outputs in order,
 * each with its declared Java type, whether it was null (the store keeps non-null values only), the
 * digest it had when stored (so that a later cell reading it can be keyed by provenance) and whether
 * the cell changed an existing variable in place rather than declaring it; and the cell's printed and
 * displayed output as JSON, replayed on a hit.
 *
 * <p>The note names are the on-disk format and never change: {@code outputs} (comma-separated names),
 * {@code type.X}, {@code null.X} ({@code "true"}), {@code digest.X}, {@code output}; {@code changed}
 * (comma-separated names) was added later and is absent from older entries, which read as declaring
 * every output.
 */
public record CellEntry(List<Output> outputs, String printed) {
    static final String OUTPUTS = "outputs";
    static final String PRINTED = "output";
    static final String CHANGED = "changed";
    static final String TYPE = "type.";
    static final String NULL = "null.";
    static final String DIGEST = "digest.";

    /**
     * One output variable. {@code type} is null only in an entry that does not say (it cannot be
     * restored); {@code digest} is null if none was recorded.
     */
    public record Output(String name, String type, boolean isNull, String digest, boolean changedInPlace) {}

    public CellEntry {
        outputs = List.copyOf(outputs);
    }

    /** The output named {@code name}, or null. */
    public Output output(String name) {
        for (Output o : outputs) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** The entry as notes, in the names above. */
    public Map<String, String> toNotes() {
        Map<String, String> notes = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Output o : outputs) {
            names.add(o.name());
            if (o.type() != null) {
                notes.put(TYPE + o.name(), o.type());
            }
            if (o.digest() != null) {
                notes.put(DIGEST + o.name(), o.digest());
            }
            if (o.isNull()) {
                notes.put(NULL + o.name(), "true");
            }
            if (o.changedInPlace()) {
                changed.add(o.name());
            }
        }
        notes.put(OUTPUTS, String.join(",", names));
        if (!changed.isEmpty()) {
            notes.put(CHANGED, String.join(",", changed));
        }
        if (printed != null) {
            notes.put(PRINTED, printed);
        }
        return notes;
    }

    /**
     * Reads an entry's notes. {@code storedValues} are the names of the values the entry holds; they
     * are the outputs of an entry whose notes do not list them.
     */
    public static CellEntry fromNotes(Map<String, String> notes, Set<String> storedValues) {
        List<String> names = new ArrayList<>();
        String listed = notes.get(OUTPUTS);
        if (listed != null && !listed.isEmpty()) {
            names.addAll(List.of(listed.split(",")));
        } else {
            names.addAll(storedValues);
        }
        String changedNote = notes.get(CHANGED);
        Set<String> changed = changedNote == null || changedNote.isEmpty() ? Set.of() : new HashSet<>(List.of(changedNote.split(",")));
        List<Output> outputs = new ArrayList<>();
        for (String n : names) {
            outputs.add(new Output(n, notes.get(TYPE + n), "true".equals(notes.get(NULL + n)), notes.get(DIGEST + n),
                    changed.contains(n)));
        }
        return new CellEntry(outputs, notes.get(PRINTED));
    }

    /** The declared type of output {@code name} as an entry's notes give it, or null. */
    public static String typeOf(Map<String, String> notes, String name) {
        return notes.get(TYPE + name);
    }
}
