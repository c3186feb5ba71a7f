package dev.cellar.bench;

import dev.cellar.codec.json.JsonValues;
import dev.cellar.kernel.KernelDriver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel benchmark's child JVM (the kernel takes over System.out and System.err, so it cannot run in
 * the benchmark's own JVM): {@code KernelWorker STORE_DIR [quick]}. Times cells through the kernel's
 * evaluation (JShell, magic, store; no Jupyter transport) with the same harness as the other benchmarks
 * and prints the samples as one JSON document: case → subject → {nanos, cpu}, plus the last status line.
 */
public final class KernelWorker {
    static final String UNCACHED = "trivial cell, uncached";
    static final String HIT = "%%cached hit, small output";
    static final String RESTORE = "%%cached hit through the kernel";
    static final String OVERHEAD_CASE = "kernel: trivial cell";
    static final int RESTORE_DOUBLES = 10_000_000;

    private KernelWorker() {}

    public static void main(String[] args) throws Exception {
        PrintStream report = System.out;
        boolean quick = args.length > 1 && args[1].equals("quick");
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> cases = new LinkedHashMap<>();
        try (KernelDriver kernel = KernelDriver.open(Path.of(args[0]))) {
            for (int i = 0; i < (quick ? 2 : 10); i++) {
                kernel.run("int warm" + i + " = " + i + ";");
                kernel.run("%%cached warm" + i + "\nint cw" + i + " = " + i + ";");
            }
            kernel.run("%%cached trivial\nint t = 1;");
            Harness overhead = quick ? new Harness(1, 3) : new Harness(5, 30);
            cases.put(OVERHEAD_CASE, samples(overhead.compare(List.of(
                    Harness.Subject.of(UNCACHED, i -> kernel.run("int t = 1;")),
                    Harness.Subject.of(HIT, i -> expectHit(kernel.run("%%cached trivial\nint t = 1;")))))));

            String big = "%%cached big\ndouble[] big = new double[" + RESTORE_DOUBLES + "];\n"
                    + "for (int i = 0; i < big.length; i++) big[i] = i * 0.5;";
            doc.put("miss", kernel.run(big).strip());
            double[] src = new double[RESTORE_DOUBLES];
            double[] copy = new double[RESTORE_DOUBLES];
            String[] last = new String[1];
            Harness restore = quick ? new Harness(0, 2) : new Harness(1, 5);
            cases.put(restoreCase(), samples(restore.compare(List.of(
                    Harness.Subject.of(RESTORE, i -> last[0] = expectHit(kernel.run(big))),
                    ArrayBench.arraycopy(src, copy),
                    ArrayBench.cloneOf(src)))));
            doc.put("hit", last[0].strip());
        }
        doc.put("cases", cases);
        report.println(JsonValues.write(doc));
        report.flush();
    }

    static String restoreCase() {
        return "kernel: restore double[] " + Report.size(8L * RESTORE_DOUBLES);
    }

    private static String expectHit(String out) {
        if (!out.contains("cellar: HIT")) {
            throw new IllegalStateException("expected a hit, the kernel printed: " + out);
        }
        return out;
    }

    static Map<String, Object> samples(Map<String, Sample> s) {
        Map<String, Object> out = new LinkedHashMap<>();
        s.forEach((k, v) -> out.put(k, Map.of("nanos", Arrays.stream(v.nanos()).boxed().toList(),
                "cpu", Arrays.stream(v.cpuNanos()).boxed().toList())));
        return out;
    }

    /** Reads what {@link #main} printed back into samples: case → subject → sample. */
    static Map<String, Map<String, Sample>> read(Map<?, ?> doc) {
        Map<String, Map<String, Sample>> cases = new LinkedHashMap<>();
        ((Map<?, ?>) doc.get("cases")).forEach((c, subjects) -> {
            Map<String, Sample> m = new LinkedHashMap<>();
            ((Map<?, ?>) subjects).forEach((name, v) -> m.put((String) name, new Sample((String) name,
                    longs(((Map<?, ?>) v).get("nanos")), longs(((Map<?, ?>) v).get("cpu")))));
            cases.put((String) c, m);
        });
        return cases;
    }

    private static long[] longs(Object list) {
        return ((List<?>) list).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
    }
}
