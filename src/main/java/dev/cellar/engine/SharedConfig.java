package dev.cellar.engine;

import dev.cellar.CellarException;
import dev.cellar.store.DataStore;
import dev.cellar.store.postgres.PostgresDataStore;
import dev.cellar.store.shared.SharedSettings;
import dev.cellar.store.shared.SharedTier;
import dev.cellar.store.shared.TieredStore;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The shared tier's settings from the environment: {@code CELLAR_SHARED} (PostgreSQL URL; the tier is
 * off without it), {@code CELLAR_SHARED_BLOBS} ({@code s3://bucket/prefix} for large payloads),
 * {@code CELLAR_SHARED_MODE} ({@code read-write} or {@code read-only}), {@code CELLAR_SHARED_MAX_SIZE}
 * (size cap of the shared store, e.g. {@code 500G}).
 */
public final class SharedConfig {
    /** A team's store is larger than one laptop's. */
    public static final long DEFAULT_MAX_BYTES = 100L << 30;

    private SharedConfig() {}

    public static Optional<SharedSettings> fromEnvironment() {
        return from(System.getenv());
    }

    /** @throws CellarException naming the variable if a setting is malformed */
    public static Optional<SharedSettings> from(Map<String, String> env) {
        String url = env.get("CELLAR_SHARED");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(settings(url, env.get("CELLAR_SHARED_BLOBS"), env.get("CELLAR_SHARED_MODE"),
                env.get("CELLAR_SHARED_MAX_SIZE"), env));
    }

    /** @throws CellarException if {@code CELLAR_SHARED} is not set */
    public static SharedSettings required() {
        return fromEnvironment().orElseThrow(() -> new CellarException(
                "the shared store is not configured: set CELLAR_SHARED to a postgresql://user@host:port/db URL"));
    }

    /** Settings from their textual forms (null: the default). */
    public static SharedSettings settings(String url, String blobs, String mode, String maxSize, Map<String, String> env) {
        boolean readOnly;
        try {
            readOnly = SharedSettings.parseReadOnly(mode);
        } catch (IllegalArgumentException e) {
            throw new CellarException(e.getMessage());
        }
        long max = DEFAULT_MAX_BYTES;
        if (maxSize != null && !maxSize.isBlank()) {
            try {
                max = Sizes.parse(maxSize);
            } catch (IllegalArgumentException e) {
                throw new CellarException("CELLAR_SHARED_MAX_SIZE: " + e.getMessage());
            }
        }
        return new SharedSettings(url, blobs == null || blobs.isBlank() ? null : blobs, readOnly, max, env);
    }

    /** The shared store alone, for {@code cellar --shared ...}, {@code push} and {@code pull}. */
    public static DataStore openShared(SharedSettings settings) {
        return SharedTier.open(settings);
    }

    /**
     * Deletes payloads of the shared store that no entry refers to and that are older than
     * {@code graceMillis}; returns how many. A store that is not the shared one has none.
     */
    public static int collectGarbage(DataStore store, long graceMillis) {
        return store instanceof PostgresDataStore p ? p.collectGarbage(graceMillis) : 0;
    }

    /** {@code local} in front of the shared tier (connected on first use; failures are warnings). */
    public static DataStore tiered(DataStore local, SharedSettings settings, Consumer<String> warnings) {
        return new TieredStore(local, settings, warnings);
    }
}
