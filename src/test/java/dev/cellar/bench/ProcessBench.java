package dev.cellar.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Several processes on one store: (a) 3 child JVMs doing byte[1024] pairs on one store against 1 child
 * JVM alone on another, round by round interleaved, as an aggregate ratio; (b) the CLI's {@code ls}
 * (its picocli entry point, in this JVM: the store opened, listed and closed each time) while two child
 * JVMs keep writing pairs into the store it lists.
 */
final class ProcessBench {
    private final Ctx ctx;
    private final Path dir;
    private final List<String> jvm;

    ProcessBench(Ctx ctx, Path dir, List<String> jvm) {
        this.ctx = ctx;
        this.dir = dir;
        this.jvm = jvm;
    }

    /** One child JVM running {@link SmallEntryWorker}. */
    private final class Worker implements AutoCloseable {
        final Process p;
        final BufferedReader out;
        final PrintStream in;

        Worker(Path store, String who, int n) throws IOException {
            List<String> cmd = new ArrayList<>(jvm);
            cmd.addAll(List.of(SmallEntryWorker.class.getName(), store.toString(), who, Integer.toString(n)));
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        void expect(String word) throws IOException {
            String line = out.readLine();
            while (line != null && line.matches("\\[[0-9.]+s\\]\\[.*")) { // the JVM's own log lines
                System.err.println("small-entry worker: " + line);
                line = out.readLine();
            }
            if (line == null || !line.startsWith(word)) {
                throw new IllegalStateException("small-entry worker said " + line + ", expected " + word);
            }
        }

        @Override
        public void close() throws InterruptedException {
            in.println("QUIT");
            in.close();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("a small-entry worker failed");
            }
        }
    }

    /** Wall time of each round for a group of workers started together. */
    private static long round(List<Worker> group, int round) throws IOException {
        long t0 = System.nanoTime();
        for (Worker w : group) {
            w.in.println("GO " + round);
        }
        for (Worker w : group) {
            w.expect("DONE");
        }
        return System.nanoTime() - t0;
    }

