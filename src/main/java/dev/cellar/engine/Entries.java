package dev.cellar.engine;

import dev.cellar.CodecException;
import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.codec.Codec;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import dev.cellar.key.Derivation;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreStats;
import dev.cellar.store.StoredEntry;
import dev.cellar.store.shared.SingleFlight;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Entries of named values over one store: saving (encode, checksum, manifest, atomic commit) and the
 * one reading policy that restores, {@code verify} and {@code export} share: open the entry, parse its
 * manifest, check that it belongs to the key, verify every payload against its checksum; an entry of a
 * newer format is a miss left untouched, a damaged one is a miss plus one warning and is removed.
 * {@code Cellar}, the kernel and the operations all read and write through this class.
 *
 * <p>Thread-safe if the store is. It does not own the store: whoever opened the store closes it.
 */
public final class Entries {
    /** Below this a separate checksum pass costs less than a microsecond per KB; not worth the care. */
    private static final long FUSED_CHECKSUM_BYTES = 1 << 20;

    private final DataStore store;
    private final CodecRegistry codecs;
    private final Consumer<String> warnings;
    private final boolean enabled;
    /** The largest payload written; a larger array of rows is stored in parts ({@link Parts}). */
    private final long partLimit;

    /** {@code enabled} false: lookups miss and saves store nothing (a disabled cellar); housekeeping still works. */
    public Entries(DataStore store, CodecRegistry codecs, Consumer<String> warnings, boolean enabled) {
        this(store, codecs, warnings, enabled, Parts.MAX_PAYLOAD);
    }

    /** With a smaller part limit, so that tests split values of kilobytes as a real store splits gigabytes. */
    Entries(DataStore store, CodecRegistry codecs, Consumer<String> warnings, boolean enabled, long partLimit) {
        this.store = Objects.requireNonNull(store, "store");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.enabled = enabled;
        this.partLimit = partLimit;
    }

    /**
     * A restored entry: its values by name, its notes, what computing it cost, its payload size, and
     * where it was fetched from if not the local store ({@code "shared (postgres+s3)"}, else null).
     */
    public record Hit(Key key, Map<String, Object> values, Map<String, String> notes, long computeNanos,
            long bytes, String from) {
        /** {@code " from shared (postgres+s3),"} or {@code ""}, for status lines. */
        public String fromPhrase() {
            return from == null ? "" : " from " + from + ",";
        }
    }

    /** A turn at computing a missed key (see {@link #awaitTurn}); close it after saving. */
    public interface Turn extends AutoCloseable {
        /** True if another process computed the key meanwhile: look it up again. */
        boolean waited();

        @Override
        void close();
    }

    /**
     * Single flight: with a shared tier, waits while another process computes {@code key} (each waiting
     * line goes to {@code waiting}) and returns when this process may compute it or the other stored it.
     * Without a shared tier it returns at once.
     */
    public Turn awaitTurn(Key key, String name, Consumer<String> waiting) {
        if (!enabled) {
            return NO_TURN;
        }
        SingleFlight.Turn t = SingleFlight.await(store, key, name, waiting);
        return new Turn() {
            @Override
            public boolean waited() {
                return t.waited();
            }

            @Override
            public void close() {
                t.close();
            }
        };
    }

    private static final Turn NO_TURN = new Turn() {
        @Override
        public boolean waited() {
            return false;
        }

        @Override
        public void close() {}
    };

    /** What {@link #save} wrote; {@code key} is null and {@code bytes} 0 if the store could not be written. */
    public record Saved(Key key, long bytes, long nanos, boolean stored) {
        /** Nothing written: a disabled cellar. */
        public static final Saved NOTHING = new Saved(null, 0, 0, false);
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * The entry under {@code derivation}'s key, decoded with classes from {@code loader}, if present and
     * sound. Callers that look up, run and then save derive once and pass the same derivation to both: a
     * computation that modifies its inputs in place would otherwise be stored under the key of the
     * modified inputs. {@code name} only labels warnings.
     */
    public Optional<Hit> lookup(Derivation derivation, String name, ClassLoader loader) {
        return lookup(derivation.key(), name, loader, null);
    }

