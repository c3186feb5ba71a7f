package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a real, small file system (a 6 MB tmpfs) that fills up. Needs permission to mount
 * (root, as on this machine and in the CI container); skipped elsewhere, failed under CI ({@link Tmpfs}).
 */
class DiskFullTest {
    @TempDir
    Path tmp;
    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            Tmpfs.unmount(mount);
        }
    }

    @Test
    void aFullDiskFailsWritesKeepsReadsAndRecovers() throws Exception {
        Path small = Files.createDirectory(tmp.resolve("small"));
        Tmpfs.mount(small, "6m");
        mount = small;
        Path dir = small.resolve("store");
        StoreOptions o = StoreOptions.builder().idleRelease(Duration.ofMillis(100)).build();
        Key small1 = TestValues.key("full-small");
        Key large1 = TestValues.key("full-large");
        try (RocksDataStore s = RocksDataStore.open(dir, o)) {
            TestValues.put(s, small1, 1000);
            TestValues.put(s, large1, 500_000);
        }
        Path filler = small.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] mb = new byte[64 * 1024];
            while (true) {
                out.write(mb);
            }
        } catch (IOException full) {
            // the file system is full now
        }
        try (RocksDataStore s = RocksDataStore.open(dir, o)) {
            // reads work although RocksDB cannot create its files (read-only fallback)
            assertReadable(s, small1, large1);
            assertThrows(StoreException.class, () -> TestValues.put(s, TestValues.key("full-new-large"), 900_000));
            assertReadable(s, small1, large1);
            assertFalse(s.contains(TestValues.key("full-new-large")));
            Files.delete(filler);
            Thread.sleep(500); // past the idle release: the next call opens RocksDB for writing again
            Key after = TestValues.key("full-after");
            TestValues.put(s, after, 700_000);
            try (StoredEntry e = s.open(after).orElseThrow()) {
                assertNull(TestValues.check(after, e));
            }
            assertReadable(s, small1, large1);
        }
        try (RocksDataStore s = RocksDataStore.open(dir, o)) {
            assertTrue(s.contains(TestValues.key("full-after")));
        }
    }

    private static void assertReadable(RocksDataStore s, Key... keys) {
        for (Key k : keys) {
            try (StoredEntry e = s.open(k).orElseThrow()) {
                assertNull(TestValues.check(k, e));
            }
        }
    }
}
