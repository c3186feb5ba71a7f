package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cellar.Key;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import dev.cellar.testing.GoldenStores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores written by released formats stay readable: fixtures written by {@link GoldenStore}. */
class GoldenFormatTest {
    @TempDir
    Path tmp;

    @Test
    void format1StoreIsReadable() throws Exception {
        Path dir = GoldenStores.copy(GoldenFormatTest.class, "golden-format-1", tmp);
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            assertFalse(s.isNewerFormat());
            assertEquals(GoldenStore.SIZES.length, s.list().size());
            long hits = 0;
            for (int i = 0; i < GoldenStore.SIZES.length; i++) {
                Key k = TestValues.key("golden-" + i);
                try (StoredEntry e = s.open(k).orElseThrow()) {
                    assertNull(TestValues.check(k, e));
                    assertEquals(Math.max(40, GoldenStore.SIZES[i]), e.payload("value").remaining());
                    assertEquals(1, e.info().hits());
                    assertEquals(1000L * i, e.info().savedNanos());
                    hits += e.info().hits();
                }
            }
            assertEquals(hits, s.stats().hits());
            assertEquals(1, s.stats().misses());
        }
    }
}
