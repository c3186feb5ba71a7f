package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 1c: restore time against size, 8 MB → 80 MB → 800 MB → 4 GB, on one shape (a {@code double[][]}
 * of 8 MB rows, the only array shape that can hold 4 GB; over 2 GiB it is stored in parts), against an
 * allocating deep copy of the same rows (a new array per row, the floor of any restore that returns new
 * arrays). If the restore's cost is linear in size, its time per GB is the same at every size.
 */
final class SizeBench {
    static final String RESTORE = "cellar restore (hit)";
    static final String DEEP_COPY = "deep copy (a clone() per row)";
    static final String LINEAR = "linear: 800 MB's time per GB × size";
    /** Rows per value: 8 MB, 80 MB, 800 MB and 4 GB with 8 MB rows. */
    private static final List<Integer> ROWS = List.of(1, 10, 100, 500);

    private final Ctx ctx;
    private final Cellar cellar;
    /** Size → restore's median ns per byte, for the targets table. */
    private final Map<Long, Double> restorePerByte = new LinkedHashMap<>();
    /** Size → the deep copy's median ns per byte: how linear the machine's own memory is. */
    private final Map<Long, Double> copyPerByte = new LinkedHashMap<>();
    private String skipped;

    SizeBench(Ctx ctx, Cellar cellar) {
        this.ctx = ctx;
        this.cellar = cellar;
    }

    /** Doubles per row: 8 MB rows (8 KB in quick mode). */
    private int width() {
        return ctx.quick ? 1000 : 1_000_000;
    }

    void run() throws Exception {
        Report r = ctx.report;
        r.section("1c. Restore time against size (8 MB → 4 GB)", "A `double[][]` of " + Report.size(8L * width()) + " rows (" + ROWS
                + " rows), restored through `Cellar.cached` on the RocksDB store, interleaved with an allocating "
                + "deep copy of the same value (`clone()` of every row into a new outer array). Over 2 GiB a value "
                + "is stored as runs of rows, one payload each (the 4 GB value: two), and a restore joins them. "
                + "Cost linear in size means the same time per GB at every size: the last column divides each "
                + "size's time per GB by the 800 MB one's.");
        r.timeHeader();
        Map<Long, Map<String, Sample>> all = new LinkedHashMap<>();
        for (int rows : ROWS) {
            long bytes = 8L * width() * rows;
            // the original, a restored value and a copy may be live at once, plus the previous run's garbage
            if (Runtime.getRuntime().maxMemory() < 3 * bytes + (256L << 20)) {
                skipped = Report.size(bytes) + " not measured: the heap (-Xmx) holds less than three values of that size";
                Ctx.log("sizes: " + skipped);
                break;
            }
            all.put(bytes, measure(rows, bytes));
        }
        r.endTable();
        linearity(all);
    }

    private Map<String, Sample> measure(int rows, long bytes) throws Exception {
        String name = "restore double[" + rows + "][" + width() + "] " + Report.size(bytes);
        Ctx.log(name);
        double[][] value = new double[rows][];
        for (int i = 0; i < rows; i++) {
            value[i] = ArrayBench.doubles(width(), 1000L + i);
        }
        Component c = Component.of("bench.size", Parameters.of("rows", rows, "width", width()));
        cellar.remove(c);
        cellar.cached(c, () -> value);
        Object[] last = new Object[1];
        boolean[] checked = {false};
        Harness h = ctx.quick ? new Harness(1, 2) : bytes >= 2_000_000_000L ? new Harness(1, 5) : ctx.harness(bytes);
        Map<String, Sample> s = h.compare(List.of(
                Harness.Subject.of(RESTORE, i -> last[0] = cellar.cached(c, () -> {
                    throw new IllegalStateException(name + ": expected a hit, got a miss");
                })).withTeardown(i -> {
                    // checked once, then dropped: the original, one restored value and one copy must fit
                    if (!checked[0]) {
                        ArrayBench.check(name, last[0] instanceof double[][] d && Arrays.deepEquals(value, d));
                        checked[0] = true;
                    }
                    last[0] = null;
                }),
                Harness.Subject.of(DEEP_COPY, i -> Harness.consume(deepCopy(value)))
                        .withTeardown(i -> Harness.consume(null))));
        ArrayBench.check(name + " (checked)", checked[0]);
        cellar.remove(c);
        ctx.record(name, s);
        ctx.report.timeRows(name, s, DEEP_COPY, bytes);
        ctx.report.point("restore by size, double[][]", "cellar restore (hit)", bytes, s.get(RESTORE));
        ctx.report.point("restore by size, double[][]", DEEP_COPY, bytes, s.get(DEEP_COPY));
        restorePerByte.put(bytes, s.get(RESTORE).median() / bytes);
        copyPerByte.put(bytes, s.get(DEEP_COPY).median() / bytes);
        return s;
    }

