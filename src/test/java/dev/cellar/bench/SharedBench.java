package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Key;
import dev.cellar.Parameters;
import dev.cellar.engine.Config;
import dev.cellar.engine.Entries;
import dev.cellar.engine.SharedConfig;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoredEntry;
import dev.cellar.store.shared.SharedServers;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark 8: the shared tier on a throwaway PostgreSQL + S3Proxy on this machine (started for the
 * run). Large payloads through the shared store against the AWS SDK's own put/get of the same bytes on
 * the same server and against payloads kept in PostgreSQL; the single-flight lease's cost on a miss;
 * small entries; a shared hit followed by a local one.
 */
final class SharedBench {
    static final String SHARED_PUT = "shared store write (spool, SHA-256, upload, index row)";
    static final String SDK_PUT = "AWS SDK putObject (file in page cache)";
    static final String PG_PUT = "shared store write, payload in PostgreSQL chunks";
    static final String SHARED_GET = "shared store read (index, download, SHA-256 check, map)";
    static final String SDK_GET = "AWS SDK getObject to a file";
    static final String PG_GET = "shared store read, payload from PostgreSQL chunks";
    static final String LEASE = "take + release the lease of a miss";
    static final String SMALL = "1 KB put + open through the shared store";

    private final Ctx ctx;
    private final Path dir;

    SharedBench(Ctx ctx, Path dir) {
        this.ctx = ctx;
        this.dir = dir;
    }

    void run() throws Exception {
        Report r = ctx.report;
        r.section("8. Shared tier (PostgreSQL + S3Proxy)", "A throwaway PostgreSQL 15 and S3Proxy (filesystem back "
                + "end) on this machine, started for this run; both write to the same disk as everything else, so "
                + "absolute times say little about a real team server, the ratios compare cellar's overhead with "
                + "the SDK's own transfer of the same bytes to the same server. Payloads are raw bytes through the "
                + "store SPI (no codec, no local tier).");
        Files.createDirectories(dir);
        SharedServers servers = SharedServers.startOwn();
        try {
            run(servers);
        } finally {
            servers.control("stop");
        }
    }

    private void run(SharedServers servers) throws Exception {
        Report r = ctx.report;
        // -Dbench.shared.bytes: a smaller size when the machine is too loaded for 800 MB runs in reasonable time
        long bytes = ctx.quick ? 800_000 : Long.getLong("bench.shared.bytes", 800_000_000L);
        byte[] data = new byte[(int) bytes];
        new java.util.Random(8).nextBytes(data);
        Path file = dir.resolve("payload.bin");
        Files.write(file, data);
        String s3schema = servers.freshSchema("bench_s3");
        String pgschema = servers.freshSchema("bench_pg");
        Harness h = ctx.quick ? new Harness(1, 2) : new Harness(1, 3);
        try (DataStore withS3 = SharedConfig.openShared(SharedConfig.settings(servers.url(s3schema),
                        servers.blobs(s3schema), null, null, servers.awsEnv()));
                DataStore pgOnly = SharedConfig.openShared(SharedConfig.settings(servers.url(pgschema), null, null,
                        null, servers.awsEnv()));
                S3Client sdk = sdk(servers)) {
            r.timeHeader();
            String name = "shared write " + Report.size(bytes);
            Ctx.log(name);
            // each write's bytes differ (a counter in the first 4 bytes): the same bytes again would be found
            // by their digest and not uploaded at all
            Map<String, Sample> w = h.compare(List.of(
                    Harness.Subject.of(SHARED_PUT, i -> put(withS3, key(1), data))
                            .withSetup(i -> stamp(data, i)),
                    Harness.Subject.of(SDK_PUT, i -> sdk.putObject(b -> b.bucket("cellar").key("sdk/put")
                            .contentLength(bytes), RequestBody.fromFile(file))),
                    Harness.Subject.of(PG_PUT, i -> put(pgOnly, key(1), data)).withSetup(i -> stamp(data, i))));
            put(withS3, key(0), data);
            put(pgOnly, key(0), data);
            Files.write(file, data);
            sdk.putObject(b -> b.bucket("cellar").key("sdk/0").contentLength(bytes), RequestBody.fromFile(file));
            ctx.record(name, w);
            r.timeRows(name, w, SDK_PUT, bytes);

            name = "shared read " + Report.size(bytes);
            Ctx.log(name);
            byte[][] got = new byte[1][];
            Map<String, Sample> g = h.compare(List.of(
                    Harness.Subject.of(SHARED_GET, i -> got[0] = get(withS3, key(0), data.length)),
                    Harness.Subject.of(SDK_GET, i -> {
                        Path t = dir.resolve("sdk-get.bin");
                        Files.deleteIfExists(t);
                        sdk.getObject(b -> b.bucket("cellar").key("sdk/0"), ResponseTransformer.toFile(t));
                    }),
                    Harness.Subject.of(PG_GET, i -> got[0] = get(pgOnly, key(0), data.length))));
            ArrayBench.check(name, Arrays.equals(data, got[0]));
            got[0] = null;
            ctx.record(name, g);
            r.timeRows(name, g, SDK_GET, bytes);

            Key leaseKey = key(99);
            try (Cellar c = Cellar.builder().store(Config.fromEnvironment().openStore(dir.resolve("lease-local")))
                    .shared(servers.url(s3schema)).sharedBlobs(servers.blobs(s3schema))
                    .sharedEnvironment(servers.awsEnv()).build()) {
                Entries e = c.entries();
                name = "lease per miss";
                Ctx.log(name);
                Map<String, Sample> l = new Harness(ctx.quick ? 1 : 20, ctx.quick ? 5 : 100).compare(List.of(
                        Harness.Subject.of(LEASE, i -> {
                            try (Entries.Turn t = e.awaitTurn(leaseKey, "lease", m -> { })) {
                                Harness.consume(t);
                            }
                        })));
                ctx.record(name, l);
                r.timeRows(name, l, null, 0);
            }

            int pairs = ctx.quick ? 50 : 1000;
            byte[] small = Arrays.copyOf(data, 1024);
            name = "small entries through the shared store";
            Ctx.log(name);
            Map<String, Sample> sm = new Harness(1, ctx.quick ? 1 : 3).compare(List.of(
                    Harness.Subject.of(SMALL + " (" + pairs + " pairs)", i -> {
                        for (int k = 0; k < pairs; k++) {
                            Key kk = key(10_000 + k);
                            put(withS3, kk, small);
                            Harness.consume(get(withS3, kk, small.length));
                        }
                    })));
            ctx.record(name, sm);
            r.timeRows(name, sm, null, 0);
            Sample s = sm.values().iterator().next();
            double rate = pairs / (s.median() / 1e9);
            r.endTable();

            hitThenLocal(servers, s3schema);

            Sample put = w.get(SHARED_PUT);
            Sample get = g.get(SHARED_GET);
            double wr = put.median() / w.get(SDK_PUT).median();
            double rr = get.median() / g.get(SDK_GET).median();
            String sz = Report.size(bytes);
            r.target(new Report.Target("Shared store write of " + sz, "≤ 1.3× AWS SDK put of the same bytes",
                    Report.ms(put.medianMs()) + " vs SDK " + Report.ms(w.get(SDK_PUT).medianMs()) + " (PostgreSQL chunks: "
                            + Report.ms(w.get(PG_PUT).medianMs()) + ")", x(wr),
                    Report.Target.verdict(wr <= 1.3)));
            r.target(new Report.Target("Shared store read of " + sz, "≤ 1.3× AWS SDK get of the same bytes",
                    Report.ms(get.medianMs()) + " vs SDK " + Report.ms(g.get(SDK_GET).medianMs()) + " (PostgreSQL chunks: "
                            + Report.ms(g.get(PG_GET).medianMs()) + ")", x(rr), Report.Target.verdict(rr <= 1.3)));
            Sample lease = ctx.cases.get("lease per miss").get(LEASE);
            r.target(new Report.Target("Lease added to a miss", "≤ 20 ms", Report.ms(lease.medianMs()),
                    x(lease.medianMs() / 20), Report.Target.verdict(lease.medianMs() <= 20)));
            r.note(String.format(Locale.ROOT, "Small entries through the shared store (PostgreSQL rows, one "
                    + "thread): %,.0f put+open pairs/s.", rate));
        }
    }

