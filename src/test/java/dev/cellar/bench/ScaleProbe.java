package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import dev.cellar.store.rocksdb.RocksDataStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * For profiling section 9's hits: {@code build DIR N} builds DIR/big (N entries, as {@link ScaleBench}
 * does) and DIR/empty; {@code hits DIR ROUNDS} then times rounds of 200 hits on each, interleaved, as
 * thread CPU per hit, through the Java API ({@code retrieve}, as section 9) and through the store alone
 * ({@code open} + {@code close} of the same keys). Not part of the report.
 */
public final class ScaleProbe {
    private static final int HITS = ScaleBench.HITS;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ScaleProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        Path big = dir.resolve("big");
        Path empty = dir.resolve("empty");
        if (args[0].equals("build")) {
            build(big, empty, Integer.parseInt(args[2]));
            return;
        }
        if (args[0].equals("shape")) {
            Path scratch = java.nio.file.Files.createTempDirectory("probe-shape");
            try (org.rocksdb.Options o = new org.rocksdb.Options().setMaxOpenFiles(-1);
                    org.rocksdb.RocksDB d = org.rocksdb.RocksDB.openAsSecondary(o, big.resolve("db").toString(),
                            scratch.toString())) {
                System.out.println(d.getProperty("rocksdb.levelstats"));
                System.out.println("index+filter bytes: " + d.getProperty("rocksdb.estimate-table-readers-mem"));
            }
            return;
        }
        int rounds = Integer.parseInt(args[2]);
        Key[] keys = new Key[HITS];
        Component[] components = new Component[HITS];
        for (int i = 0; i < HITS; i++) {
            components[i] = ScaleBench.component(i);
        }
        try (Cellar bc = Cellar.open(big); Cellar ec = Cellar.open(empty);
                RocksDataStore bs = RocksDataStore.open(big, StoreOptions.defaults());
                RocksDataStore es = RocksDataStore.open(empty, StoreOptions.defaults())) {
            // the empty store holds exactly the 200 entries that the big one holds besides its bulk
            List<dev.cellar.store.EntryInfo> listed = es.list();
            for (int i = 0; i < HITS; i++) {
                keys[i] = listed.get(i).key();
            }
            String only = args.length > 3 ? args[3] : "all";
            if (!only.equals("all")) {
                // one subject only, for a profiler
                long total = 0;
                if (only.endsWith("primary")) {
                    // counts waiting to be written make this process take the store (the releaser's tick)
                    (only.startsWith("big") ? bs : es).recordMiss();
                    Thread.sleep(1500);
                    only = only.replace("primary", "");
                }
                for (int r = 0; r < rounds; r++) {
                    total += switch (only) {
                        case "bigopen" -> opens(bs, keys);
                        case "emptyopen" -> opens(es, keys);
                        case "bigretrieve" -> hits(bc, components);
                        default -> hits(ec, components);
                    };
                }
                System.out.printf("%s: %.2f us cpu per hit%n", only, total / (double) rounds / HITS / 1e3);
                return;
            }
            long[][] cpu = new long[4][rounds];
            for (int r = -20; r < rounds; r++) {
                long a = hits(bc, components);
                long b = hits(ec, components);
                long c = opens(bs, keys);
                long d = opens(es, keys);
                if (r >= 0) {
                    cpu[0][r] = a;
                    cpu[1][r] = b;
                    cpu[2][r] = c;
                    cpu[3][r] = d;
                }
            }
            String[] names = {"retrieve, big", "retrieve, empty", "store open, big", "store open, empty"};
            double[] med = new double[4];
            for (int s = 0; s < 4; s++) {
                long[] x = cpu[s].clone();
                Arrays.sort(x);
                med[s] = x[rounds / 2] / (double) HITS / 1e3;
                System.out.printf("%-18s median %.2f us cpu per hit (p25 %.2f, p75 %.2f)%n", names[s], med[s],
                        x[rounds / 4] / (double) HITS / 1e3, x[rounds * 3 / 4] / (double) HITS / 1e3);
            }
            System.out.printf("ratio retrieve %.3f, store open %.3f; load %s%n", med[0] / med[1], med[2] / med[3],
                    BenchMain.loadAverage());
        }
    }

    private static long hits(Cellar c, Component[] components) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        for (Component comp : components) {
            if (c.retrieve(comp, "v", byte[].class).isEmpty()) {
                throw new IllegalStateException("missing");
            }
        }
        return THREADS.getCurrentThreadCpuTime() - c0;
    }

    private static long opens(RocksDataStore s, Key[] keys) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        for (Key k : keys) {
            try (StoredEntry e = s.open(k).orElseThrow()) {
                Harness.consume(e);
            }
        }
        return THREADS.getCurrentThreadCpuTime() - c0;
    }

    private static void build(Path big, Path empty, int n) throws Exception {
        Raw.deleteTree(big);
        Raw.deleteTree(empty);
        System.out.printf("built %d entries in %.1f s%n", n, ScaleBench.build(big, empty, n));
    }
}
