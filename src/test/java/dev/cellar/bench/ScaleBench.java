package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.Parameters;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.rocksdb.RocksDataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Scale: a store of many entries (1,000,000 in full mode) against an empty one. The big store is built
 * through the store API (one commit per entry, 10 entries per name); {@code HITS} real cellar entries
 * are stored through the Java API in both stores first. Measured: opening the store and answering its
 * first read; a hit ({@code retrieve}) on each store, interleaved; {@code cellar ls NAME} for a name
 * with 10 entries; {@code cellar gc} down to half the size.
 */
final class ScaleBench {
    static final int HITS = 200;
    private static final int PER_NAME = 10;
    private final Ctx ctx;
    private final Path dir;

    ScaleBench(Ctx ctx, Path dir) {
        this.ctx = ctx;
        this.dir = dir;
    }

    void run() throws Exception {
        int n = ctx.quick ? 20_000 : 1_000_000;
        Report r = ctx.report;
        r.section("9. Scale", "A store holding " + String.format(Locale.ROOT, "%,d", n) + " entries (built through "
                + "the store API: one commit per entry, 256-byte payload, " + PER_NAME + " entries per name) against "
                + "an empty store. Targets: open ≤ 100 ms; a hit ≤ 1.2× its cost on the empty store; `ls NAME` for "
                + "a name with 10 entries ≤ 100 ms; `gc` to half the size ≤ 30 s.");
        Path big = dir.resolve("big");
        Path empty = dir.resolve("empty");
        Ctx.log("scale: building a store of " + n + " entries");
        double buildS = build(big, empty, n);
        r.text(String.format(Locale.ROOT, "Built %,d entries in %.1f s (%,.0f commits/s).\n", n, buildS, n / buildS));

        Ctx.log("scale: open, hits, ls NAME");
        Key probe = key(n / 2);
        Harness h = ctx.quick ? new Harness(1, 3) : new Harness(2, 9);
        Map<String, Sample> open = h.compare(List.of(
                Harness.Subject.of("open + first read, " + n + " entries", i -> openAndRead(big, probe)),
                Harness.Subject.of("open + first read, empty", i -> openAndRead(empty, probe))));
        Map<String, Sample> hits;
        try (Cellar bc = Cellar.open(big); Cellar ec = Cellar.open(empty)) {
            hits = h.compare(List.of(
                    Harness.Subject.of("hit, " + n + " entries", i -> hits(bc)),
                    Harness.Subject.of("hit, empty", i -> hits(ec))));
        }
        String name = "scale.fn" + (n / PER_NAME / 2);
        Map<String, Sample> ls = h.compare(List.of(
                Harness.Subject.of("ls NAME, " + n + " entries", i -> ls(big, name, PER_NAME))));
        Ctx.log("scale: gc to half");
        long bytes;
        try (RocksDataStore s = RocksDataStore.open(big, StoreOptions.defaults())) {
            bytes = s.stats().bytes();
        }
        long g0 = System.nanoTime();
        cli(big, "gc", "--max-size", Long.toString(bytes / 2));
        double gcS = (System.nanoTime() - g0) / 1e9;

        Sample ob = open.get("open + first read, " + n + " entries");
        Sample oe = open.get("open + first read, empty");
        Sample hb = hits.get("hit, " + n + " entries");
        Sample he = hits.get("hit, empty");
        Sample l = ls.get("ls NAME, " + n + " entries");
        double hitRatio = hb.median() / he.median();
        r.text(String.format(Locale.ROOT, "| measure | %,d entries | empty store | ratio |\n|---|---:|---:|---:|\n"
                + "| open + first read (`contains`) | %s | %s | %.2f× |\n"
                + "| hit (`retrieve` of a 1 KB byte[], median per hit over %d) | %.1f µs | %.1f µs | %.2f× |\n"
                + "| `cellar ls NAME` (10 entries; CLI entry point in this JVM) | %s | – | – |\n"
                + "| `cellar gc --max-size` half of %s | %.1f s | – | – |\n", n, Report.ms(ob.medianMs()),
                Report.ms(oe.medianMs()), ob.median() / oe.median(), HITS, hb.median() / HITS / 1e3,
                he.median() / HITS / 1e3, hitRatio, Report.ms(l.medianMs()), Report.size(bytes), gcS));
        r.target(new Report.Target("Open a store of " + String.format(Locale.ROOT, "%,d", n) + " entries",
                "≤ 100 ms", Report.ms(ob.medianMs()), String.format(Locale.ROOT, "%.2f×", ob.medianMs() / 100),
                Report.Target.verdict(ob.medianMs() <= 100)));
        r.target(new Report.Target("Hit on that store", "≤ 1.2× on an empty store", String.format(Locale.ROOT,
                "%.1f vs %.1f µs", hb.median() / HITS / 1e3, he.median() / HITS / 1e3),
                String.format(Locale.ROOT, "%.2f×", hitRatio), Report.Target.verdict(hitRatio <= 1.2)));
        r.target(new Report.Target("`ls NAME` (10 entries) on that store", "≤ 100 ms", Report.ms(l.medianMs()),
                String.format(Locale.ROOT, "%.2f×", l.medianMs() / 100), Report.Target.verdict(l.medianMs() <= 100)));
        r.target(new Report.Target("`gc` to half of that store", "≤ 30 s", String.format(Locale.ROOT, "%.1f s", gcS),
                String.format(Locale.ROOT, "%.2f×", gcS / 30), Report.Target.verdict(gcS <= 30)));
    }

