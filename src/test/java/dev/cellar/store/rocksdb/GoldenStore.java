package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.StoreOptions;
import java.nio.file.Path;

/**
 * Writes the golden store kept in {@code src/test/resources/dev/cellar/store/rocksdb/golden-format-N}:
 * {@code java -cp ... dev.cellar.store.rocksdb.GoldenStore DIR}. Run it only when the format version
 * is bumped (into a new directory); the old fixtures must stay readable.
 */
public final class GoldenStore {
    static final int[] SIZES = {0, 1000, 66_000};

    public static void main(String[] args) throws Exception {
        try (RocksDataStore s = RocksDataStore.open(Path.of(args[0]), StoreOptions.defaults())) {
            for (int i = 0; i < SIZES.length; i++) {
                Key k = TestValues.key("golden-" + i);
                TestValues.put(s, k, SIZES[i]);
                s.recordHit(k, 1000L * i);
            }
            s.recordMiss();
        }
    }
}
