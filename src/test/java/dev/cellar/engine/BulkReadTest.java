package dev.cellar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Key;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.key.Derivation;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoredEntry;
import dev.cellar.store.rocksdb.RocksDataStore;
import dev.cellar.testing.ForwardingDataStore;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large arrays are copied out of the store with the store's file reads ({@link StoredEntry#read}) rather
 * than through the payload's mapping, and the checksum covers exactly the bytes the value was built from.
 */
class BulkReadTest {
    @TempDir
    Path dir;

    private static double[] doubles(int n, int seed) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = seed * 1e6 + i * 0.5;
        }
        return a;
    }

    private static Derivation derivation(int seed) {
        byte[] k = new byte[Key.LENGTH];
        k[1] = (byte) seed;
        return new Derivation(Key.of(k), List.of());
    }

    @Test
    void largeArraysAndRowsAreReadInChunksThroughTheStoreAndRestoredExactly() {
        double[] flat = doubles(400_000, 1); // 3.2 MB: four 1 MiB chunks
        double[][] rows = {doubles(200_000, 2), null, doubles(150_000, 3), doubles(10, 4)};
        try (DataStore rocks = RocksDataStore.open(dir)) {
            Counting counting = new Counting(rocks);
            Entries entries = new Entries(counting, CodecRegistry.standard(), w -> { }, true);
            Derivation d = derivation(1);
            entries.save(d, "big", Map.of("flat", flat, "rows", rows), Map.of(), 1);
            Map<String, Object> v = entries.lookup(d.key(), "big", getClass().getClassLoader(), null).orElseThrow().values();
            assertArrayEquals(flat, (double[]) v.get("flat"));
            assertTrue(Arrays.deepEquals(rows, (double[][]) v.get("rows")));
            // every array byte went through read(): 8 * (400,000 + 200,000 + 150,000 + 10)
            assertEquals(8L * (400_000 + 200_000 + 150_000 + 10), counting.bytes.get());
            assertTrue(counting.calls.get() >= 4 + 2 + 2, "chunks of at most 1 MiB: " + counting.calls.get());
        }
    }

    @Test
    void aFlippedByteInTheArrayDataOnDiskIsAMissWithAWarning() throws Exception {
        double[] flat = doubles(400_000, 5);
        List<String> warnings = new ArrayList<>();
        Derivation d = derivation(2);
        try (DataStore rocks = RocksDataStore.open(dir)) {
            new Entries(rocks, CodecRegistry.standard(), w -> { }, true).save(d, "big", Map.of("v", flat), Map.of(), 1);
        }
        Path blob;
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            blob = s.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = ch.size() / 2; // inside the array's data, far from the Arrow metadata
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x04)).rewind();
            ch.write(b, at);
        }
        try (DataStore rocks = RocksDataStore.open(dir)) {
            Entries entries = new Entries(rocks, CodecRegistry.standard(), warnings::add, true);
            assertEquals(Optional.empty(), entries.lookup(d.key(), "big", getClass().getClassLoader(), "v"));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("checksum"), warnings.get(0));
            assertFalse(rocks.contains(d.key()));
        }
    }

    /**
     * A value larger than the parallel threshold is copied by two threads (the first read waits until a
     * second thread has read too, so a helper that never joins fails the test instead of passing it),
     * every byte is read exactly once, and the rows and the flat array come back exact.
     */
    @Test
    void aLargeValueIsCopiedByTwoThreadsEachByteOnce() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1,
                "one processor: the copy stays on one thread by design");
        double[] flat = doubles(3_000_000, 6); // 24 MB: 23 chunks
        double[][] rows = new double[40][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = doubles(i == 7 ? 0 : 70_000 + i, 10 + i); // 22 MB of rows, one empty
        }
        try (DataStore rocks = RocksDataStore.open(dir)) {
            Counting counting = new Counting(rocks);
            counting.awaitSecondThread = true;
            Entries entries = new Entries(counting, CodecRegistry.standard(), w -> { }, true);
            Derivation d = derivation(3);
            entries.save(d, "big", Map.of("flat", flat, "rows", rows), Map.of(), 1);
            Map<String, Object> v = entries.lookup(d.key(), "big", getClass().getClassLoader(), null).orElseThrow().values();
            assertArrayEquals(flat, (double[]) v.get("flat"));
            assertTrue(Arrays.deepEquals(rows, (double[][]) v.get("rows")));
            long rowBytes = 0;
            for (double[] r : rows) {
                rowBytes += 8L * r.length;
            }
            assertEquals(8L * flat.length + rowBytes, counting.bytes.get());
            assertTrue(counting.threads.size() >= 2, "read by " + counting.threads);
        }
    }

    /**
     * A read that fails in the middle of a two-thread copy (whichever thread meets it) is a miss with a
     * warning: the half-filled array never reaches the caller.
     */
    @Test
    void aReadFailureInAParallelCopyIsAMissNotAHalfFilledArray() {
        double[] flat = doubles(3_000_000, 7);
        List<String> warnings = new ArrayList<>();
        try (DataStore rocks = RocksDataStore.open(dir)) {
            Counting counting = new Counting(rocks);
            counting.failAt = 8L * 2_000_000;
            Entries entries = new Entries(counting, CodecRegistry.standard(), warnings::add, true);
            Derivation d = derivation(4);
            entries.save(d, "big", Map.of("v", flat), Map.of(), 1);
            assertEquals(Optional.empty(), entries.lookup(d.key(), "big", getClass().getClassLoader(), "v"));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("disk went away"), warnings.get(0));
        }
    }

    /** A flipped byte near the end of a large array, which the helper thread is likely to copy, is caught. */
    @Test
    void aFlippedByteInAParallelCopyIsAMissWithAWarning() throws Exception {
        double[] flat = doubles(3_000_000, 8);
        List<String> warnings = new ArrayList<>();
        Derivation d = derivation(5);
        try (DataStore rocks = RocksDataStore.open(dir)) {
            new Entries(rocks, CodecRegistry.standard(), w -> { }, true).save(d, "big", Map.of("v", flat), Map.of(), 1);
        }
        Path blob;
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            blob = s.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = ch.size() - 5000;
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            ch.write(b, at);
        }
        try (DataStore rocks = RocksDataStore.open(dir)) {
            Entries entries = new Entries(rocks, CodecRegistry.standard(), warnings::add, true);
            assertEquals(Optional.empty(), entries.lookup(d.key(), "big", getClass().getClassLoader(), "v"));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("checksum"), warnings.get(0));
        }
    }

    /** Counts the bytes and calls of {@link StoredEntry#read} on the entries it opens. */
    private static final class Counting extends ForwardingDataStore {
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        final Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** The first read waits (10 s at most) until another thread has read. */
        volatile boolean awaitSecondThread;
        private final java.util.concurrent.CountDownLatch second = new java.util.concurrent.CountDownLatch(1);
        /** A read of a range containing this offset fails; -1: none does. */
        volatile long failAt = -1;

        Counting(DataStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<StoredEntry> open(Key key) {
            return delegate.open(key).map(e -> new StoredEntry() {
                @Override
                public EntryInfo info() {
                    return e.info();
                }

                @Override
                public byte[] manifest() {
                    return e.manifest();
                }

                @Override
                public Set<String> payloadNames() {
                    return e.payloadNames();
                }

                @Override
                public ByteBuffer payload(String name) {
                    return e.payload(name);
                }

                @Override
                public void read(String name, long offset, ByteBuffer dst) {
                    if (failAt >= offset && failAt < offset + dst.remaining()) {
                        throw new dev.cellar.StoreException("the disk went away");
                    }
                    bytes.addAndGet(dst.remaining());
                    calls.incrementAndGet();
                    boolean first = threads.isEmpty();
                    threads.add(Thread.currentThread().getName());
                    if (threads.size() > 1) {
                        second.countDown();
                    }
                    if (awaitSecondThread && first) {
                        try {
                            second.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    e.read(name, offset, dst);
                }

                @Override
                public void close() {
                    e.close();
                }
            });
        }
    }
}
