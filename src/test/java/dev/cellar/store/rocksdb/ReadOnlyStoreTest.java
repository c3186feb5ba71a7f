package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.Parameters;
import dev.cellar.StoreException;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that this process may only read: on a file system that is really mounted read-only (a tmpfs
 * remounted {@code ro}: root, as on this machine and in CI, ignores file permissions but not a read-only
 * mount), or, for a user who cannot mount, in a directory whose permissions deny writing. Hits are
 * served; every write is refused with an error that says why; nothing crashes at open.
 */
class ReadOnlyStoreTest {
    @TempDir
    Path tmp;
    private Path mount;
    private Path chmodded;

    @AfterEach
    void restore() throws Exception {
        if (mount != null) {
            Tmpfs.unmount(mount);
        }
        if (chmodded != null) {
            setWritable(chmodded, true); // so that @TempDir can delete it
        }
    }

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    /** A directory for a store, to be made read-only by {@link #makeReadOnly}. */
    private Path place() throws Exception {
        Path fs = Files.createDirectory(tmp.resolve("fs"));
        if (ROOT) {
            Tmpfs.mount(fs, "32m");
            mount = fs;
        }
        return fs;
    }

    private void makeReadOnly(Path fs) throws Exception {
        if (ROOT) {
            assertEquals(0, Tmpfs.remountReadOnly(fs), "remount read-only");
        } else {
            chmodded = fs;
            setWritable(fs, false);
        }
        // really read-only for this process: nothing can be created in the store
        assertThrows(IOException.class, () -> Files.createFile(fs.resolve("store").resolve("probe")));
    }

    private static void setWritable(Path root, boolean writable) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                boolean dir = Files.isDirectory(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        (writable ? "rw" : "r-") + (dir ? "x" : "-") + "------"));
            }
        }
    }

    @Test
    void aReadOnlyStoreServesHitsAndRefusesWritesWithAClearError() throws Exception {
        Path fs = place();
        Path dir = fs.resolve("store");
        StoreOptions o = StoreOptions.builder().idleRelease(Duration.ofMillis(100)).build();
        Key small = TestValues.key("ro-small");
        Key large = TestValues.key("ro-large"); // a blob file
        try (RocksDataStore s = RocksDataStore.open(dir, o)) {
            TestValues.put(s, small, 1000);
            TestValues.put(s, large, 300_000);
        }
        makeReadOnly(fs);
        Key absent = TestValues.key("ro-absent");
        try (RocksDataStore s = RocksDataStore.open(dir, o)) {
            for (Key k : new Key[] {small, large}) {
                try (StoredEntry e = s.open(k).orElseThrow()) {
                    assertNull(TestValues.check(k, e));
                }
                assertTrue(s.contains(k));
            }
            assertTrue(s.open(absent).isEmpty());
            assertEquals(2, s.list().size());
            s.recordHit(small, 1000); // counts are best effort: never written here, never an error
            StoreException w = assertThrows(StoreException.class, () -> s.begin(absent));
            assertTrue(w.getMessage().contains("read-only") && w.getMessage().contains(dir.toString()), w.getMessage());
            StoreException r = assertThrows(StoreException.class, () -> s.remove(small));
            assertTrue(r.getMessage().contains("read-only"), r.getMessage());
            assertThrows(StoreException.class, () -> s.evictTo(0));
            assertTrue(s.contains(small) && s.contains(large));
        }
    }

    @Test
    void aCellarOnAReadOnlyStoreHitsAndStillComputesMisses() throws Exception {
        Path fs = place();
        Path dir = fs.resolve("store");
        Component stored = Component.of("ro.fn", Parameters.of("i", 1));
        Component fresh = Component.of("ro.fn", Parameters.of("i", 2));
        try (Cellar c = Cellar.builder().store(RocksDataStore.open(dir)).build()) {
            c.store(stored, "v", new double[] {1, 2, 3});
        }
        makeReadOnly(fs);
        try (Cellar c = Cellar.builder().store(RocksDataStore.open(dir)).build()) {
            assertArrayEquals(new double[] {1, 2, 3}, c.retrieve(stored, "v", double[].class).orElseThrow());
            // a miss computes as usual; saving it fails (a warning, not an exception), so it stays a miss
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(new double[] {4}, c.cached(fresh, () -> {
                    runs.incrementAndGet();
                    return new double[] {4};
                }));
            }
            assertEquals(2, runs.get());
            c.store(fresh, "v", new double[] {5});
            assertFalse(c.retrieve(fresh, "v", double[].class).isPresent());
            assertArrayEquals(new double[] {1, 2, 3}, c.retrieve(stored, "v", double[].class).orElseThrow());
        }
    }
}