    /**
     * As {@link #lookup(Derivation, String, ClassLoader)}; {@code required} names the output the caller
     * returns (null if none), so a manifest without it is damage, not a null value.
     */
    public Optional<Hit> lookup(Key key, String name, ClassLoader loader, String required) {
        if (!enabled) {
            return Optional.empty();
        }
        Optional<StoredEntry> opened;
        try {
            opened = store.open(key);
        } catch (StoreException e) {
            warnings.accept("cannot read " + name + " [" + key.shortHex() + "]: " + e.getMessage() + "; recomputing");
            return Optional.empty();
        }
        if (opened.isEmpty()) {
            statistics(store::recordMiss);
            return Optional.empty();
        }
        try (StoredEntry entry = opened.get()) {
            Manifest manifest = Manifest.forRestore(entry.manifest());
            manifest.checkKey(key);
            if (required != null && !manifest.outputs().containsKey(required)) {
                throw new CodecException("manifest has no output '" + required + "'");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, Manifest.Output> e : manifest.outputs().entrySet()) {
                Manifest.Output out = e.getValue();
                Codec codec = codecs.byId(out.codec()).orElseThrow(
                        () -> new CodecException("unknown codec '" + out.codec() + "'"));
                values.put(e.getKey(), decode(manifest, entry, e.getKey(), codec, loader));
            }
            statistics(() -> store.recordHit(key, manifest.computeNanos()));
            return Optional.of(new Hit(key, values, manifest.notes(), manifest.computeNanos(),
                    manifest.payloadBytes(), entry.fetchedFrom()));
        } catch (Manifest.NewerFormatException e) {
            warnings.accept(name + " [" + key.shortHex() + "] was written by a newer cellar (" + e.getMessage()
                    + "); recomputing without touching it");
            statistics(store::recordMiss);
            return Optional.empty();
        } catch (CodecException | StoreException e) {
            warnings.accept("corrupt entry " + name + " [" + key.shortHex() + "]: " + e.getMessage()
                    + "; removed, recomputing");
            try {
                store.remove(key);
            } catch (StoreException ignored) {
                // the store is unwritable; the entry stays a miss every time, which is still correct
            }
            statistics(store::recordMiss);
            return Optional.empty();
        }
    }

