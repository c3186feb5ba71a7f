package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Repeats one benchmark operation for a while, for a profiler to watch (JFR, perf), printing the time
 * of each repetition. Not part of the report.
 *
 * <pre>
 * ProfileMain restore|store|clone|small|smallstring|digest BYTES SECONDS [DIR]
 * </pre>
 */
public final class ProfileMain {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private ProfileMain() {}

    public static void main(String[] args) throws Exception {
        String op = args[0];
        long bytes = Long.parseLong(args[1]);
        long seconds = Long.parseLong(args[2]);
        Path dir = Path.of(args.length > 3 ? args[3] : "target/bench-profile");
        Raw.deleteTree(dir);
        Files.createDirectories(dir);
        double[] data = ArrayBench.doubles((int) (bytes / 8), 1);
        byte[] small = new byte[1024];
        new SplittableRandom(3).nextBytes(small);
        try (Cellar cellar = Cellar.open(dir.resolve("store"))) {
            Component hit = Component.of("profile.restore", Parameters.of("bytes", bytes));
            if (op.equals("restore")) {
                cellar.cached(hit, () -> data);
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int i = 0;
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                long a0 = THREADS.getCurrentThreadAllocatedBytes();
                int ops = 1;
                switch (op) {
                    case "restore" -> Harness.consume(cellar.cached(hit, () -> {
                        throw new IllegalStateException("miss");
                    }));
                    case "store" -> {
                        Component c = Component.of("profile.store", Parameters.of("i", i));
                        Harness.consume(cellar.cached(c, () -> data));
                        long t = System.nanoTime() - t0;
                        cellar.remove(c);
                        System.out.printf("%s %d: %.1f ms%n", op, i++, t / 1e6);
                        continue;
                    }
                    case "clone" -> Harness.consume(data.clone());
                    case "digest" -> Harness.consume(Cellar.digest(data));
                    case "small" -> {
                        ops = 1000;
                        SmallEntryBench.pairs(cellar, "profile", i, ops, small, byte[].class);
                    }
                    case "smallstring" -> {
                        ops = 1000;
                        SmallEntryBench.pairs(cellar, "profile", i, ops, "x".repeat(1024), String.class);
                    }
                    default -> throw new IllegalArgumentException(op);
                }
                long t = System.nanoTime() - t0;
                long c = THREADS.getCurrentThreadCpuTime() - c0;
                long a = THREADS.getCurrentThreadAllocatedBytes() - a0;
                System.out.printf("%s %d: %.3f ms per op (this thread's CPU: %.3f ms, allocated: %,d bytes per op)%n",
                        op, i++, t / 1e6 / ops, c / 1e6 / ops, a / ops);
            }
        }
        Raw.deleteTree(dir);
    }
}
