package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * entry. Single thread in this JVM, then 3 child JVMs sharing one store directory.
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
                + "Target ≥ 20,000 pairs/s single thread.");
        Path single = dir.resolve("single");
        Map<String, Sample> s;
        Ctx.log("small entries, one thread");
        try (Cellar cellar = Cellar.open(single)) {
            byte[] bytes = new byte[1024];
            new SplittableRandom(1).nextBytes(bytes);
            String text = "x".repeat(1024);
            Harness h = ctx.quick ? new Harness(1, 2) : new Harness(2, 7);
            s = h.compare(List.of(
                    Harness.Subject.of(BYTES, i -> pairs(cellar, "main", i, pairs, bytes, byte[].class)),
                    Harness.Subject.of(STRING, i -> pairs(cellar, "main", i, pairs, text, String.class))));
        }
        ctx.record("small", s);
        r.text("| value | pairs/s (median) | min – max pairs/s | runs | ratio to target 20,000/s "
                + "| CPU of the calling thread per pair | pairs per CPU-second |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n" + rateRow(BYTES, s.get(BYTES), pairs) + rateRow(STRING,
                        s.get(STRING), pairs)
                + "\nThe last two columns count only the CPU time of the thread doing the pairs (RocksDB's "
                + "background flushes and compactions run on other threads): they show what one core can do "
                + "when the other builds on this machine leave it alone, which wall-clock rates cannot.");

        Ctx.log("small entries, " + WORKERS + " processes");
        Sample multi = multiProcess(dir.resolve("shared"), ctx.quick ? 100 : 2000, ctx.quick ? 1 : 5);
        int perRound = WORKERS * (ctx.quick ? 100 : 2000);
        ctx.record("small-multi", Map.of("multi", multi));
        r.text(WORKERS + " child JVMs share one store directory; each does " + (perRound / WORKERS)
                + " byte[1024] pairs per round with its own keys, all started together; aggregate = "
                + perRound + " ÷ wall time of the round (from the start signal to the last child's finish; "
                + "JVM start-up and store opening excluded).\n\n"
                + "| processes | aggregate pairs/s (median) | min – max | rounds |\n|---|---:|---:|---:|\n"
                + String.format(Locale.ROOT, "| %d | %,.0f | %,.0f – %,.0f | %d |", WORKERS,
                        perRound / (multi.median() / 1e9), perRound / (multi.maxMs() / 1e3),
                        perRound / (multi.minMs() / 1e3), multi.runs()));
    }

    static String rateRow(String name, Sample s, int pairs) {
        double rate = pairs / (s.median() / 1e9);
        double cpu = s.medianCpu() / pairs;
        return String.format(Locale.ROOT, "| %s | %,.0f | %,.0f – %,.0f | %d | %.2f× | %.1f µs | %,.0f |\n", name,
                rate, pairs / (s.maxMs() / 1e3), pairs / (s.minMs() / 1e3), s.runs(), rate / 20_000, cpu / 1e3,
                1e9 / cpu);
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

    /** Wall time of each round in which all workers run {@code n} pairs. */
    private Sample multiProcess(Path shared, int n, int rounds) throws Exception {
        List<Process> ps = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        List<PrintStream> ins = new ArrayList<>();
        try {
            for (int w = 0; w < WORKERS; w++) {
                List<String> cmd = new ArrayList<>(jvm);
                cmd.addAll(List.of(SmallEntryWorker.class.getName(), shared.toString(), "w" + w, Integer.toString(n)));
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                ps.add(p);
                outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                ins.add(new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8));
            }
            for (BufferedReader o : outs) {
                expect(o, "READY");
            }
            int warmups = ctx.quick ? 0 : 1;
            long[] times = new long[rounds];
            for (int round = 0; round < warmups + rounds; round++) {
                long t0 = System.nanoTime();
                for (PrintStream in : ins) {
                    in.println("GO " + round);
                }
                for (BufferedReader o : outs) {
                    expect(o, "DONE");
                }
                long t = System.nanoTime() - t0;
                if (round >= warmups) {
                    times[round - warmups] = t;
                }
            }
            for (PrintStream in : ins) {
                in.println("QUIT");
            }
            for (Process p : ps) {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("a small-entry worker failed (exit " + p.exitValue() + ")");
                }
            }
            return new Sample("multi", times);
        } finally {
            for (Process p : ps) {
                p.destroyForcibly();
            }
        }
    }

    private static void expect(BufferedReader o, String word) throws IOException {
        String line = o.readLine();
        if (line == null || !line.startsWith(word)) {
            throw new IllegalStateException("small-entry worker said " + line + ", expected " + word);
        }
    }
}