    /**
     * The two stores this section compares: both hold the {@link #HITS} entries the hits read, and
     * {@code big} also {@code n} more (one commit each, 256-byte payload, {@link #PER_NAME} per name).
     * Returns the seconds the {@code n} commits took. Also used by {@code ScaleProbe}.
     */
    static double build(Path big, Path empty, int n) throws Exception {
        byte[] value = new byte[1024];
        new SplittableRandom(9).nextBytes(value);
        for (Path p : List.of(big, empty)) {
            try (Cellar c = Cellar.open(p)) {
                for (int i = 0; i < HITS; i++) {
                    c.store(component(i), "v", value);
                }
            }
        }
        long t0 = System.nanoTime();
        try (RocksDataStore s = RocksDataStore.open(big, StoreOptions.defaults())) {
            byte[] payload = new byte[256];
            for (int i = 0; i < n; i++) {
                Key k = key(i);
                try (EntryWriter w = s.begin(k)) {
                    try (WritableByteChannel ch = w.payload("value")) {
                        ch.write(ByteBuffer.wrap(payload));
                    }
                    w.commit(("{\"bench\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                            new EntryMetadata("scale.fn" + (i / PER_NAME), System.currentTimeMillis(), 1000));
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static Component component(int i) {
        return Component.of("bench.scale", Parameters.of("i", i));
    }

    private static void hits(Cellar c) {
        for (int i = 0; i < HITS; i++) {
            if (c.retrieve(component(i), "v", byte[].class).isEmpty()) {
                throw new IllegalStateException("scale: entry " + i + " missing");
            }
        }
    }

    private static void openAndRead(Path store, Key probe) {
        try (RocksDataStore s = RocksDataStore.open(store, StoreOptions.defaults())) {
            Harness.consume(s.contains(probe));
        }
    }

    private static void ls(Path store, String name, int expected) {
        String out = cli(store, "ls", name);
        if (!out.contains(expected + " entries")) {
            throw new IllegalStateException("scale: ls " + name + " said " + out);
        }
    }

    private static String cli(Path store, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--dir";
        all[1] = store.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        if (dev.cellar.cli.Main.run(all, new PrintWriter(out), new PrintWriter(err)) != 0) {
            throw new IllegalStateException("cellar " + String.join(" ", args) + " failed: " + err);
        }
        return out.toString();
    }

    private static Key key(int i) throws Exception {
        return Key.of(MessageDigest.getInstance("SHA-256").digest(("scale-" + i).getBytes(StandardCharsets.UTF_8)));
    }
}