    void run() throws Exception {
        int n = ctx.quick ? 100 : 2000;
        int rounds = ctx.quick ? 1 : 5;
        int warmups = ctx.quick ? 0 : 1;
        Ctx.log("small entries, 1 process against " + SmallEntryBench.WORKERS + " processes");
        long[] solo = new long[rounds];
        long[] trio = new long[rounds];
        List<Worker> all = new ArrayList<>();
        try {
            Worker alone = new Worker(dir.resolve("solo"), "solo", n);
            all.add(alone);
            List<Worker> group = new ArrayList<>();
            for (int w = 0; w < SmallEntryBench.WORKERS; w++) {
                group.add(new Worker(dir.resolve("shared"), "w" + w, n));
            }
            all.addAll(group);
            for (Worker w : all) {
                w.expect("READY");
            }
            for (int r = 0; r < warmups + rounds; r++) {
                long s = round(List.of(alone), r);
                long t = round(group, r);
                if (r >= warmups) {
                    solo[r - warmups] = s;
                    trio[r - warmups] = t;
                }
            }
        } finally {
            for (Worker w : all) {
                w.close();
            }
        }
        Sample one = new Sample("1 process", solo);
        Sample three = new Sample(SmallEntryBench.WORKERS + " processes", trio);
        ctx.record("small-multi", Map.of("1", one, "3", three));
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            // aggregate rate of the three over the rate of one alone, in the same round
            ratios[r] = (3.0 * n / trio[r]) / ((double) n / solo[r]);
        }
        Arrays.sort(ratios);
        double ratio = ratios[rounds / 2];
        ctx.report.text(SmallEntryBench.WORKERS + " child JVMs share one store directory and 1 child JVM has one "
                + "of its own; each does " + n + " byte[1024] pairs per round with its own keys; the rounds of the "
                + "one and of the three alternate. Aggregate = pairs of all processes in the round ÷ wall time "
                + "of the round (from the start signal to the last finish; JVM start-up and store opening "
                + "excluded). Target: the three together ≥ 1× the one alone.\n\n"
                + "| processes | aggregate pairs/s (median) | min – max | rounds | ratio to 1 process (median of rounds) |\n"
                + "|---|---:|---:|---:|---:|\n"
                + row(1, n, one, Double.NaN) + row(SmallEntryBench.WORKERS, n, three, ratio));
        ctx.report.target(new Report.Target(SmallEntryBench.WORKERS + " processes on one store (byte[1024] pairs)",
                "aggregate ≥ 1× one process alone", String.format(Locale.ROOT, "%,.0f vs %,.0f pairs/s",
                        3.0 * n / (three.median() / 1e9), n / (one.median() / 1e9)), String.format(Locale.ROOT,
                        "%.2f×", ratio), Report.Target.verdict(ratio >= 1)));
        lsUnderWrites(n);
    }

    private static String row(int procs, int n, Sample s, double ratio) {
        double pairs = (double) procs * n;
        return String.format(Locale.ROOT, "| %d | %,.0f | %,.0f – %,.0f | %d | %s |\n", procs,
                pairs / (s.median() / 1e9), pairs / (s.maxMs() / 1e3), pairs / (s.minMs() / 1e3), s.runs(),
                Double.isNaN(ratio) ? "1" : String.format(Locale.ROOT, "%.2f×", ratio));
    }

    /** Times {@code cellar ls} while two processes write, then on the same store at rest. */
    private void lsUnderWrites(int n) throws Exception {
        Path store = dir.resolve("ls");
        int runs = ctx.quick ? 2 : 11;
        Ctx.log("cellar ls while two processes write");
        long[] busy = new long[runs];
        long[] idle = new long[runs];
        long[] busyCpu = new long[runs];
        long[] idleCpu = new long[runs];
        int[] lines = new int[1];
        List<Worker> writers = new ArrayList<>();
        try {
            for (int w = 0; w < 2; w++) {
                writers.add(new Worker(store, "writer" + w, n));
            }
            for (Worker w : writers) {
                w.expect("READY");
            }
            for (Worker w : writers) {
                w.in.println("WRITE");
            }
            Thread.sleep(ctx.quick ? 200 : 2000);
            for (int i = 0; i < runs; i++) {
                busy[i] = ls(store, lines, busyCpu, i);
                Thread.sleep(100);
            }
            for (Worker w : writers) {
                w.in.println("STOP");
            }
            for (Worker w : writers) {
                w.expect("STOPPED");
            }
        } finally {
            for (Worker w : writers) {
                w.close();
            }
        }
        int busyLines = lines[0];
        for (int i = 0; i < runs; i++) {
            idle[i] = ls(store, lines, idleCpu, i);
        }
        Sample b = new Sample("ls while two processes write", busy, busyCpu);
        Sample q = new Sample("ls, nobody writing", idle, idleCpu);
        ctx.record("ls-busy", Map.of("busy", b, "idle", q));
        ctx.report.target(new Report.Target("`cellar ls` while two processes write", "≤ 200 ms",
                Report.ms(b.medianMs()) + " (nobody writing: " + Report.ms(q.medianMs()) + ")",
                String.format(Locale.ROOT, "%.2f×", b.medianMs() / 200), Report.Target.verdict(b.medianMs() <= 200)));
        ctx.report.text(String.format(Locale.ROOT, "`cellar --dir STORE ls` through the CLI's entry point in this "
                + "JVM (JVM start-up excluded; each run opens the store, lists, prints and closes it), while two child "
                + "JVMs keep storing and retrieving byte[1024] pairs in STORE, then with nobody writing. The last "
                + "listing under writes had %,d lines. Target ≤ 200 ms. The runs under writes come first, so they "
                + "also pay for compiling the listing code (as a fresh `cellar` process would, all the more); the CPU "
                + "column is the listing thread's own CPU time, which the writers' competition for the cores does not "
                + "stretch.\n\n"
                + "| `ls` | median | min – max | runs | CPU of the listing thread (median) |\n|---|---:|---:|---:|---:|\n"
                + "| while two processes write | %.1f ms | %.1f – %.1f ms | %d | %.1f ms |\n"
                + "| nobody writing | %.1f ms | %.1f – %.1f ms | %d | %.1f ms |\n", busyLines, b.medianMs(), b.minMs(),
                b.maxMs(), runs, b.medianCpu() / 1e6, q.medianMs(), q.minMs(), q.maxMs(), runs, q.medianCpu() / 1e6));
    }

    private static long ls(Path store, int[] lines, long[] cpu, int run) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int status = dev.cellar.cli.Main.run(new String[] {"--dir", store.toString(), "ls"}, new PrintWriter(out),
                new PrintWriter(err));
        long t = System.nanoTime() - t0;
        cpu[run] = threads.getCurrentThreadCpuTime() - c0;
        if (status != 0) {
            throw new IllegalStateException("cellar ls failed: " + err);
        }
        lines[0] = (int) out.toString().lines().count();
        return t;
    }
}
