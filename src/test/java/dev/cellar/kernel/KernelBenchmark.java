package dev.cellar.kernel;

import dev.cellar.Cellar;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark (not a test): the overhead of {@code %%cached} on a hit with a small output against the
 * same trivial cell uncached, and the restore of an 80 MB {@code double[]}, both through the kernel's
 * cell evaluation (JShell, magic, store) without the Jupyter transport.
 *
 * <pre>java --add-opens=java.base/java.nio=ALL-UNNAMED -cp target/test-classes:target/classes:DEPS \
 *     dev.cellar.kernel.KernelBenchmark</pre>
 */
public final class KernelBenchmark {
    private KernelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream report = System.out;
        Path store = Files.createTempDirectory("cellar-kernel-bench");
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        StringBuilder lines = new StringBuilder();
        try (CellarKernel kernel = new CellarKernel(() -> Cellar.open(store))) {
            int[] cell = {1};
            Runner run = code -> {
                StringBuilder out = new StringBuilder();
                long t0 = System.nanoTime();
                kernel.eval(code, cell[0]++, (stream, text) -> out.append(text));
                long t = System.nanoTime() - t0;
                return new long[] {t, out.indexOf("cellar: HIT") >= 0 ? 1 : 0};
            };
            for (int i = 0; i < 10; i++) {
                run.eval("int warm" + i + " = " + i + ";");
                run.eval("%%cached warm" + i + "\nint cw" + i + " = " + i + ";");
            }
            long[] plain = new long[rounds];
            long[] hit = new long[rounds];
            run.eval("%%cached trivial\nint t = 1;");
            for (int i = 0; i < rounds; i++) {
                plain[i] = run.eval("int t = 1;")[0];
                long[] h = run.eval("%%cached trivial\nint t = 1;");
                if (h[1] != 1) {
                    throw new AssertionError("expected a hit");
                }
                hit[i] = h[0];
            }
            double plainMs = median(plain) / 1e6;
            double hitMs = median(hit) / 1e6;
            lines.append(String.format(Locale.ROOT, "trivial cell uncached: median %.1f ms; %%%%cached hit: median %.1f ms;"
                    + " overhead %.1f ms (target <= 50 ms)%n", plainMs, hitMs, hitMs - plainMs));

            String big = "%%cached big\ndouble[] big = new double[10_000_000];\n"
                    + "for (int i = 0; i < big.length; i++) big[i] = i * 0.5;";
            StringBuilder status = new StringBuilder();
            long t0 = System.nanoTime();
            kernel.eval(big, cell[0]++, (s, text) -> status.append(text));
            lines.append(String.format(Locale.ROOT, "80 MB double[] miss: %.0f ms total; %s", (System.nanoTime() - t0) / 1e6,
                    status.toString().strip()));
            lines.append('\n');
            long[] restore = new long[5];
            for (int i = 0; i < restore.length; i++) {
                StringBuilder st = new StringBuilder();
                long s0 = System.nanoTime();
                kernel.eval(big, cell[0]++, (s, text) -> st.append(text));
                restore[i] = System.nanoTime() - s0;
                if (i == restore.length - 1) {
                    lines.append("last hit: ").append(st.toString().strip()).append('\n');
                }
            }
            double[] copy = new double[10_000_000];
            double[] src = new double[10_000_000];
            long c0 = System.nanoTime();
            System.arraycopy(src, 0, copy, 0, src.length);
            long copyNanos = System.nanoTime() - c0;
            long k0 = System.nanoTime();
            double[] cloned = src.clone();
            long cloneNanos = System.nanoTime() - k0;
            lines.append(String.format(Locale.ROOT,
                    "80 MB double[] hit through the kernel: median %.0f ms (min %.0f ms); arraycopy %.1f ms, clone %.1f ms%n",
                    median(restore) / 1e6, Arrays.stream(restore).min().getAsLong() / 1e6, copyNanos / 1e6,
                    cloneNanos / 1e6 + cloned.length * 0));
        }
        report.print(lines);
    }

    private interface Runner {
        long[] eval(String code) throws Exception;
    }

    private static double median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
