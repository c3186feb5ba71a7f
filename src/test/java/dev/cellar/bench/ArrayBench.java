package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Benchmark 1: restore (hit) and store (miss) through {@link Cellar#cached} on the RocksDB store
 * ({@link Cellar#open}), against the same work without cellar: {@code System.arraycopy} into an existing
 * array and {@code clone()} for restore, a FileChannel write to the page cache for store. Every restored
 * value is compared with the original once, so a fast wrong answer cannot pass for a result.
 */
final class ArrayBench {
    static final String RESTORE = "cellar restore (hit)";
    static final String STORE = "cellar store (miss)";
    static final String ARRAYCOPY = "System.arraycopy (into existing)";
    static final String CLONE = "clone() (allocating)";
    static final String DEEP_COPY = "deep copy (allocating)";
    static final String FILE_WRITE = "FileChannel write (page cache, no fsync)";

    private final Ctx ctx;
    private final Cellar cellar;
    private final Path scratch;

    ArrayBench(Ctx ctx, Cellar cellar, Path scratch) {
        this.ctx = ctx;
        this.cellar = cellar;
        this.scratch = scratch;
    }

    void run() throws Exception {
        Report r = ctx.report;
        r.section("1. Restore and store of large values",
                "Through `Cellar.cached(component, computation)` on `Cellar.open(dir)` (RocksDB store). Restore = "
                        + "a hit (key derivation, lookup, checksum, decode into a new value). Store = a miss whose "
                        + "computation returns a ready value (key derivation, lookup, encode, write, commit); the "
                        + "entry is removed after each run, untimed. Subjects run interleaved, so the ratios "
                        + "compare runs made under the same background load.");
        warmUp();
        r.timeHeader();
        for (long bytes : ctx.sizes()) {
            double[] data = doubles((int) (bytes / 8), 1);
            restoreDoubles(data, bytes);
            storeCase("store double[] " + Report.size(bytes), data, bytes);
            data = null;
        }
        r.endTable();

        r.text("Other shapes: restore is compared with an allocating deep copy (numbers cloned, strings decoded "
                + "from UTF-8, which any restore of a `String` from bytes must do); store with a file write of "
                + "the same bytes (strings as UTF-8 plus 4-byte offsets).");
        r.timeHeader();
        int rows = ctx.quick ? 10 : 1000;
        double[][] matrix = new double[rows][];
        for (int i = 0; i < rows; i++) {
            matrix[i] = doubles(10_000, 100 + i);
        }
        long matrixBytes = 8L * rows * 10_000;
        otherShape("double[" + rows + "][10000]", matrix, matrixBytes);
        matrix = null;

        int n = ctx.quick ? 10_000 : 1_000_000;
        String[] strings = strings(n, 7);
        otherShape("String[" + n + "]", strings, utf8Bytes(strings));
        strings = null;

        Map<String, Object> table = table(n);
        long tableBytes = 8L * n + 4L * n + 8L * n + 8L * n + utf8Bytes((String[]) table.get("label"));
        otherShape("table " + n + " rows × 5 columns", table, tableBytes);
        r.endTable();
        table = null;

        new ColdRestore(ctx, cellar, scratch).run();
    }

    /**
     * Untimed: runs the store and restore paths (and the references) until the JIT has compiled them and
     * the heap has grown to hold large arrays, so the first measured case is not the one paying for both.
     */
    private void warmUp() throws Exception {
        Ctx.log("warm-up");
        int rounds = ctx.quick ? 3 : 200;
        double[] small = doubles(ctx.quick ? 1000 : 125_000, 9);
        double[] large = doubles(ctx.quick ? 10_000 : 10_000_000, 9);
        double[] dst = new double[large.length];
        for (int i = 0; i < rounds; i++) {
            double[] v = i % 20 == 0 ? large : small;
            Component c = Component.of("bench.warmup", Parameters.of("i", i));
            cellar.cached(c, () -> v);
            Harness.consume(cellar.cached(c, () -> v));
            Harness.consume(v.clone());
            System.arraycopy(v, 0, dst, 0, v.length);
            Raw.write(scratch.resolve("warmup.bin"), v);
            cellar.remove(c);
        }
        Files.deleteIfExists(scratch.resolve("warmup.bin"));
    }

    private void restoreDoubles(double[] data, long bytes) throws Exception {
        String name = "restore double[] " + Report.size(bytes);
        Component c = Component.of("bench.restore", Parameters.of("bytes", bytes));
        cellar.remove(c);
        cellar.cached(c, () -> data);
        double[] dst = new double[data.length];
        Arrays.fill(dst, 1.0);
        double[][] last = new double[1][];
        Callable<double[]> miss = () -> {
            throw new IllegalStateException(name + ": expected a hit, got a miss");
        };
        Ctx.log(name);
        Map<String, Sample> s = ctx.harness(bytes).compare(List.of(
                Harness.Subject.of(RESTORE, i -> last[0] = cellar.cached(c, miss)),
                arraycopy(data, dst),
                cloneOf(data)));
        check(name, Arrays.equals(data, last[0]));
        last[0] = null;
        ctx.record(name, s);
        ctx.report.timeRows(name, s, ARRAYCOPY, bytes);
        ctx.report.point("restore", "cellar restore (hit)", bytes, s.get(RESTORE));
        ctx.report.point("restore", "System.arraycopy", bytes, s.get(ARRAYCOPY));
        ctx.report.point("restore", "clone()", bytes, s.get(CLONE));
        cellar.remove(c);
    }

    private void storeCase(String name, Object value, long bytes) throws Exception {
        Ctx.log(name);
        Component[] cs = new Component[1];
        Map<String, Sample> s = ctx.harness(bytes).compare(List.of(
                Harness.Subject.of(STORE, i -> Harness.consume(cellar.cached(cs[0], () -> value)))
                        .withSetup(i -> cs[0] = Component.of("bench.store", Parameters.of("case", name, "run", i)))
                        .withTeardown(i -> check(name + " stored", cellar.remove(cs[0]))),
                fileWrite(scratch, value)));
        ctx.record(name, s);
        ctx.report.timeRows(name, s, FILE_WRITE, bytes);
        if (value instanceof double[]) {
            ctx.report.point("store", "cellar store (miss)", bytes, s.get(STORE));
            ctx.report.point("store", "FileChannel write", bytes, s.get(FILE_WRITE));
        }
    }

    private void otherShape(String label, Object value, long bytes) throws Exception {
        String name = "restore " + label;
        Component c = Component.of("bench.restore.shape", Parameters.of("case", label));
        cellar.remove(c);
        cellar.cached(c, () -> value);
        Raw.Image image = Raw.image(value);
        Object[] last = new Object[1];
        Ctx.log(name);
        Map<String, Sample> s = ctx.harness(bytes).compare(List.of(
                Harness.Subject.of(RESTORE, i -> last[0] = cellar.cached(c, () -> {
                    throw new IllegalStateException(name + ": expected a hit, got a miss");
                })),
                Harness.Subject.of(DEEP_COPY, i -> Harness.consume(image.copy()))));
        check(name, deepEquals(value, last[0]));
        last[0] = null;
        ctx.record(name, s);
        ctx.report.timeRows(name, s, DEEP_COPY, bytes);
        cellar.remove(c);
        storeCase("store " + label, value, bytes);
    }

    /** The speed-of-memory reference: {@code src} copied into the existing, already touched {@code dst}. */
    static Harness.Subject arraycopy(double[] src, double[] dst) {
        return Harness.Subject.of(ARRAYCOPY, i -> {
            System.arraycopy(src, 0, dst, 0, src.length);
            Harness.consume(dst);
        });
    }

    /** The floor of any restore that returns a new array. */
    static Harness.Subject cloneOf(double[] src) {
        return Harness.Subject.of(CLONE, i -> Harness.consume(src.clone()));
    }

    /** The store reference: {@code value}'s bytes written to a new file in {@code dir}, deleted untimed. */
    static Harness.Subject fileWrite(Path dir, Object value) {
        return Harness.Subject.of(FILE_WRITE, i -> Raw.write(dir.resolve("ref-" + i + ".bin"), value))
                .withTeardown(i -> Files.delete(dir.resolve("ref-" + i + ".bin")));
    }

    static boolean deepEquals(Object a, Object b) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Object k : ma.keySet()) {
                if (!deepEquals(ma.get(k), mb.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.deepEquals(a, b);
    }

    static void check(String what, boolean ok) {
        if (!ok) {
            throw new IllegalStateException(what + ": the value read back differs from the one stored");
        }
    }

    static double[] doubles(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextDouble();
        }
        return a;
    }

    static String[] strings(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = "item-" + i + "-" + Long.toHexString(rnd.nextLong() >>> rnd.nextInt(1, 40));
        }
        return s;
    }

    static long utf8Bytes(String[] s) {
        long n = 4L * s.length;
        for (String x : s) {
            n += x.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return n;
    }

    static Map<String, Object> table(int n) {
        SplittableRandom rnd = new SplittableRandom(11);
        long[] id = new long[n];
        int[] group = new int[n];
        double[] x = new double[n];
        double[] y = new double[n];
        String[] label = new String[n];
        String[] labels = {"control", "treated", "placebo", "excluded", "pending"};
        for (int i = 0; i < n; i++) {
            id[i] = 1_000_000_000L + i;
            group[i] = rnd.nextInt(100);
            x[i] = rnd.nextGaussian();
            y[i] = rnd.nextDouble() * 1e3;
            label[i] = labels[rnd.nextInt(labels.length)] + "-" + rnd.nextInt(1000);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", id);
        t.put("group", group);
        t.put("x", x);
        t.put("y", y);
        t.put("label", label);
        return t;
    }

    static void quietDelete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // scratch files; the scratch directory is removed at the end anyway
        }
    }
}
