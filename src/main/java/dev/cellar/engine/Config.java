package dev.cellar.engine;

import dev.cellar.CellarException;
import dev.cellar.store.DataStore;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.rocksdb.RocksDataStore;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Settings from the environment: {@code CELLAR_DIR} (store directory), {@code CELLAR_MAX_SIZE} (size cap,
 * e.g. {@code 10G}), {@code CELLAR_DISABLE} (1/true/yes: run everything, cache nothing). Opening the
 * embedded store lives here, so the API package never names a store implementation.
 */
public record Config(Path directory, long maxBytes, boolean disabled) {
    /** Default size cap: large enough for real notebooks, small enough not to fill a laptop's disk. */
    public static final long DEFAULT_MAX_BYTES = 10L << 30;

    public static Config fromEnvironment() {
        return from(System.getenv(), System.getProperty("user.home"));
    }

    /** @throws CellarException naming the variable if a setting is malformed */
    static Config from(Map<String, String> env, String userHome) {
        Path dir;
        String cellarDir = env.get("CELLAR_DIR");
        String xdg = env.get("XDG_CACHE_HOME");
        if (cellarDir != null && !cellarDir.isBlank()) {
            dir = Path.of(cellarDir);
        } else if (xdg != null && !xdg.isBlank()) {
            dir = Path.of(xdg, "cellar");
        } else {
            dir = Path.of(userHome, ".cache", "cellar");
        }
        long max = DEFAULT_MAX_BYTES;
        String size = env.get("CELLAR_MAX_SIZE");
        if (size != null && !size.isBlank()) {
            try {
                max = Sizes.parse(size);
            } catch (IllegalArgumentException e) {
                throw new CellarException("CELLAR_MAX_SIZE: " + e.getMessage());
            }
        }
        String off = env.getOrDefault("CELLAR_DISABLE", "").trim().toLowerCase(Locale.ROOT);
        boolean disabled = off.equals("1") || off.equals("true") || off.equals("yes");
        return new Config(dir.toAbsolutePath(), max, disabled);
    }

    /** The embedded store in {@code dir} (created private to the user if absent), capped at {@link #maxBytes}. */
    public DataStore openStore(Path dir) {
        return RocksDataStore.open(dir, StoreOptions.builder().maxBytes(maxBytes).build());
    }
}
