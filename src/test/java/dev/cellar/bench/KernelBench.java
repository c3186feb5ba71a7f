package dev.cellar.bench;

import dev.cellar.codec.json.JsonValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 4: the kernel. {@link KernelWorker} runs cells through the kernel's evaluation in a child JVM
 * and reports its samples; the hit overhead (median of {@code %%cached} hits minus median of the same
 * trivial cell uncached, measured interleaved) and the 80 MB restore feed the targets table.
 */
final class KernelBench {
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
                + "`double[]` through the kernel, measured through the kernel's cell evaluation (JShell, magic, "
                + "store; no Jupyter transport) in a child JVM, subjects interleaved as above.");
        Ctx.log("kernel");
        Path store = Files.createDirectories(ctx.work.resolve("kernel-store"));
        List<String> cmd = new ArrayList<>(jvm);
        cmd.addAll(List.of(KernelWorker.class.getName(), store.toString()));
        if (ctx.quick) {
            cmd.add("quick");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(KernelWorker.class.getSimpleName() + " failed (exit " + rc + "): " + out);
        }
        Map<?, ?> doc = (Map<?, ?>) JsonValues.parse(out.strip());
        Map<String, Map<String, Sample>> cases = KernelWorker.read(doc);
        Map<String, Sample> overhead = cases.get(KernelWorker.OVERHEAD_CASE);
        Map<String, Sample> restore = cases.get(KernelWorker.restoreCase());
        hitOverheadMs = overhead.get(KernelWorker.HIT).medianMs() - overhead.get(KernelWorker.UNCACHED).medianMs();
        restore80Ms = restore.get(KernelWorker.RESTORE).medianMs();
        cases.forEach(ctx::record);
        r.timeHeader();
        r.timeRows(KernelWorker.OVERHEAD_CASE, overhead, KernelWorker.UNCACHED, 0);
        r.timeRows(KernelWorker.restoreCase(), restore, ArrayBench.ARRAYCOPY, 8L * KernelWorker.RESTORE_DOUBLES);
        r.endTable();
        r.text("Hit overhead (median hit − median uncached): " + Report.ms(hitOverheadMs) + ". Status lines of "
                + "the 80 MB cell:\n\n```\n" + doc.get("miss") + "\n" + doc.get("hit") + "\n```");
    }
}
