package dev.cellar.key.bench;

import dev.cellar.Component;
import dev.cellar.key.HashKeyDeriver;
import dev.cellar.key.ValueDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput of the digests that sit on the kernel's hot path (a benchmark, not a test). Target from
 * DESIGN.md: an uncached 800 MB {@code double[]} input digested at 5 GB/s or more.
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.cellar.key.bench.DigestThroughput [MB]
 * </pre>
 */
public final class DigestThroughput {
    private DigestThroughput() {}

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        double[] xs = new double[(int) (mb * 1_000_000L / 8)];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i * 0.5;
        }
        long bytes = 8L * xs.length;
        System.out.printf("array: double[%d] = %.0f MB%n", xs.length, bytes / 1e6);

        report("ValueDigest.of(double[])", bytes, 7, () -> ValueDigest.of(xs));
        double[][] rows = rows(xs, 100);
        report("ValueDigest.of(double[][] of 100 rows)", bytes, 5, () -> ValueDigest.of(rows));
        HashKeyDeriver deriver = new HashKeyDeriver();
        report("key of a component with the array as input", bytes, 3, () -> deriver.derive(
                Component.builder("cell").input(Component.Input.value("xs", xs)).build()).key().hex());

        Path f = Files.createTempFile("cellar-digest", ".bin");
        try {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 22);
            try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                for (long written = 0; written < bytes; written += buf.capacity()) {
                    buf.clear();
                    ch.write(buf);
                }
            }
            long size = Files.size(f);
            report("ValueDigest.file (page cache)", size, 5, () -> ValueDigest.file(f));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static double[][] rows(double[] xs, int n) {
        int len = xs.length / n;
        double[][] out = new double[n][];
        for (int r = 0; r < n; r++) {
            out[r] = java.util.Arrays.copyOfRange(xs, r * len, (r + 1) * len);
        }
        return out;
    }

    private interface Run {
        String run() throws Exception;
    }

    private static void report(String what, long bytes, int reps, Run run) throws Exception {
        List<Double> rates = new ArrayList<>();
        String digest = null;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            digest = run.run();
            long ns = System.nanoTime() - t0;
            rates.add(bytes / (double) ns);
        }
        double first = rates.get(0);
        double best = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<Double> sorted = new ArrayList<>(rates);
        sorted.sort(null);
        double median = sorted.get(sorted.size() / 2);
        System.out.printf("%-48s first %5.2f GB/s  median %5.2f GB/s  best %5.2f GB/s  (%s)%n", what, first, median,
                best, digest);
    }
}
