package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * What RocksDB alone costs per small store+retrieve pair, with the store's own options ({@link DbOptions})
 * and records of a small entry's sizes, and no cellar code around it: the existence check of a commit
 * ({@code get} of the info record), the commit's write batch (entry, info, statistics, name index,
 * totals) and the retrieve's {@code get} of the entry record. The floor under the small-entry benchmark
 * (docs/benchmarks-analysis.md, "Small entries"). Not part of the report or of the tests.
 *
 * <pre>
 * RocksFloorMain DIR [ROUNDS]      (DIR must not exist; 2,000 pairs per round)
 * </pre>
 */
public final class RocksFloorMain {
    private RocksFloorMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Files.createDirectories(dir);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        SplittableRandom rnd = new SplittableRandom(1);
        // a byte[1024] entry's record: its 1.1 KB manifest and 1.5 KB Arrow payload inline
        byte[] manifest = new byte[1131];
        byte[] payload = new byte[1554];
        rnd.nextBytes(manifest);
        rnd.nextBytes(payload);
        try (Options o = DbOptions.primary(); WriteOptions w = new WriteOptions();
                RocksDB db = RocksDB.open(o, dir.resolve("db").toString())) {
            int n = 2000;
            for (int r = 0; r < rounds; r++) {
                long check = 0;
                long write = 0;
                long read = 0;
                for (int i = 0; i < n; i++) {
                    byte[] k = new byte[Key.LENGTH];
                    rnd.nextBytes(k);
                    Key key = Key.of(k);
                    Records.Info info = new Records.Info("bench.small.v", 1, 0, manifest.length + payload.length, List.of());
                    long t0 = threads.getCurrentThreadCpuTime();
                    if (db.get(DbOptions.READ, Records.dbKey(Records.INFO, key)) != null) {
                        throw new IllegalStateException("random key exists");
                    }
                    long t1 = threads.getCurrentThreadCpuTime();
                    try (WriteBatch b = new WriteBatch()) {
                        b.put(Records.dbKey(Records.ENTRY, key), Records.encodeEntry(new Records.Entry(info, manifest,
                                List.of(new Records.Payload("p0", payload.length, payload, null)))));
                        b.put(Records.dbKey(Records.INFO, key), Records.encodeInfo(info));
                        b.put(Records.dbKey(Records.STATS, key), Records.encodeStats(new Records.Stats(0, 0, 1)));
                        NameIndex.put(b, key, info.name(), null);
                        b.put(Records.GLOBAL_KEY, Records.encodeGlobal(new Records.Global(i, i, 0, 0, 0)));
                        db.write(w, b);
                    }
                    long t2 = threads.getCurrentThreadCpuTime();
                    if (Records.decodeEntry(db.get(DbOptions.READ, Records.dbKey(Records.ENTRY, key))) == null) {
                        throw new IllegalStateException("entry just written is missing");
                    }
                    long t3 = threads.getCurrentThreadCpuTime();
                    check += t1 - t0;
                    write += t2 - t1;
                    read += t3 - t2;
                }
                System.out.printf("round %d: %.1f us CPU per pair: existence check %.1f, write batch %.1f, read %.1f%n", r,
                        (check + write + read) / 1e3 / n, check / 1e3 / n, write / 1e3 / n, read / 1e3 / n);
            }
        }
    }
}