    private void hitThenLocal(SharedServers servers, String schema) throws Exception {
        int n = (int) ((ctx.quick ? 800_000 : 80_000_000L) / 8);
        double[] v = ArrayBench.doubles(n, 5);
        try (Cellar a = machine(servers, schema, "hit-a")) {
            a.cached("hit", Parameters.of("n", n), () -> v);
        }
        StringBuilder lines = new StringBuilder();
        try (Cellar b = machine(servers, schema, "hit-b")) {
            b.onStatus(l -> lines.append("    ").append(l).append('\n'));
            for (int i = 0; i < 2; i++) {
                double[] got = b.cached("hit", Parameters.of("n", n), () -> {
                    throw new IllegalStateException("expected a hit");
                });
                ArrayBench.check("shared hit", Arrays.equals(v, got));
            }
        }
        ctx.report.text("A " + Report.size(8L * n) + " double[] computed on machine A, then looked up twice on machine "
                + "B (an empty local store): the first hit comes from the shared tier and is copied locally, the "
                + "second is local. Status lines:\n\n" + lines);
    }

    private Cellar machine(SharedServers servers, String schema, String local) {
        return Cellar.builder().store(Config.fromEnvironment().openStore(dir.resolve(local)))
                .shared(servers.url(schema)).sharedBlobs(servers.blobs(schema))
                .sharedEnvironment(servers.awsEnv()).build();
    }

    private static void stamp(byte[] data, int i) {
        data[0] = (byte) i;
        data[1] = (byte) (i >> 8);
        data[2] = (byte) 0x5e;
    }

    private static String x(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static Key key(int i) {
        byte[] b = new byte[Key.LENGTH];
        b[0] = (byte) 0xbe;
        b[1] = (byte) (i >> 16);
        b[2] = (byte) (i >> 8);
        b[3] = (byte) i;
        return Key.of(b);
    }

    private static void put(DataStore s, Key k, byte[] data) throws Exception {
        try (EntryWriter w = s.begin(k)) {
            try (WritableByteChannel ch = w.payload("p0")) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    ch.write(b.slice(b.position(), Math.min(1 << 20, b.remaining())));
                    b.position(Math.min(b.limit(), b.position() + (1 << 20)));
                }
            }
            w.commit(new byte[] {1}, new EntryMetadata("bench", System.currentTimeMillis(), 1));
        }
    }

    private static byte[] get(DataStore s, Key k, int len) {
        try (StoredEntry e = s.open(k).orElseThrow()) {
            ByteBuffer b = e.payload("p0");
            byte[] out = new byte[len];
            b.get(out);
            return out;
        }
    }

    private static S3Client sdk(SharedServers servers) {
        Map<String, String> env = servers.awsEnv();
        return S3Client.builder().endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).forcePathStyle(true)
                .region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
    }
}
