package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * Child process of the multi-process and crash tests.
 * <ul>
 *   <li>{@code slow DIR}: writes half a large payload, waits for a line on stdin, then commits.</li>
 *   <li>{@code hold DIR}: takes the store's cross-process lock and never lets go.</li>
 *   <li>{@code follow DIR}: reads an entry without holding the store (through a follower), then
 *       waits until killed.</li>
 *   <li>{@code crash DIR RUN MAXSIZE}: stores entries {@code crash-RUN-i} of varied sizes forever,
 *       printing {@code ACK <hex>} after each commit returned; the parent kills it.</li>
 *   <li>{@code mixed DIR ID OPS KEYS}: random stores, retrieves (verified), removes and gc on
 *       {@code KEYS} shared keys; prints {@code DONE} and exits 0 if every call succeeded and every
 *       value read was right, else prints the problem and exits 1.</li>
 * </ul>
 */
public final class StoreChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "crash" -> crash(dir, args[2], Integer.parseInt(args[3]));
            case "hold" -> hold(dir);
            case "follow" -> follow(dir);
            case "slow" -> slow(dir);
            case "mixed" -> System.exit(mixed(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4])));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Holds the store's lock like a process stuck inside an operation, until killed. */
    private static void hold(Path dir) throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("lock"),
                java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock l = ch.lock(0, 1, false)) {
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A reader that does not hold the store (it only reads, so it never takes it), until killed. */
    private static void follow(Path dir) throws Exception {
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            Key k = TestValues.key("followed");
            try (StoredEntry e = s.open(k).orElseThrow()) {
                System.out.println(TestValues.check(k, e) == null ? "READY" : "WRONG");
            }
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Writes half of a large payload, waits for a line on stdin, then finishes and commits. */
    private static void slow(Path dir) throws Exception {
        Key k = TestValues.key("slow");
        java.nio.ByteBuffer v = TestValues.value(k, 400_000);
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults());
                dev.cellar.store.EntryWriter w = s.begin(k)) {
            java.nio.channels.WritableByteChannel ch = w.payload("value");
            ch.write(v.slice(0, 200_000));
            System.out.println("WRITING");
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            ch.write(v.slice(200_000, 200_000));
            ch.close();
            try (java.nio.channels.WritableByteChannel t = w.payload("tag")) {
                t.write(java.nio.ByteBuffer.wrap(k.bytes()));
            }
            w.commit(TestValues.manifest(k), new dev.cellar.store.EntryMetadata("slow", 1, 1));
            System.out.println("COMMITTED");
            System.out.flush();
        }
    }

    static int[] crashSizes(int maxSize) {
        return new int[] {1000, 5_000, 60_000, 70_000, 300_000, Math.max(1000, maxSize / 4), maxSize};
    }

    private static void crash(Path dir, String run, int maxSize) throws Exception {
        int[] sizes = crashSizes(maxSize);
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            System.out.println("READY");
            System.out.flush();
            for (int i = 0; ; i++) {
                Key k = TestValues.key("crash-" + run + "-" + i);
                TestValues.put(s, k, TestValues.size(k, sizes));
                System.out.println("ACK " + k.hex());
                System.out.flush();
            }
        }
    }

    static final int[] MIXED_SIZES = {100, 1000, 20_000, 100_000, 400_000};

    private static int mixed(Path dir, int id, int ops, int keys) {
        Random r = new Random(id * 7919L);
        int stores = 0;
        int reads = 0;
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            for (int i = 0; i < ops; i++) {
                Key k = TestValues.key("mixed-" + r.nextInt(keys));
                int op = r.nextInt(100);
                if (op < 45) {
                    TestValues.put(s, k, TestValues.size(k, MIXED_SIZES));
                    stores++;
                } else if (op < 90) {
                    Optional<StoredEntry> e = s.open(k);
                    if (e.isPresent()) {
                        try (StoredEntry entry = e.get()) {
                            String problem = TestValues.check(k, entry);
                            if (problem != null) {
                                System.out.println("WRONG " + problem);
                                return 1;
                            }
                            s.recordHit(k, 1000);
                            reads++;
                        }
                    } else {
                        s.recordMiss();
                    }
                } else if (op < 98) {
                    s.remove(k);
                } else {
                    s.evictTo(4L << 20);
                }
            }
            System.out.println("DONE stores=" + stores + " reads=" + reads);
            return 0;
        } catch (Throwable t) {
            System.out.println("FAILED " + t);
            t.printStackTrace(System.out);
            return 1;
        }
    }
}
