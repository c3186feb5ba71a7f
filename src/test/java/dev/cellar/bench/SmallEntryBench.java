package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Benchmark 3: small entries. One pair = {@code store(component, "v", value)} then
 * {@code retrieve(component, "v", type)} of a fresh component, so every pair writes and reads a new
 * entry. Single thread in this JVM; then {@link ProcessBench} (several processes, {@code ls} under writes).
 */
final class SmallEntryBench {
    static final String BYTES = "byte[1024] (Arrow)";
    static final String STRING = "String of 1024 chars (JSON)";
    static final int WORKERS = 3;

    private final Ctx ctx;
    private final Path dir;
    private final List<String> jvm;

    SmallEntryBench(Ctx ctx, Path dir, List<String> jvm) {
        this.ctx = ctx;
        this.dir = dir;
        this.jvm = jvm;
    }

    void run() throws Exception {
        Report r = ctx.report;
        int pairs = ctx.quick ? 200 : 5000;
        r.section("3. Small entries", "One pair = `store(component, \"v\", value)` then `retrieve(component, "
                + "\"v\", type)` for a new component (so each pair writes and reads a new entry, with its "
                + "manifest and checksums). Each run does " + pairs + " pairs; pairs/s = pairs ÷ median run time. "
                + "Target ≥ 40,000 pairs/s single thread (≤ 25 µs of CPU per pair), byte[1024] and 1 KB strings alike.");
        Path single = dir.resolve("single");
        Map<String, Sample> s;
        Map<String, List<Long>> allocated = Map.of(BYTES, new ArrayList<>(), STRING, new ArrayList<>());
        Ctx.log("small entries, one thread");
        try (Cellar cellar = Cellar.open(single)) {
            byte[] bytes = new byte[1024];
            new SplittableRandom(1).nextBytes(bytes);
            String text = "x".repeat(1024);
            Harness h = ctx.quick ? new Harness(1, 2) : new Harness(2, 7);
            s = h.compare(List.of(
                    Harness.Subject.of(BYTES, i -> allocated.get(BYTES).add(
                            allocatedBy(() -> pairs(cellar, "main", i, pairs, bytes, byte[].class)))),
                    Harness.Subject.of(STRING, i -> allocated.get(STRING).add(
                            allocatedBy(() -> pairs(cellar, "main", i, pairs, text, String.class))))));
        }
        ctx.record("small", s);
        r.text("| value | pairs/s (median) | min – max pairs/s | runs | ratio to target 40,000/s "
                + "| CPU of the calling thread per pair | pairs per CPU-second | allocated per pair |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n"
                + rateRow(BYTES, s.get(BYTES), pairs, allocated.get(BYTES))
                + rateRow(STRING, s.get(STRING), pairs, allocated.get(STRING))
                + "\nThe CPU columns count only the CPU time of the thread doing the pairs (RocksDB's "
                + "background flushes and compactions run on other threads): they show what one core can do "
                + "when the other builds on this machine leave it alone, which wall-clock rates cannot. "
                + "Allocated: bytes of heap the calling thread allocated per pair (median over all runs, warm-ups included).");

        new ProcessBench(ctx, dir, jvm).run();
    }

    static String rateRow(String name, Sample s, int pairs, List<Long> allocated) {
        double rate = pairs / (s.median() / 1e9);
        double cpu = s.medianCpu() / pairs;
        long[] a = allocated.stream().mapToLong(Long::longValue).sorted().toArray();
        String alloc = a.length == 0 ? "–" : String.format(Locale.ROOT, "%,.1f KB", a[a.length / 2] / (double) pairs / 1e3);
        return String.format(Locale.ROOT, "| %s | %,.0f | %,.0f – %,.0f | %d | %.2f× | %.1f µs | %,.0f | %s |\n", name,
                rate, pairs / (s.maxMs() / 1e3), pairs / (s.minMs() / 1e3), s.runs(), rate / 40_000, cpu / 1e3,
                1e9 / cpu, alloc);
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    /** Heap bytes the calling thread allocated while running {@code body}. */
    static long allocatedBy(Runnable body) {
        long a0 = THREADS.getCurrentThreadAllocatedBytes();
        body.run();
        return THREADS.getCurrentThreadAllocatedBytes() - a0;
    }

    static <T> void pairs(Cellar cellar, String who, int round, int n, T value, Class<T> type) {
        for (int i = 0; i < n; i++) {
            Component c = Component.of("bench.small", Parameters.of("who", who, "round", round, "i", i,
                    "type", type.getSimpleName()));
            cellar.store(c, "v", value);
            Optional<T> back = cellar.retrieve(c, "v", type);
            if (back.isEmpty()) {
                throw new IllegalStateException("small entry " + who + "/" + round + "/" + i + " not found after store");
            }
        }
    }
}
