package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cellar.Key;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores written by released formats stay readable: fixtures written by {@link GoldenStore}. */
class GoldenFormatTest {
    @TempDir
    Path tmp;

    @Test
    void format1StoreIsReadable() throws Exception {
        Path src = Path.of(GoldenFormatTest.class.getResource("golden-format-1/FORMAT").toURI()).getParent();
        Path dir = tmp.resolve("golden");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path to = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
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
