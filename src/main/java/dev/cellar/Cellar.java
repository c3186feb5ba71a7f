package dev.cellar;

import dev.cellar.codec.Codec;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import dev.cellar.key.Derivation;
import dev.cellar.key.HashKeyDeriver;
import dev.cellar.key.KeyDeriver;
import dev.cellar.key.ValueDigest;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.InMemoryDataStore;
import dev.cellar.store.StoredEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * cellar's entry point: a store plus the key deriver and codecs that turn components and values into
 * its bytes. {@code cellar.cached("squares", params("n", n), () -> squares(n))} computes once and
 * afterwards restores; {@link #store}/{@link #retrieve} are NeuroTools' datastore interface.
 *
 * <p>Failures of the cache never cost a user their result: a corrupt entry is a miss plus one warning
 * (and is removed); a store that cannot be written (disk full) returns the computed value with one
 * warning. Thread-safe. Close it to release the store.
 */
public final class Cellar implements AutoCloseable {
    private final DataStore store;
    private final KeyDeriver deriver;
    private final CodecRegistry codecs;
    private final Consumer<String> warnings;
    private final boolean enabled;
    private volatile Consumer<String> status = m -> { };

    private Cellar(Builder b) {
        this.store = b.store;
        this.deriver = b.deriver;
        this.codecs = b.codecs;
        this.warnings = b.warnings;
        this.enabled = b.enabled;
    }

    // ---- opening ------------------------------------------------------------------------------

    /** The store in {@code dir} (created private to the user if absent), with settings from the environment. */
    public static Cellar open(Path dir) {
        return builder().store(Config.fromEnvironment().openStore(dir)).build();
    }

    /**
     * The default store: {@code $CELLAR_DIR}, else {@code $XDG_CACHE_HOME/cellar}, else
     * {@code ~/.cache/cellar}; or a disabled cellar if {@code CELLAR_DISABLE} is set to 1/true/yes.
     */
    public static Cellar openDefault() {
        Config config = Config.fromEnvironment();
        if (config.disabled()) {
            return disabled();
        }
        return builder().store(config.openStore(config.directory())).build();
    }

    /** The size cap from {@code CELLAR_MAX_SIZE}, else 10 GiB. */
    public static long defaultMaxBytes() {
        return Config.fromEnvironment().maxBytes();
    }

    /** The directory {@link #openDefault()} uses. */
    public static Path defaultDirectory() {
        return Config.fromEnvironment().directory();
    }

    /** A cache held in memory only, for tests and short sessions. */
    public static Cellar inMemory() {
        return builder().store(new InMemoryDataStore()).build();
    }

    /** A cellar that caches nothing: every computation runs; nothing is read or written. */
    public static Cellar disabled() {
        return builder().store(new InMemoryDataStore()).enabled(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- the one-liner -------------------------------------------------------------------------

    /** {@link #cached(Component, Callable)} for a component named {@code name} with parameters. */
    public <T> T cached(String name, Parameters parameters, Callable<T> computation) {
        return cached(Component.of(name, parameters), computation);
    }

    /**
     * As {@link #cached(String, Parameters, Callable)} with upstream inputs: components (enter by their
     * keys) or values (enter by a digest of their content).
     */
    public <T> T cached(String name, Parameters parameters, List<?> inputs, Callable<T> computation) {
        return cached(Component.builder(name).parameters(parameters).inputs(inputs).build(), computation);
    }

    /**
     * Returns the stored result of {@code component} if there is one, else runs {@code computation},
     * stores its result and returns it. Runtime exceptions of the computation pass through; checked
     * ones are wrapped in {@link ComputationException}; either way nothing is stored.
     *
     * @throws CodecException if the result has no codec (the message names its type); the
     *     computation's value is lost only in this case, so register a codec or cache its data instead
     */
    public <T> T cached(Component component, Callable<T> computation) {
        Objects.requireNonNull(computation, "computation");
        if (!enabled) {
            return call(computation);
        }
        Derivation d = deriver.derive(component);
        String name = component.type();
        long t0 = System.nanoTime();
        Optional<Hit> hit = lookup(d, name, Thread.currentThread().getContextClassLoader(), VALUE);
        if (hit.isPresent()) {
            Hit h = hit.get();
            status.accept("cellar: HIT " + name + " [" + d.key().shortHex() + "] restored "
                    + Sizes.format(h.bytes()) + " in " + Sizes.duration(System.nanoTime() - t0) + ", saved "
                    + Sizes.duration(h.computeNanos()));
            @SuppressWarnings("unchecked")
            T value = (T) h.values().get(VALUE);
            return value;
        }
        long start = System.nanoTime();
        T value = call(computation);
        long nanos = System.nanoTime() - start;
        if (value == null) {
            warn("result of " + name + " is null; nothing stored");
            return null;
        }
        Saved saved = saveDerived(d, name, Map.of(VALUE, value), Map.of(), nanos);
        status.accept("cellar: MISS " + name + " [" + d.key().shortHex() + "] computed in " + Sizes.duration(nanos)
                + (saved.stored() ? ", stored " + Sizes.format(saved.bytes()) + " in " + Sizes.duration(saved.nanos())
                        : ", not stored"));
        return value;
    }

    /**
     * Sends one status line per {@code cached} call (HIT or MISS, name, short key, sizes and times) to
     * {@code sink}; by default they are dropped. JShell's snippet file turns them on.
     */
    public Cellar onStatus(Consumer<String> sink) {
        this.status = Objects.requireNonNull(sink, "sink");
        return this;
    }

    private static final String VALUE = "value";

    private static <T> T call(Callable<T> computation) {
        try {
            return computation.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ComputationException("computation failed: " + e, e);
        }
    }

    // ---- NeuroTools' datastore interface -------------------------------------------------------

    /**
     * Stores {@code value} as {@code attribute} of {@code component} (replacing an earlier value).
     * A store failure (disk full) is a warning, not an exception.
     *
     * @throws CodecException if the value has no codec
     */
    public void store(Component component, String attribute, Object value) {
        Objects.requireNonNull(value, "value");
        if (!enabled) {
            return;
        }
        Derivation d = attributeDerivation(component, attribute);
        saveDerived(d, component.type() + "." + attribute, Map.of(VALUE, value), Map.of(), 0);
    }

    /** The stored {@code attribute} of {@code component}, if present, readable, and of {@code type}. */
    public <T> Optional<T> retrieve(Component component, String attribute, Class<T> type) {
        if (!enabled) {
            return Optional.empty();
        }
        Derivation d = attributeDerivation(component, attribute);
        return lookup(d, component.type() + "." + attribute, Thread.currentThread().getContextClassLoader(), VALUE)
                .map(h -> h.values().get(VALUE))
                .filter(type::isInstance)
                .map(type::cast);
    }

    /** Whether {@code attribute} of {@code component} is stored. */
    public boolean contains(Component component, String attribute) {
        return enabled && store.contains(attributeDerivation(component, attribute).key());
    }

    /** Removes {@code attribute} of {@code component}; returns whether it was there. */
    public boolean remove(Component component, String attribute) {
        return enabled && store.remove(attributeDerivation(component, attribute).key());
    }

    /** Whether a {@link #cached}/{@link #save} entry exists for {@code component}. */
    public boolean contains(Component component) {
        return enabled && store.contains(keyOf(component));
    }

    /** Removes the {@link #cached}/{@link #save} entry of {@code component}; returns whether it was there. */
    public boolean remove(Component component) {
        return enabled && store.remove(keyOf(component));
    }

    private Derivation attributeDerivation(Component component, String attribute) {
        if (attribute == null || attribute.isEmpty()) {
            throw new IllegalArgumentException("attribute name must not be empty");
        }
        Derivation d = deriver.derive(component);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(d.key().bytes());
            sha.update((byte) 0);
            sha.update(attribute.getBytes(StandardCharsets.UTF_8));
            List<dev.cellar.key.Ingredient> ings = new java.util.ArrayList<>(d.ingredients());
            ings.add(new dev.cellar.key.Ingredient("attribute", "attribute", attribute, "", ""));
            return new Derivation(Key.of(sha.digest()), ings);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    // ---- keys and digests ----------------------------------------------------------------------

    /**
     * The key of {@code component} and the readable ingredients it was derived from.
     *
     * @throws CellarException if the inputs form a cycle or a value has no canonical encoding
     */
    public Derivation derive(Component component) {
        return deriver.derive(component);
    }

    public Key keyOf(Component component) {
        return deriver.derive(component).key();
    }

    /** A 128-bit hex digest of a value's canonical encoding (large arrays hashed at memory speed). */
    public static String digest(Object value) {
        return ValueDigest.of(value);
    }

    /** A 128-bit hex digest of a file's content. */
    public static String fileDigest(Path file) {
        return ValueDigest.file(file);
    }

    // ---- multi-value entries (the kernel's %%cached) -------------------------------------------

    /** A restored entry: its values by name, its notes, what computing it cost, and its payload size. */
    public record Hit(Key key, Map<String, Object> values, Map<String, String> notes, long computeNanos,
            long bytes) {}

    /** What {@link #save} wrote; {@code key} is null and {@code bytes} 0 if the store could not be written. */
    public record Saved(Key key, long bytes, long nanos, boolean stored) {}

    /** The entry of {@code component}, decoded with classes from {@code loader}, if present and sound. */
    public Optional<Hit> lookup(Component component, ClassLoader loader) {
        return enabled ? lookup(deriver.derive(component), component.type(), loader) : Optional.empty();
    }

    /**
     * The entry under an already derived key. Callers that look up, run and then save derive once and
     * pass the same derivation to both: a computation that modifies its inputs in place would otherwise
     * be stored under the key of the modified inputs, and every input would be digested again.
     */
    public Optional<Hit> lookup(Derivation derivation, String name, ClassLoader loader) {
        return enabled ? lookup(derivation, name, loader, null) : Optional.empty();
    }

    /**
     * Stores several named values of {@code component} as one entry, atomically, with notes (small
     * strings kept in the manifest).
     *
     * @throws CodecException if a value has no codec; it names the value and its type; nothing stored
     */
    public Saved save(Component component, String name, Map<String, Object> values, Map<String, String> notes,
            long computeNanos) {
        return enabled ? save(deriver.derive(component), name, values, notes, computeNanos)
                : new Saved(null, 0, 0, false);
    }

    /**
     * {@link #save(Component, String, Map, Map, long)} under a derivation taken before the computation
     * ran (see {@link #lookup(Derivation, String, ClassLoader)}).
     */
    public Saved save(Derivation derivation, String name, Map<String, Object> values, Map<String, String> notes,
            long computeNanos) {
        return enabled ? saveDerived(derivation, name, values, notes, computeNanos) : new Saved(null, 0, 0, false);
    }

    /** {@code required}: the output the caller returns (null if none), so a manifest without it is damage, not a null value. */
    private Optional<Hit> lookup(Derivation d, String name, ClassLoader loader, String required) {
        Key key = d.key();
        Optional<StoredEntry> opened;
        try {
            opened = store.open(key);
        } catch (StoreException e) {
            warn("cannot read " + name + " [" + key.shortHex() + "]: " + e.getMessage() + "; recomputing");
            return Optional.empty();
        }
        if (opened.isEmpty()) {
            statistics(store::recordMiss);
            return Optional.empty();
        }
        try (StoredEntry entry = opened.get()) {
            Manifest manifest = Manifest.fromJson(entry.manifest());
            manifest.checkKey(key);
            if (required != null && !manifest.outputs().containsKey(required)) {
                throw new CodecException("manifest has no output '" + required + "'");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            long bytes = 0;
            for (Map.Entry<String, Manifest.Output> e : manifest.outputs().entrySet()) {
                Manifest.Output out = e.getValue();
                Codec codec = codecs.byId(out.codec()).orElseThrow(
                        () -> new CodecException("unknown codec '" + out.codec() + "'"));
                values.put(e.getKey(), decode(manifest, entry, e.getKey(), codec, loader));
                bytes += out.size();
            }
            statistics(() -> store.recordHit(key, manifest.computeNanos()));
            return Optional.of(new Hit(key, values, manifest.notes(), manifest.computeNanos(), bytes));
        } catch (Manifest.NewerFormatException e) {
            warn(name + " [" + key.shortHex() + "] was written by a newer cellar (" + e.getMessage()
                    + "); recomputing without touching it");
            statistics(store::recordMiss);
            return Optional.empty();
        } catch (CodecException | StoreException e) {
            warn("corrupt entry " + name + " [" + key.shortHex() + "]: " + e.getMessage() + "; removed, recomputing");
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

    /** Below this a separate checksum pass costs less than a microsecond per KB; not worth the care. */
    private static final long FUSED_CHECKSUM_BYTES = 1 << 20;

    /**
     * Decodes one output, its checksum verified. A large payload whose codec runs no user code is
     * checksummed during the decode (the value is dropped if the checksum then fails: the codecs treat
     * bytes as untrusted anyway); anything else is verified before the codec sees it.
     */
    private static Object decode(Manifest manifest, StoredEntry entry, String output, Codec codec, ClassLoader loader) {
        Manifest.Output out = manifest.outputs().get(output);
        if (out.size() < FUSED_CHECKSUM_BYTES || !codec.decodesWithoutUserCode(out.descriptor())) {
            return codec.decode(out.descriptor(), manifest.verifiedPayload(entry, output),
                    new DecodeContext(loader, DecodeContext.DEFAULT_MAX_BYTES));
        }
        ByteBuffer data = manifest.payload(entry, output);
        PayloadCrc crc = new PayloadCrc(data);
        Object value;
        try {
            value = codec.decode(out.descriptor(), data,
                    new DecodeContext(loader, DecodeContext.DEFAULT_MAX_BYTES, crc::upTo));
        } catch (RuntimeException e) {
            if (crc.finish() != out.crc32c()) {
                throw new CodecException("payload of '" + output + "' fails its checksum", e);
            }
            throw e; // sound bytes that a codec could not decode: a codec bug, not a corrupt entry
        }
        if (crc.finish() != out.crc32c()) {
            throw new CodecException("payload of '" + output + "' fails its checksum");
        }
        return value;
    }

    private Saved saveDerived(Derivation d, String name, Map<String, Object> values, Map<String, String> notes,
            long computeNanos) {
        long start = System.nanoTime();
        Map<String, Encoded> encoded = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                throw new CodecException("value '" + e.getKey() + "' is null; cellar stores only non-null values");
            }
            try {
                encoded.put(e.getKey(), codecs.forValue(v).encode(v));
            } catch (CodecException ex) {
                throw new CodecException("value '" + e.getKey() + "' of type " + v.getClass().getTypeName()
                        + ": " + ex.getMessage(), ex);
            }
        }
        Map<String, Manifest.Output> outputs = new LinkedHashMap<>();
        try (EntryWriter writer = store.begin(d.key())) {
            int i = 0;
            for (Map.Entry<String, Encoded> e : encoded.entrySet()) {
                String payload = "p" + i++;
                CrcChannel ch = new CrcChannel(writer.payload(payload));
                try (WritableByteChannel ignored = ch) {
                    e.getValue().writeTo(ch);
                }
                outputs.put(e.getKey(), new Manifest.Output(payload, e.getValue().codecId(),
                        e.getValue().descriptor(), ch.count(), ch.crc()));
            }
            long now = System.currentTimeMillis();
            Manifest manifest = new Manifest(Manifest.FORMAT, name, d.key().hex(), now, computeNanos,
                    d.ingredients(), outputs, notes);
            writer.commit(manifest.toJson(), new EntryMetadata(name, now, computeNanos));
        } catch (IOException | StoreException e) {
            warn("could not store " + name + " [" + d.key().shortHex() + "]: " + e.getMessage()
                    + "; the result is returned but not cached");
            return new Saved(null, 0, System.nanoTime() - start, false);
        }
        long bytes = outputs.values().stream().mapToLong(Manifest.Output::size).sum();
        return new Saved(d.key(), bytes, System.nanoTime() - start, true);
    }

    // ---- inspection ----------------------------------------------------------------------------

    /** The underlying store (for tools: listing, statistics, eviction). */
    public DataStore dataStore() {
        return store;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Every entry's metadata. */
    public List<EntryInfo> entries() {
        return store.list();
    }

    /**
     * The manifest of the entry under {@code key}, if present and readable.
     *
     * @throws CodecException if it is present but malformed
     */
    public Optional<Manifest> manifest(Key key) {
        Optional<StoredEntry> e = store.open(key);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        try (StoredEntry entry = e.get()) {
            return Optional.of(Manifest.fromJson(entry.manifest()));
        }
    }

    private void warn(String message) {
        warnings.accept(message);
    }

    @Override
    public void close() {
        store.close();
    }

    /** Assembles a cellar from a store, a key deriver, codecs and a warning sink. */
    public static final class Builder {
        private DataStore store;
        private KeyDeriver deriver = new HashKeyDeriver();
        private CodecRegistry codecs = CodecRegistry.standard();
        private Consumer<String> warnings = m -> System.err.println("cellar: warning: " + m);
        private boolean enabled = true;

        private Builder() {}

        /** The store; the cellar closes it when closed. */
        public Builder store(DataStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder keyDeriver(KeyDeriver deriver) {
            this.deriver = Objects.requireNonNull(deriver, "deriver");
            return this;
        }

        public Builder codecs(CodecRegistry codecs) {
            this.codecs = Objects.requireNonNull(codecs, "codecs");
            return this;
        }

        /** Adds a codec ahead of the built-in ones. */
        public Builder codec(Codec codec) {
            codecs.register(codec);
            return this;
        }

        /** Where warnings go (default: standard error, one line each). */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @throws IllegalStateException if no store was given */
        public Cellar build() {
            if (store == null) {
                throw new IllegalStateException("a cellar needs a store: call store(...) or use Cellar.open");
            }
            return new Cellar(this);
        }
    }
}
