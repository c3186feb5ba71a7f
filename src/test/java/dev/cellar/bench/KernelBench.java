package dev.cellar.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Benchmark 4: the kernel's own benchmark main (written with the kernel, in
 * {@code src/test/java/dev/cellar/kernel}, a class whose name ends in {@code Bench} or {@code Benchmark};
 * today {@code KernelBenchmark}), run as a child JVM. Its text output goes into the report as it is; its
 * hit overhead and 80 MB restore figures (or lines {@code RESULT hit_overhead_ms=<number>}) feed the
 * targets table.
 */
final class KernelBench {
    /** KernelBenchmark's own wording: "... overhead 3.2 ms (target <= 50 ms)". */
    private static final Pattern LOOSE_OVERHEAD = Pattern.compile("(?i)overhead:?\\s+(-?[0-9]+(?:\\.[0-9]+)?)\\s*ms");
    /** "... hit through the kernel: median 41 ms ...". */
    private static final Pattern LOOSE_RESTORE = Pattern.compile("(?i)hit through the kernel: median\\s+([0-9]+(?:\\.[0-9]+)?)\\s*ms");
    private static final Pattern RESULT = Pattern.compile("^RESULT\\s+(\\w+)=([0-9.eE+-]+)", Pattern.MULTILINE);

    private final Ctx ctx;
    private final List<String> jvm;
    /** Measured hit overhead in ms, or NaN if not measured. */
    double hitOverheadMs = Double.NaN;
    double restore80Ms = Double.NaN;
    String notMeasured;

    KernelBench(Ctx ctx, List<String> jvm) {
        this.ctx = ctx;
        this.jvm = jvm;
    }

    void run() throws Exception {
        Report r = ctx.report;
        r.section("4. Kernel", "`%%cached` hit overhead over an uncached trivial cell, and restore of an 80 MB "
                + "`double[]` through the kernel, measured by the kernel's benchmark main in a child JVM.");
        List<String> mains = mains();
        if (mains.isEmpty()) {
            notMeasured = "no kernel benchmark main under src/test/java/dev/cellar/kernel";
            r.text("| measure | value |\n|---|---|\n| `%%cached` hit overhead | **not measured** (" + notMeasured
                    + ") |\n| restore of 80 MB double[] through the kernel | **not measured** |");
            return;
        }
        for (String main : mains) {
            Ctx.log(main);
            List<String> cmd = new ArrayList<>(jvm);
            // KernelBenchmark makes its store with Files.createTempDirectory and leaves it (~80 MB): point
            // the child's temp directory into our work directory, which is deleted at the end.
            Path tmp = Files.createDirectories(ctx.work.resolve("kernel-tmp"));
            cmd.add(cmd.size() - 2, "-Djava.io.tmpdir=" + tmp.toAbsolutePath());
            cmd.add(main);
            if (ctx.quick) {
                cmd.add("3"); // KernelBenchmark's only argument: rounds of the hit-overhead comparison
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(main + " failed (exit " + rc + ")");
            }
            Matcher loose = LOOSE_OVERHEAD.matcher(out);
            if (loose.find()) {
                hitOverheadMs = Double.parseDouble(loose.group(1));
            }
            Matcher looseRestore = LOOSE_RESTORE.matcher(out);
            if (looseRestore.find()) {
                restore80Ms = Double.parseDouble(looseRestore.group(1));
            }
            Matcher m = RESULT.matcher(out);
            while (m.find()) {
                double v = Double.parseDouble(m.group(2));
                switch (m.group(1).toLowerCase(Locale.ROOT)) {
                    case "hit_overhead_ms" -> hitOverheadMs = v;
                    case "restore_80mb_ms" -> restore80Ms = v;
                    default -> { }
                }
            }
            r.text("| measure | value |\n|---|---|\n"
                    + "| `%%cached` hit overhead over an uncached trivial cell (median) | "
                    + (Double.isNaN(hitOverheadMs) ? "**not reported**" : Report.ms(hitOverheadMs)) + " |\n"
                    + "| restore of 80 MB double[] through the kernel (median) | "
                    + (Double.isNaN(restore80Ms) ? "**not reported**" : Report.ms(restore80Ms)) + " |");
            r.text("Output of `" + main + "` (its own rounds and references; run in a child JVM):\n\n```\n"
                    + RESULT.matcher(out).replaceAll("").strip() + "\n```");
        }
    }

    private static List<String> mains() throws IOException {
        Path dir = Path.of("target", "test-classes", "dev", "cellar", "kernel");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\w*(Bench|Benchmark)\\.class"))
                    .map(n -> "dev.cellar.kernel." + n.substring(0, n.length() - ".class".length()))
                    .sorted().toList();
        }
    }
}
