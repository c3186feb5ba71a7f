package dev.cellar.bench;

import dev.cellar.Key;
import dev.cellar.codec.Codec;
import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import dev.cellar.codec.arrow.ArrowCodec;
import dev.cellar.codec.json.JsonCodec;
import dev.cellar.key.ValueDigest;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import dev.cellar.store.rocksdb.RocksDataStore;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 7: each layer on its own (the Arrow and JSON codecs, the RocksDB store, the digests), beside
 * the same references as the full-path figures above, so that a regression there can be traced to a layer.
 */
final class LayerBench {
    static final String ARROW_DECODE = "Arrow decode (mapped file → new double[])";
    static final String ARROW_ENCODE = "Arrow encode + write (page cache)";
    static final String STORE_READ = "RocksDataStore open + read into double[]";
    static final String STORE_WRITE = "RocksDataStore begin + write + commit";
    static final String DIGEST_ROWS = "ValueDigest.of(double[][] of 100 rows)";
    static final String DIGEST_FILE = "ValueDigest.file (page cache)";
    static final String STORE_PAIR = "RocksDataStore 1 KB put + open";
    static final String ARROW_PAIR = "Arrow encode + decode double[128]";
    static final String JSON_PAIR = "JSON encode + decode map of 20 entries";
    static final String REOPEN = "first call after idle release (reopens RocksDB)";
    static final String OPEN_CALL = "call on an open store";

    private final Ctx ctx;
    private final Path dir;

    LayerBench(Ctx ctx, Path dir) {
        this.ctx = ctx;
        this.dir = dir;
    }

    void run() throws Exception {
        Report r = ctx.report;
        r.section("7. Layers", "The codec, the store and the digest each on their own, against the references of "
                + "benchmarks 1 and 2 (the codec reads from and writes to a file in the page cache; the store "
                + "moves raw bytes, without codec or manifest). Their sum is not the full path's time, but a "
                + "regression above shows up here in the layer that caused it.");
        Files.createDirectories(dir);
        List<Long> sizes = ctx.sizes();
        long bytes = sizes.get(sizes.size() - 1);
        double[] data = ArrayBench.doubles((int) (bytes / 8), 21);
        double[] dst = new double[data.length];
        Arrays.fill(dst, 1.0);
        r.timeHeader();
        codec(data, dst, bytes);
        try (RocksDataStore store = RocksDataStore.open(dir.resolve("store"), StoreOptions.builder()
                .idleRelease(Duration.ofMillis(ctx.quick ? 50 : 500)).build())) {
            store(store, data, dst, bytes);
            digests(data, dst, bytes);
            dst = null;
            data = null;
            r.endTable();
            small(store);
        }
    }