    private static double[][] deepCopy(double[][] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].clone();
        }
        return out;
    }

    private void linearity(Map<Long, Map<String, Sample>> all) {
        Report r = ctx.report;
        if (skipped != null) {
            r.text("**" + skipped + ".**");
        }
        if (all.isEmpty()) {
            return;
        }
        long base = all.keySet().stream().filter(b -> b <= 8L * width() * 100).max(Long::compare).orElseThrow();
        double basePerByte = all.get(base).get(RESTORE).median() / base;
        double copyBasePerByte = all.get(base).get(DEEP_COPY).median() / base;
        double cpuBasePerByte = all.get(base).get(RESTORE).medianCpu() / base;
        StringBuilder t = new StringBuilder("| size | restore | per GB | per GB ÷ " + Report.size(base)
                + "'s | thread CPU per GB | ÷ " + Report.size(base) + "'s | deep copy per GB | ÷ " + Report.size(base)
                + "'s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<Long, Map<String, Sample>> e : all.entrySet()) {
            long b = e.getKey();
            double perByte = e.getValue().get(RESTORE).median() / b;
            double cpuPerByte = e.getValue().get(RESTORE).medianCpu() / b;
            double copyPerByte = e.getValue().get(DEEP_COPY).median() / b;
            t.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f× | %s | %.2f× | %s | %.2f× |%n", Report.size(b),
                    Report.ms(e.getValue().get(RESTORE).medianMs()), Report.ms(perByte * 1e9 / 1e6),
                    perByte / basePerByte, Report.ms(cpuPerByte * 1e9 / 1e6), cpuPerByte / cpuBasePerByte,
                    Report.ms(copyPerByte * 1e9 / 1e6), copyPerByte / copyBasePerByte));
            ctx.report.point("restore by size, double[][]", LINEAR, b,
                    new Sample(LINEAR, new long[] {Math.round(basePerByte * b)}));
        }
        r.text(t.toString());
    }

    /** The target row: the largest size's time per GB against the 800 MB one's. */
    void targets() {
        if (restorePerByte.size() < 2) {
            ctx.report.target(new Report.Target("Restore cost linear in size (double[][] 8 MB → 4 GB)",
                    "time per GB at 4 GB ≤ 1.25× at 800 MB", "–", "–",
                    "not measured" + (skipped == null ? "" : " (" + skipped + ")")));
            return;
        }
        long base = 8L * width() * 100;
        long top = restorePerByte.keySet().stream().max(Long::compare).orElseThrow();
        Double basePerByte = restorePerByte.get(base);
        if (basePerByte == null || top == base) {
            base = restorePerByte.keySet().stream().filter(b -> b < top).max(Long::compare).orElseThrow();
            basePerByte = restorePerByte.get(base);
        }
        double ratio = restorePerByte.get(top) / basePerByte;
        String perSize = restorePerByte.entrySet().stream()
                .map(e -> Report.size(e.getKey()) + " " + Report.ms(e.getValue() * 1e9 / 1e6) + "/GB")
                .reduce((a, b) -> a + ", " + b).orElse("");
        ctx.report.target(new Report.Target("Restore cost linear in size (double[][] " + Report.size(8L * width())
                + " → " + Report.size(top) + ")", "time per GB at " + Report.size(top) + " ≤ 1.25× at " + Report.size(base),
                perSize + String.format(Locale.ROOT, "; the deep copy's own time per GB at %s is %.2f× its %s one",
                        Report.size(top), copyPerByte.get(top) / copyPerByte.get(base), Report.size(base))
                        + (skipped == null ? "" : "; " + skipped), String.format(Locale.ROOT, "%.2f×", ratio),
                Report.Target.verdict(ratio <= 1.25)));
    }
}
