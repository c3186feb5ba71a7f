package dev.cellar.reliability;

import static dev.cellar.Cached.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.rocksdb.RocksDataStore;
import dev.cellar.testing.ForwardingDataStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A store on a file system that fills up: a 16 MiB tmpfs when running as root (mount works here), else
 * a decorator that fails every write as a full disk would (the test output says which). The promise:
 * the computation's value is returned with one warning, old entries still hit, and writes resume when
 * space returns.
 */
class DiskFullTest {
    private static Path mount;
    private static boolean realDisk;
    private static String mode;

    @BeforeAll
    static void mountSmallFileSystem() throws Exception {
        mount = Files.createTempDirectory("cellar-diskfull");
        // -Dcellar.test.injectDiskFull=true exercises the fallback on a machine where mount would work
        realDisk = !Boolean.getBoolean("cellar.test.injectDiskFull") && "root".equals(System.getProperty("user.name"))
                && run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
        mode = realDisk ? "real 16 MiB tmpfs" : "fault injection: no tmpfs (not root, mount refused, or forced)";
        System.out.println("disk full test: " + mode);
    }

    @AfterAll
    static void unmount() throws Exception {
        if (realDisk && !run("umount", "-l", mount.toString())) {
            System.out.println("disk full test: could not unmount " + mount);
            return;
        }
        try {
            Files.deleteIfExists(mount);
        } catch (IOException e) {
            System.out.println("disk full test: could not delete " + mount + ": " + e);
        }
    }