    private void codec(double[] data, double[] dst, long bytes) throws Exception {
        ArrowCodec arrow = new ArrowCodec();
        DecodeContext dc = DecodeContext.defaults();
        Path file = dir.resolve("value.arrow");
        String descriptor;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Encoded e = arrow.encode(data);
            descriptor = e.descriptor();
            e.writeTo(ch);
        }
        String name = "codec restore double[] " + Report.size(bytes);
        Ctx.log(name);
        double[][] last = new double[1][];
        Map<String, Sample> s;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            s = ctx.harness(bytes).compare(List.of(
                    Harness.Subject.of(ARROW_DECODE, i -> last[0] = (double[]) arrow.decode(descriptor, mapped.duplicate(), dc)),
                    ArrayBench.arraycopy(data, dst),
                    ArrayBench.cloneOf(data)));
        }
        ArrayBench.check(name, Arrays.equals(data, last[0]));
        last[0] = null;
        ctx.record(name, s);
        ctx.report.timeRows(name, s, ArrayBench.ARRAYCOPY, bytes);

        name = "codec store double[] " + Report.size(bytes);
        Ctx.log(name);
        s = ctx.harness(bytes).compare(List.of(
                Harness.Subject.of(ARROW_ENCODE, i -> {
                    try (FileChannel ch = FileChannel.open(dir.resolve("enc-" + i + ".arrow"),
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        arrow.encode(data).writeTo(ch);
                    }
                }).withTeardown(i -> Files.delete(dir.resolve("enc-" + i + ".arrow"))),
                ArrayBench.fileWrite(dir, data)));
        Path again = encodedAgain(arrow, data);
        ArrayBench.check(name, Files.mismatch(file, again) == -1);
        Files.delete(again);
        Files.delete(file);
        ctx.record(name, s);
        ctx.report.timeRows(name, s, ArrayBench.FILE_WRITE, bytes);
    }

    /** The encoding written once more, to check that the timed encodes wrote the same bytes as the first. */
    private Path encodedAgain(Codec codec, Object value) throws Exception {
        Path again = dir.resolve("again.arrow");
        Files.deleteIfExists(again);
        try (FileChannel ch = FileChannel.open(again, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            codec.encode(value).writeTo(ch);
        }
        return again;
    }

    private void store(RocksDataStore store, double[] data, double[] dst, long bytes) throws Exception {
        ByteBuffer raw = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asDoubleBuffer().put(data);
        Key key = key(-1, 0);
        write(store, key, raw);
        double[] out = new double[data.length];
        String name = "store restore " + Report.size(bytes);
        Ctx.log(name);
        Map<String, Sample> s = ctx.harness(bytes).compare(List.of(
                Harness.Subject.of(STORE_READ, i -> {
                    try (StoredEntry e = store.open(key).orElseThrow()) {
                        e.payload("v").duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
                    }
                }),
                ArrayBench.arraycopy(data, dst)));
        ArrayBench.check(name, Arrays.equals(data, out));
        store.remove(key);
        ctx.record(name, s);
        ctx.report.timeRows(name, s, ArrayBench.ARRAYCOPY, bytes);

        String writeCase = "store write " + Report.size(bytes);
        Ctx.log(writeCase);
        s = ctx.harness(bytes).compare(List.of(
                Harness.Subject.of(STORE_WRITE, i -> write(store, key(-2, i), raw))
                        .withTeardown(i -> ArrayBench.check(writeCase + " stored", store.remove(key(-2, i)))),
                ArrayBench.fileWrite(dir, data)));
        ctx.record(writeCase, s);
        ctx.report.timeRows(writeCase, s, ArrayBench.FILE_WRITE, bytes);
    }

    private void digests(double[] data, double[] dst, long bytes) throws Exception {
        int n = 100;
        double[][] rows = new double[n][];
        int len = data.length / n;
        for (int r = 0; r < n; r++) {
            rows[r] = Arrays.copyOfRange(data, r * len, (r + 1) * len);
        }
        Path file = dir.resolve("digest.bin");
        Raw.write(file, data);
        String name = "digest shapes " + Report.size(bytes);
        Ctx.log(name);
        String digest = ValueDigest.file(file);
        Map<String, Sample> s = ctx.harness(bytes).compare(List.of(
                Harness.Subject.of(DIGEST_ROWS, i -> Harness.consume(ValueDigest.of(rows))),
                Harness.Subject.of(DIGEST_FILE, i -> Harness.consume(ValueDigest.file(file))),
                ArrayBench.arraycopy(data, dst)));
        ArrayBench.check("file digest is deterministic", digest.equals(ValueDigest.file(file)));
        Files.delete(file);
        ctx.record(name, s);
        ctx.report.timeRows(name, s, ArrayBench.ARRAYCOPY, bytes);
    }

    private void small(RocksDataStore store) throws Exception {
        int ops = ctx.quick ? 200 : 20_000;
        byte[] value = new byte[1024];
        double[] array = new double[128];
        for (int i = 0; i < array.length; i++) {
            array[i] = i / 3.0;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            map.put("key" + i, i % 2 == 0 ? (Object) ("value-" + i) : (Object) (i * 1.5));
        }
        ArrowCodec arrow = new ArrowCodec();
        JsonCodec json = new JsonCodec();
        Ctx.log("small values by layer");
        Harness h = ctx.quick ? new Harness(1, 2) : new Harness(3, 7);
        Map<String, Sample> s = h.compare(List.of(
                Harness.Subject.of(STORE_PAIR, i -> {
                    for (int k = 0; k < ops; k++) {
                        Key key = key(i, k);
                        value[0] = (byte) k;
                        write(store, key, ByteBuffer.wrap(value));
                        try (StoredEntry e = store.open(key).orElseThrow()) {
                            ArrayBench.check("1 KB entry", e.payload("v").get(0) == (byte) k);
                        }
                    }
                }),
                Harness.Subject.of(ARROW_PAIR, i -> pairs(arrow, array, ops)),
                Harness.Subject.of(JSON_PAIR, i -> pairs(json, map, ops))));
        Map<String, Sample> perOp = new LinkedHashMap<>();
        s.forEach((k, v) -> perOp.put(k, new Sample(k, Arrays.stream(v.nanos()).map(t -> t / ops).toArray(),
                Arrays.stream(v.cpuNanos()).map(t -> t / ops).toArray())));
        ctx.record("small by layer", perOp);
        ctx.report.text("Small values by layer: time of one pair (each run does " + ops + "; compare with the "
                + "pairs through `Cellar` in benchmark 3).");
        ctx.report.timeHeader();
        ctx.report.timeRows("one pair", perOp, null, 0);

        Ctx.log("reopen after idle release");
        long idle = ctx.quick ? 100 : 1000;
        Key probe = key(-3, 0);
        Map<String, Sample> reopen = (ctx.quick ? new Harness(0, 2) : new Harness(1, 5)).compare(List.of(
                Harness.Subject.of(REOPEN, i -> Harness.consume(store.contains(probe))).withSetup(i -> Thread.sleep(idle)),
                Harness.Subject.of(OPEN_CALL, i -> Harness.consume(store.contains(probe)))
                        .withSetup(i -> store.contains(probe))));
        ctx.record("reopen", reopen);
        ctx.report.timeRows("store call", reopen, OPEN_CALL, 0);
        ctx.report.endTable();
    }

    private static void pairs(Codec codec, Object value, int n) throws Exception {
        DecodeContext dc = DecodeContext.defaults();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object back = null;
        for (int i = 0; i < n; i++) {
            out.reset();
            Encoded e = codec.encode(value);
            e.writeTo(Channels.newChannel(out));
            back = codec.decode(e.descriptor(), ByteBuffer.wrap(out.toByteArray()), dc);
        }
        ArrayBench.check(codec.getClass().getSimpleName() + " pair", ArrayBench.deepEquals(value, back));
    }

    private static Key key(int round, int i) {
        byte[] kb = new byte[32];
        ByteBuffer.wrap(kb).putInt(0x6c617972).putInt(round).putInt(i);
        return Key.of(kb);
    }

    private static void write(RocksDataStore store, Key key, ByteBuffer bytes) throws Exception {
        try (EntryWriter w = store.begin(key)) {
            try (WritableByteChannel ch = w.payload("v")) {
                ByteBuffer b = bytes.duplicate();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            w.commit(new byte[64], new EntryMetadata("bench.layer", 0, 1));
        }
    }
}
