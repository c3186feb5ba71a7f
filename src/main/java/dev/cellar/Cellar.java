package dev.cellar;

import dev.cellar.codec.Codec;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.engine.Config;
import dev.cellar.engine.Entries;
import dev.cellar.engine.SharedConfig;
import dev.cellar.engine.Sizes;
import dev.cellar.key.AttributeKeys;
import dev.cellar.key.Derivation;
import dev.cellar.key.HashKeyDeriver;
import dev.cellar.key.KeyDeriver;
import dev.cellar.key.ValueDigest;
import dev.cellar.store.DataStore;
import dev.cellar.store.InMemoryDataStore;
import java.nio.file.Path;
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
    private final Entries entries;
    private final Consumer<String> warnings;
    private final boolean enabled;
    private final boolean sharedWait;
    private final AttributeKeys attributeKeys;
    private volatile Consumer<String> status = m -> { };

    private Cellar(Builder b) {
        this.store = b.store;
        this.deriver = b.deriver;
        this.warnings = b.warnings;
        this.entries = new Entries(b.store, b.codecs, b.warnings, b.enabled);
        this.enabled = b.enabled;
        this.sharedWait = b.sharedWait;
        this.attributeKeys = new AttributeKeys(b.deriver);
    }

    // ---- opening ------------------------------------------------------------------------------

    /** The store in {@code dir} (created private to the user if absent), with settings from the environment. */
    public static Cellar open(Path dir) {
        return builder().store(Config.fromEnvironment().openStore(dir)).sharedFromEnvironment().build();
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
        return builder().store(config.openStore(config.directory())).sharedFromEnvironment().build();
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
        Optional<Entries.Hit> hit = entries.lookup(d.key(), name, Thread.currentThread().getContextClassLoader(),
                VALUE);
        if (hit.isPresent()) {
            return restored(name, d, hit.get(), t0);
        }
        if (!sharedWait) {
            return compute(name, d, computation);
        }
        try (Entries.Turn turn = entries.awaitTurn(d.key(), name, line -> status.accept("cellar: " + line))) {
            if (turn.waited()) {
                long t1 = System.nanoTime();
                hit = entries.lookup(d.key(), name, Thread.currentThread().getContextClassLoader(), VALUE);
                if (hit.isPresent()) {
                    return restored(name, d, hit.get(), t1);
                }
            }
            return compute(name, d, computation);
        }
    }

    private <T> T restored(String name, Derivation d, Entries.Hit h, long t0) {
        status.accept("cellar: HIT " + name + " [" + d.key().shortHex() + "]" + h.fromPhrase() + " restored "
                + Sizes.format(h.bytes()) + " in " + Sizes.duration(System.nanoTime() - t0) + ", saved "
                + Sizes.duration(h.computeNanos()));
        @SuppressWarnings("unchecked")
        T value = (T) h.values().get(VALUE);
        return value;
    }

    private <T> T compute(String name, Derivation d, Callable<T> computation) {
        long start = System.nanoTime();
        T value = call(computation);
        long nanos = System.nanoTime() - start;
        if (value == null) {
            warn("result of " + name + " is null; nothing stored");
            return null;
        }
        Entries.Saved saved = entries.save(d, name, Map.of(VALUE, value), Map.of(), nanos);
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
        entries.save(d, component.type() + "." + attribute, Map.of(VALUE, value), Map.of(), 0);
    }

    /** The stored {@code attribute} of {@code component}, if present, readable, and of {@code type}. */
    public <T> Optional<T> retrieve(Component component, String attribute, Class<T> type) {
        if (!enabled) {
            return Optional.empty();
        }
        Derivation d = attributeDerivation(component, attribute);
        return entries.lookup(d.key(), component.type() + "." + attribute,
                        Thread.currentThread().getContextClassLoader(), VALUE)
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
        return attributeKeys.of(component, attribute);
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

    // ---- for the kernel and tools -------------------------------------------------------------

    /**
     * The entries engine under this cellar (lookup and save of multi-value entries, listing, removal,
     * verification, eviction), for the kernel's {@code %%cached} and the operations. When the cellar is
     * {@linkplain #isEnabled() disabled} its lookups miss and its saves store nothing.
     */
    public Entries entries() {
        return entries;
    }

    public boolean isEnabled() {
        return enabled;
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
        private String sharedUrl;
        private String sharedBlobs;
        private String sharedMode;
        private String sharedMaxSize;
        private Map<String, String> sharedEnv = System.getenv();
        private boolean sharedWait = true;

        private Builder() {}

        /**
         * A team's shared tier behind the store: a PostgreSQL database ({@code postgresql://user@host/db};
         * the password from the URL, {@code PGPASSWORD} or {@code ~/.pgpass}). Null turns it off.
         */
        public Builder shared(String databaseUrl) {
            this.sharedUrl = databaseUrl;
            return this;
        }

        /** {@code s3://bucket/prefix} for the shared tier's large payloads (S3 settings from the AWS chain). */
        public Builder sharedBlobs(String s3Url) {
            this.sharedBlobs = s3Url;
            return this;
        }

        /** Read what others computed, never write the shared tier. */
        public Builder sharedReadOnly(boolean readOnly) {
            this.sharedMode = readOnly ? "read-only" : "read-write";
            return this;
        }

        /** Size cap of the shared tier, e.g. {@code "500G"}. */
        public Builder sharedMaxSize(String size) {
            this.sharedMaxSize = size;
            return this;
        }

        /**
         * Whether a miss waits while another process computes the same key and then hits (single
         * flight, the default), or computes at once ({@code false}, as {@code %%cached --no-wait} does).
         */
        public Builder sharedWait(boolean wait) {
            this.sharedWait = wait;
            return this;
        }

        /**
         * Where the shared tier looks up {@code PGPASSWORD}, {@code PGPASSFILE} and {@code AWS_*} settings
         * (default: this process's environment).
         */
        public Builder sharedEnvironment(Map<String, String> env) {
            this.sharedEnv = Map.copyOf(env);
            return this;
        }

        /** The shared tier as {@code CELLAR_SHARED}, {@code CELLAR_SHARED_BLOBS}, {@code CELLAR_SHARED_MODE} and
         * {@code CELLAR_SHARED_MAX_SIZE} say (unchanged if {@code CELLAR_SHARED} is unset). */
        public Builder sharedFromEnvironment() {
            Map<String, String> env = System.getenv();
            if (env.get("CELLAR_SHARED") != null && !env.get("CELLAR_SHARED").isBlank()) {
                sharedUrl = env.get("CELLAR_SHARED");
                sharedBlobs = env.get("CELLAR_SHARED_BLOBS");
                sharedMode = env.get("CELLAR_SHARED_MODE");
                sharedMaxSize = env.get("CELLAR_SHARED_MAX_SIZE");
            }
            return this;
        }

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
            if (sharedUrl != null && !sharedUrl.isBlank()) {
                store = SharedConfig.tiered(store, SharedConfig.settings(sharedUrl, sharedBlobs, sharedMode,
                        sharedMaxSize, sharedEnv), warnings);
            }
            return new Cellar(this);
        }
    }
}