    /**
     * What is wrong with the entry under {@code key}, if anything: the same checks as a restore without
     * decoding. An absent entry (removed meanwhile) and one of a newer format (not ours to judge) have
     * no problem.
     */
    public Optional<String> problem(Key key) {
        Optional<StoredEntry> opened;
        try {
            opened = store.open(key);
        } catch (StoreException e) {
            return Optional.of(e.getMessage());
        }
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        try (StoredEntry entry = opened.get()) {
            Manifest m = manifestOf(key, entry);
            for (Map.Entry<String, Manifest.Output> o : m.outputs().entrySet()) {
                for (Manifest.Part piece : o.getValue().pieces()) {
                    m.verifiedPayload(entry, o.getKey(), piece);
                }
            }
            return Optional.empty();
        } catch (Manifest.NewerFormatException e) {
            return Optional.empty();
        } catch (CodecException | StoreException | NoSuchElementException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The manifest of the entry under {@code key}, if present.
     *
     * @throws CodecException if it is present but malformed or belongs to another key
     */
    public Optional<Manifest> manifest(Key key) {
        Optional<StoredEntry> e = store.open(key);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        try (StoredEntry entry = e.get()) {
            return Optional.of(manifestOf(key, entry));
        }
    }

    /**
     * Hands each output's verified bytes to {@code sink} (for {@code export}), with the manifest. An output
     * stored in parts is handed over part by part: its first part under its name, the others as
     * {@code NAME.part2}, {@code NAME.part3}, ..., each described as a value of its own.
     *
     * @throws CodecException if the entry is damaged
     * @throws NoSuchElementException if it is absent
     */
    public Manifest read(Key key, PayloadSink sink) throws IOException {
        try (StoredEntry entry = store.open(key).orElseThrow(
                () -> new NoSuchElementException("entry " + key.shortHex() + " disappeared"))) {
            Manifest m = manifestOf(key, entry);
            for (Map.Entry<String, Manifest.Output> o : m.outputs().entrySet()) {
                Manifest.Output out = o.getValue();
                List<Manifest.Part> pieces = out.pieces();
                for (int i = 0; i < pieces.size(); i++) {
                    Manifest.Part p = pieces.get(i);
                    sink.accept(i == 0 ? o.getKey() : o.getKey() + ".part" + (i + 1),
                            i == 0 ? out : new Manifest.Output(p.payload(), out.codec(), out.descriptor(), p.size(), p.crc32c()),
                            m.verifiedPayload(entry, o.getKey(), p));
                }
            }
            return m;
        }
    }

    /** Receives one verified payload. */
    public interface PayloadSink {
        void accept(String output, Manifest.Output described, ByteBuffer data) throws IOException;
    }

    private static Manifest manifestOf(Key key, StoredEntry entry) {
        Manifest manifest = Manifest.fromJson(entry.manifest());
        manifest.checkKey(key);
        return manifest;
    }

    /**
     * Hit and miss counts are best effort: on a full disk they cannot be written, and that must neither
     * turn a sound hit into a "corrupt entry" nor a miss into an exception. The save that follows a miss
     * warns about the full disk once.
     */
    private static void statistics(Runnable record) {
        try {
            record.run();
        } catch (StoreException e) {
            // statistics are lost; values are not
        }
    }

    /**
     * Decodes one output, its checksum verified. A large payload whose codec runs no user code is
     * checksummed during the decode (the value is dropped if the checksum then fails: the codecs treat
     * bytes as untrusted anyway); anything else is verified before the codec sees it.
     */
    private static Object decode(Manifest manifest, StoredEntry entry, String output, Codec codec, ClassLoader loader) {
        Manifest.Output out = manifest.output(output);
        if (out.parts().isEmpty()) {
            return decode(manifest, entry, output, out.pieces().get(0), out.descriptor(), codec, loader);
        }
        List<Object> parts = new java.util.ArrayList<>();
        for (Manifest.Part piece : out.pieces()) {
            parts.add(decode(manifest, entry, output, piece, out.descriptor(), codec, loader));
        }
        return Parts.join(output, parts);
    }

    private static Object decode(Manifest manifest, StoredEntry entry, String output, Manifest.Part piece,
            String descriptor, Codec codec, ClassLoader loader) {
        if (piece.size() < FUSED_CHECKSUM_BYTES || !codec.decodesWithoutUserCode(descriptor)) {
            return codec.decode(descriptor, manifest.verifiedPayload(entry, output, piece),
                    new DecodeContext(loader, DecodeContext.DEFAULT_MAX_BYTES));
        }
        ByteBuffer data = manifest.payload(entry, output, piece);
        PayloadCrc crc = new PayloadCrc(data);
        // bulk copies read the store's file instead of faulting in its mapping, and are checksummed
        // from the very bytes the value is built from
        DecodeContext.Bulk bulk = (offset, dst) -> {
            int from = dst.position();
            entry.read(piece.payload(), offset, dst);
            crc.copied(offset, dst.duplicate().limit(dst.position()).position(from));
        };
        Object value;
        try {
            value = codec.decode(descriptor, data,
                    new DecodeContext(loader, DecodeContext.DEFAULT_MAX_BYTES, crc::upTo, bulk));
        } catch (RuntimeException e) {
            if (crc.finish() != piece.crc32c()) {
                throw new CodecException("payload of '" + output + "' fails its checksum", e);
            }
            throw e; // sound bytes that a codec could not decode: a codec bug, not a corrupt entry
        }
        if (crc.finish() != piece.crc32c()) {
            throw new CodecException("payload of '" + output + "' fails its checksum");
        }
        return value;
    }

    // ---- writing -------------------------------------------------------------------------------

    /**
     * Stores several named values as one entry under {@code derivation}'s key, atomically, with notes
     * (small strings kept in the manifest). A store that cannot be written is a warning and a
     * {@link Saved} with {@code stored} false.
     *
     * @throws CodecException if a value is null or has no codec; it names the value and its type;
     *     nothing is stored
     */
    public Saved save(Derivation derivation, String name, Map<String, Object> values, Map<String, String> notes,
            long computeNanos) {
        if (!enabled) {
            return Saved.NOTHING;
        }
        long start = System.nanoTime();
        Map<String, List<Encoded>> encoded = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                throw new CodecException("value '" + e.getKey() + "' is null; cellar stores only non-null values");
            }
            try {
                encoded.put(e.getKey(), Parts.encode(codecs.forValue(v), v, partLimit));
            } catch (CodecException ex) {
                throw new CodecException("value '" + e.getKey() + "' of type " + v.getClass().getTypeName()
                        + ": " + ex.getMessage(), ex);
            }
        }
        Key key = derivation.key();
        Map<String, Manifest.Output> outputs = new LinkedHashMap<>();
        try (EntryWriter writer = store.begin(key)) {
            int i = 0;
            for (Map.Entry<String, List<Encoded>> e : encoded.entrySet()) {
                List<Manifest.Part> pieces = new java.util.ArrayList<>();
                for (Encoded piece : e.getValue()) {
                    String payload = "p" + i++;
                    CrcChannel ch = new CrcChannel(writer.payload(payload));
                    try (WritableByteChannel ignored = ch) {
                        piece.writeTo(ch);
                    }
                    pieces.add(new Manifest.Part(payload, ch.count(), ch.crc()));
                }
                Encoded first = e.getValue().get(0);
                Manifest.Part p0 = pieces.get(0);
                outputs.put(e.getKey(), new Manifest.Output(p0.payload(), first.codecId(), first.descriptor(), p0.size(),
                        p0.crc32c(), pieces.subList(1, pieces.size())));
            }
            long now = System.currentTimeMillis();
            Manifest manifest = new Manifest(Manifest.formatFor(outputs), name, key.hex(), now, computeNanos,
                    derivation.ingredients(), outputs, notes);
            writer.commit(manifest.toJson(), new EntryMetadata(name, now, computeNanos));
        } catch (IOException | StoreException e) {
            warnings.accept("could not store " + name + " [" + key.shortHex() + "]: " + e.getMessage()
                    + "; the result is returned but not cached");
            return new Saved(null, 0, System.nanoTime() - start, false);
        }
        long bytes = 0;
        for (Manifest.Output o : outputs.values()) {
            bytes += o.totalSize();
        }
        return new Saved(key, bytes, System.nanoTime() - start, true);
    }

    // ---- housekeeping --------------------------------------------------------------------------

    /** Every entry's metadata. */
    public List<EntryInfo> list() {
        return store.list();
    }

    /** The metadata of the entries named {@code name} (the store's index by name, where it has one). */
    public List<EntryInfo> list(String name) {
        return store.list(name);
    }

    public boolean contains(Key key) {
        return store.contains(key);
    }

    /** Removes the entry under {@code key}; returns whether it was there. */
    public boolean remove(Key key) {
        return store.remove(key);
    }

    /** Evicts least valuable entries until the store holds at most {@code maxBytes}; returns them. */
    public List<EntryInfo> evictTo(long maxBytes) {
        return store.evictTo(maxBytes);
    }

    public StoreStats stats() {
        return store.stats();
    }

    /** Where the store lives, for people. */
    public String location() {
        return store.location();
    }
}
