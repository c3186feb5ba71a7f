package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Benchmark, not a test: {@code java -cp ... dev.cellar.store.rocksdb.StoreThroughput [pairs] [largeMB]}.
 * Measures store+retrieve pairs of 1 KB values in one thread, and a large payload's store (vs a plain
 * FileChannel write of the same bytes) and restore into a double[] (vs System.arraycopy).
 */
public final class StoreThroughput {
    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int largeMb = args.length > 1 ? Integer.parseInt(args[1]) : 800;
        Path dir = Files.createTempDirectory("cellar-bench");
        try (RocksDataStore s = RocksDataStore.open(dir.resolve("store"), StoreOptions.builder().idleRelease(java.time.Duration.ofMillis(500)).build())) {
            byte[] value = new byte[1024];
            byte[] manifest = new byte[64];
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < pairs; i++) {
                    byte[] kb = new byte[32];
                    ByteBuffer.wrap(kb).putInt(round).putInt(i);
                    Key k = Key.of(kb);
                    value[0] = (byte) i;
                    try (EntryWriter w = s.begin(k)) {
                        try (WritableByteChannel ch = w.payload("v")) {
                            ch.write(ByteBuffer.wrap(value));
                        }
                        w.commit(manifest, new EntryMetadata("bench", 0, 1000));
                    }
                    try (StoredEntry e = s.open(k).orElseThrow()) {
                        if (e.payload("v").get(0) != (byte) i) {
                            throw new AssertionError("wrong value");
                        }
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("1 KB store+retrieve: %d pairs in %.2f s = %.0f pairs/s%n", pairs, secs, pairs / secs);
            }
            for (int i = 0; i < 3; i++) {
                Thread.sleep(1000);
                long t0 = System.nanoTime();
                s.contains(Key.of(new byte[32]));
                System.out.printf("first call after idle release (reopens RocksDB): %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            }
            if (largeMb > 0) {
                large(s, dir, largeMb);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void large(RocksDataStore s, Path dir, int mb) throws Exception {
        int n = mb * (1 << 20) / 8;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i * 0.5;
        }
        double[] out = new double[n];
        ByteBuffer heap = ByteBuffer.allocate(n * 8);
        heap.asDoubleBuffer().put(xs);
        for (int round = 0; round < 3; round++) {
            Key k = Key.of(new byte[32]);
            long t0 = System.nanoTime();
            System.arraycopy(xs, 0, out, 0, n);
            long copy = System.nanoTime() - t0;

            Path plain = dir.resolve("plain.bin");
            t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(plain, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                // the best plain write: 1 MiB slices, so the JDK's temporary direct buffer stays small and hot
                ByteBuffer b = heap.duplicate();
                while (b.hasRemaining()) {
                    int len = Math.min(1 << 20, b.remaining());
                    ByteBuffer slice = b.slice(b.position(), len);
                    while (slice.hasRemaining()) {
                        ch.write(slice);
                    }
                    b.position(b.position() + len);
                }
            }
            long plainWrite = System.nanoTime() - t0;
            Files.delete(plain);

            t0 = System.nanoTime();
            try (EntryWriter w = s.begin(k)) {
                try (WritableByteChannel ch = w.payload("xs")) {
                    ByteBuffer b = heap.duplicate();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
                w.commit(new byte[10], new EntryMetadata("large", 0, 1));
            }
            long store = System.nanoTime() - t0;

            t0 = System.nanoTime();
            try (StoredEntry e = s.open(k).orElseThrow()) {
                e.payload("xs").asDoubleBuffer().get(out);
            }
            long restore = System.nanoTime() - t0;
            if (out[n - 1] != xs[n - 1]) {
                throw new AssertionError("wrong restore");
            }
            System.out.printf("%d MB: arraycopy %.0f ms, restore %.0f ms (%.2fx); plain file write %.0f ms,"
                    + " store %.0f ms (%.2fx)%n", mb, copy / 1e6, restore / 1e6, (double) restore / copy,
                    plainWrite / 1e6, store / 1e6, (double) store / plainWrite);
        }
    }
}