    private static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static double[] squares(int n, AtomicInteger calls) {
        calls.incrementAndGet();
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (double) i * i + n;
        }
        return xs;
    }

    /**
     * Fills the file system (or switches the decorator to full); returns the filler file. Called again
     * before each write: RocksDB frees preallocated log space when it closes, so the disk is topped up.
     */
    private static Path fill(FullDisk disk) throws IOException {
        Path filler = mount.resolve("filler");
        if (!realDisk) {
            disk.full = true;
            return filler;
        }
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException expected) {
            // No space left on device
        }
        return filler;
    }

    private static void free(FullDisk disk, Path filler) throws IOException {
        disk.full = false;
        Files.deleteIfExists(filler);
    }

    @Test
    void fullDiskReturnsValuesWithOneWarningKeepsOldEntriesAndRecovers() throws Exception {
        tortureRounds(2);
    }

    @Test
    @Tag("slow")
    void tortureDiskFull() throws Exception {
        tortureRounds(Integer.getInteger("cellar.torture.diskFullRounds", 20));
    }

    private void tortureRounds(int rounds) throws Exception {
        int values = 0;
        for (int round = 0; round < rounds; round++) {
            values += round(round);
        }
        System.out.println("TORTURE disk-full (" + mode + "): rounds=" + rounds + " values=" + values + " failures=0");
    }

    /** One fill-up and recovery; returns how many values were computed while the disk was full. */
    private int round(int round) throws Exception {
        Path dir = mount.resolve("store-" + round);
        List<String> warnings = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        // Odd rounds: a short idle release, so that RocksDB is also closed and reopened while the disk is
        // full. Even rounds: it stays open throughout, so writes must resume without a release.
        FullDisk disk = new FullDisk(RocksDataStore.open(dir, StoreOptions.builder()
                .idleRelease(round % 2 == 1 ? Duration.ofMillis(200) : Duration.ofMinutes(1)).build()));
        try (Cellar cellar = Cellar.builder().store(realDisk ? disk.delegate() : disk).warnings(warnings::add).build()) {
            // old entries, one inline in RocksDB and one in a blob file
            cellar.cached("old", params("n", 100), () -> squares(100, calls));
            cellar.cached("old", params("n", 100_000), () -> squares(100_000, calls));
            assertEquals(List.of(), warnings, DiskFullTest::usage);
            Path filler = fill(disk);

            int computed = 0;
            int failedWrites = 0;
            for (int n : new int[] {300_000, 200, 150_000 + round}) {
                fill(disk);
                warnings.clear();
                int before = calls.get();
                double[] v = cellar.cached("new", params("n", n), () -> squares(n, calls));
                assertArrayEquals(squares(n, new AtomicInteger()), v, "the computed value is returned");
                assertEquals(before + 1, calls.get());
                computed++;
                assertTrue(warnings.size() <= 1, n + ": " + warnings);
                if (warnings.isEmpty()) {
                    // it fitted after all: the store frees its own space too (a reopened log, a deleted
                    // temp file); then it must be stored and right
                    double[] again = cellar.cached("new", params("n", n), () -> squares(n, calls));
                    assertEquals(before + 1, calls.get(), n + " was stored without a warning, so it hits");
                    assertArrayEquals(squares(n, new AtomicInteger()), again);
                } else {
                    failedWrites++;
                    assertTrue(warnings.get(0).contains("could not store"), warnings.get(0));
                }
            }
            assertTrue(failedWrites > 0, "a full disk failed no write: the test did not fill it");
            for (int n : new int[] {100, 100_000}) {
                // The second read finds the store closed (idle release) and reopens it on the full disk;
                // in odd rounds the disk is filled before the close, so its flush fails too.
                if (n != 100 && round % 2 == 1) {
                    fill(disk);
                }
                Thread.sleep(n == 100 ? 0 : 600);
                fill(disk);
                warnings.clear();
                int before = calls.get();
                double[] v = cellar.cached("old", params("n", n), () -> squares(n, calls));
                assertEquals(before, calls.get(), "an old entry still hits on a full disk (n=" + n + "): " + warnings);
                assertArrayEquals(squares(n, new AtomicInteger()), v);
                assertTrue(warnings.size() <= 1, warnings.toString());
            }

            free(disk, filler);
            warnings.clear();
            int n = 250_000;
            cellar.cached("after", params("n", n), () -> squares(n, calls));
            int before = calls.get();
            double[] v = cellar.cached("after", params("n", n), () -> squares(n, calls));
            assertEquals(before, calls.get(), () -> "writes resume once space returns: " + warnings + "; " + usage());
            assertArrayEquals(squares(n, new AtomicInteger()), v);
            assertEquals(List.of(), warnings);
            return computed;
        } finally {
            // Keep the small file system usable for the next round. Blob files are memory-mapped and
            // never unmapped explicitly (see RocksEntry), so a deleted blob keeps its space until the
            // garbage collector frees the mapping: collect, or the next round starts on a full disk.
            deleteTree(dir);
            System.gc();
            Thread.sleep(200);
        }
    }

    /** Free space and what uses it, for failure messages. */
    private static String usage() {
        try (var files = Files.walk(mount)) {
            return Files.getFileStore(mount).getUsableSpace() + " bytes free; files: " + files.filter(Files::isRegularFile)
                    .map(p -> mount.relativize(p) + "=" + p.toFile().length()).toList();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Fails every write while {@link #full}, as a full disk would; reads pass through. */
    static final class FullDisk extends ForwardingDataStore {
        volatile boolean full;

        FullDisk(DataStore delegate) {
            super(delegate);
        }

        private void check() {
            if (full) {
                throw new StoreException("No space left on device (injected)");
            }
        }

        @Override
        public EntryWriter begin(Key key) {
            EntryWriter w = delegate.begin(key);
            return new EntryWriter() {
                @Override
                public WritableByteChannel payload(String name) {
                    WritableByteChannel ch = w.payload(name);
                    return new WritableByteChannel() {
                        @Override
                        public int write(ByteBuffer src) throws IOException {
                            if (full) {
                                throw new IOException("No space left on device (injected)");
                            }
                            return ch.write(src);
                        }

                        @Override
                        public boolean isOpen() {
                            return ch.isOpen();
                        }

                        @Override
                        public void close() throws IOException {
                            ch.close();
                        }
                    };
                }

                @Override
                public void commit(byte[] manifest, EntryMetadata metadata) {
                    check();
                    w.commit(manifest, metadata);
                }

                @Override
                public void close() {
                    w.close();
                }
            };
        }

        @Override
        public boolean remove(Key key) {
            check();
            return delegate.remove(key);
        }

        @Override
        public void recordHit(Key key, long savedNanos) {
            check();
            delegate.recordHit(key, savedNanos);
        }

        @Override
        public void recordMiss() {
            check();
            delegate.recordMiss();
        }

        @Override
        public List<EntryInfo> evictTo(long maxBytes) {
            check();
            return delegate.evictTo(maxBytes);
        }
    }
}
