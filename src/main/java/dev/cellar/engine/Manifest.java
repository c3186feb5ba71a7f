package dev.cellar.engine;

import dev.cellar.CodecException;
import dev.cellar.Key;
import dev.cellar.codec.json.JsonValues;
import dev.cellar.key.Ingredient;
import dev.cellar.store.StoredEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an entry is: its name and key, the readable key ingredients it was derived from (so {@code why}
 * can diff them), and each stored output's codec, shape, size and checksum. Stored as JSON beside the
 * payloads; {@link #FORMAT} is bumped on every breaking change and a newer format reads as a miss.
 */
public record Manifest(int format, String name, String key, long createdMillis, long computeNanos,
        List<Ingredient> ingredients, Map<String, Output> outputs, Map<String, String> notes) {

    /**
     * The newest entry format this version reads. Format 1 is written unless an output is split into
     * parts (format 2, {@link Output#parts()}): an older cellar must not read only the first part.
     */
    public static final int FORMAT = 2;

    /** The format an entry with these outputs is written in: the oldest that can describe them. */
    public static int formatFor(Map<String, Output> outputs) {
        return outputs.values().stream().anyMatch(o -> !o.parts().isEmpty()) ? 2 : 1;
    }

    public Manifest {
        ingredients = List.copyOf(ingredients);
        outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        notes = java.util.Collections.unmodifiableMap(new TreeMap<>(notes));
    }

    /**
     * One stored value: which payload holds it, how to decode it, and its CRC32C. A value too large for
     * one payload (an array of rows over 2 GiB) continues in {@code parts}, each a run of its rows encoded
     * alone by the same codec; {@code payload}, {@code size} and {@code crc32c} describe the first run.
     */
    public record Output(String payload, String codec, String descriptor, long size, long crc32c, List<Part> parts) {
        public Output {
            parts = List.copyOf(parts);
        }

        public Output(String payload, String codec, String descriptor, long size, long crc32c) {
            this(payload, codec, descriptor, size, crc32c, List.of());
        }

        /** Every payload of this value in order: the first, then the parts. */
        public List<Part> pieces() {
            List<Part> all = new ArrayList<>();
            all.add(new Part(payload, size, crc32c));
            all.addAll(parts);
            return all;
        }

        /** The bytes of all its payloads. */
        public long totalSize() {
            long total = size;
            for (Part p : parts) { // a loop, not a stream: this runs for every small entry
                total += p.size();
            }
            return total;
        }
    }

    /** A payload that holds a run of an output's rows. */
    public record Part(String payload, long size, long crc32c) {}

    /**
     * The bytes of {@code output} read from {@code entry}, checked against the size and CRC32C recorded
     * here; the one place where stored payloads are verified, for restores, {@code verify} and
     * {@code export} alike.
     *
     * @throws CodecException if the entry lacks the payload, or it has the wrong size or checksum
     */
    public ByteBuffer verifiedPayload(StoredEntry entry, String output) {
        return verifiedPayload(entry, output, output(output).pieces().get(0));
    }

    /** As {@link #verifiedPayload(StoredEntry, String)} for one piece of an output split into parts. */
    public ByteBuffer verifiedPayload(StoredEntry entry, String output, Part piece) {
        ByteBuffer data = payload(entry, output, piece);
        if (CrcChannel.crcOf(data) != piece.crc32c()) {
            throw new CodecException("payload of '" + output + "' fails its checksum");
        }
        return data;
    }

    /**
     * The bytes of {@code output}, checked for presence and size but not yet against the checksum:
     * for callers that checksum while decoding ({@link PayloadCrc}).
     *
     * @throws CodecException if the entry lacks the payload or it has the wrong size
     */
    ByteBuffer payload(StoredEntry entry, String output, Part piece) {
        if (!entry.payloadNames().contains(piece.payload())) {
            // a damaged or planted manifest; the store would throw NoSuchElementException on every read
            throw new CodecException("manifest names payload '" + piece.payload() + "' of '" + output
                    + "', which the entry does not have");
        }
        ByteBuffer data = entry.payload(piece.payload());
        if (data.remaining() != piece.size()) {
            throw new CodecException("payload of '" + output + "' has " + data.remaining()
                    + " bytes, manifest says " + piece.size());
        }
        return data.duplicate();
    }

    /** @throws CodecException if there is no such output */
    Output output(String output) {
        Output out = outputs.get(output);
        if (out == null) {
            throw new CodecException("manifest has no output '" + output + "'");
        }
        return out;
    }

    /** @throws CodecException if this manifest was not written for {@code key} (a swapped or planted record) */
    public void checkKey(Key key) {
        if (!this.key.equals(key.hex())) {
            throw new CodecException("manifest belongs to key " + this.key);
        }
    }

    /** Total payload bytes. */
    public long payloadBytes() {
        long total = 0;
        for (Output o : outputs.values()) {
            total += o.totalSize();
        }
        return total;
    }

    /** Compact JSON with sorted keys (see {@link ManifestJson}). */
    byte[] toJson() {
        return ManifestJson.write(this);
    }

    /** Pretty JSON for people (CLI {@code show --json}, {@code export}). */
    public String toPrettyJson() {
        return JsonValues.writePretty(JsonValues.parse(toJson()));
    }

    /**
     * Reads a manifest, validating every field it relies on.
     *
     * @throws CodecException if the bytes are not a well-formed manifest
     * @throws NewerFormatException if it was written by a newer cellar
     */
    public static Manifest fromJson(byte[] bytes) {
        Manifest exact = ManifestJsonReader.read(bytes);
        return exact != null ? exact : fromTree(ManifestJsonReader.parse(bytes));
    }

    /**
     * As {@link #fromJson}, for a restore: the ingredients are validated but left out (the result has
     * none), since a restore never reads them. Not for a manifest that is shown, exported or compared.
     */
    static Manifest forRestore(byte[] bytes) {
        Manifest exact = ManifestJsonReader.read(bytes, false);
        return exact != null ? exact : fromTree(ManifestJsonReader.parse(bytes));
    }

    /** A manifest from its parsed JSON tree, every field it relies on validated. */
    static Manifest fromTree(Object tree) {
        if (!(tree instanceof Map<?, ?> m)) {
            throw new CodecException("manifest is not a JSON object");
        }
        long format = num(m, "format");
        if (format > FORMAT) {
            throw new NewerFormatException("entry format " + format + " is newer than this cellar's " + FORMAT);
        }
        if (format < 1) {
            throw new CodecException("manifest format " + format + " is invalid");
        }
        List<Ingredient> ings = new ArrayList<>();
        for (Object o : list(m, "ingredients")) {
            Map<?, ?> im = map(o, "ingredient");
            ings.add(new Ingredient(str(im, "kind"), str(im, "name"), str(im, "display"), str(im, "detail"),
                    str(im, "digest")));
        }
        Map<String, Output> outs = new LinkedHashMap<>();
        for (Object o : list(m, "outputs")) {
            Map<?, ?> om = map(o, "output");
            String name = str(om, "name");
            if (outs.containsKey(name)) {
                throw new CodecException("manifest lists output '" + name + "' twice");
            }
            long size = num(om, "size");
            if (size < 0) {
                throw new CodecException("manifest gives output '" + name + "' a negative size");
            }
            List<Part> parts = new ArrayList<>();
            if (om.containsKey("parts")) {
                for (Object po : list(om, "parts")) {
                    Map<?, ?> pm = map(po, "part");
                    long partSize = num(pm, "size");
                    if (partSize < 0) {
                        throw new CodecException("manifest gives a part of output '" + name + "' a negative size");
                    }
                    parts.add(new Part(str(pm, "payload"), partSize, num(pm, "crc32c")));
                }
            }
            outs.put(name, new Output(str(om, "payload"), str(om, "codec"), str(om, "descriptor"), size,
                    num(om, "crc32c"), parts));
        }
        Map<String, String> notes = new TreeMap<>();
        Object n = m.get("notes");
        if (n != null) {
            map(n, "notes").forEach((k, v) -> {
                if (!(k instanceof String ks) || !(v instanceof String vs)) {
                    throw new CodecException("manifest notes must map strings to strings");
                }
                notes.put(ks, vs);
            });
        }
        return new Manifest((int) format, str(m, "name"), str(m, "key"), num(m, "created"),
                num(m, "computeNanos"), ings, outs, notes);
    }

    private static Map<?, ?> map(Object o, String what) {
        if (!(o instanceof Map<?, ?> mm)) {
            throw new CodecException("manifest " + what + " is not an object");
        }
        return mm;
    }

    private static List<?> list(Map<?, ?> m, String field) {
        if (!(m.get(field) instanceof List<?> l)) {
            throw new CodecException("manifest field '" + field + "' is missing or not a list");
        }
        return l;
    }

    private static String str(Map<?, ?> m, String field) {
        if (!(m.get(field) instanceof String s)) {
            throw new CodecException("manifest field '" + field + "' is missing or not a string");
        }
        return s;
    }

    private static long num(Map<?, ?> m, String field) {
        if (!(m.get(field) instanceof Long l)) {
            throw new CodecException("manifest field '" + field + "' is missing or not an integer");
        }
        return l;
    }

    /** Thrown when an entry comes from a newer cellar: a clean miss, never a misread. */
    public static final class NewerFormatException extends CodecException {
        NewerFormatException(String message) {
            super(message);
        }
    }
}
