package dev.cellar.bench;

import dev.cellar.codec.json.JsonValues;
import dev.cellar.testing.JvmOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Benchmark 6: fresh processes, as a notebook rerun is. scripts/bench_fresh.py starts a new cellar kernel
 * (over jupyter_client, with the JVM options of kernel/kernel.json.template) for every timed run, and a
 * new /usr/bin/python3 for every joblib.Memory store or load, interleaved. Skipped (and said so) when
 * Jupyter's client, joblib or numpy is missing.
 */
final class FreshBench {
    static final String HIT = "cellar HIT, new kernel (status line: restore incl. declaring)";
    static final String HIT_CELL = "cellar HIT, new kernel (whole cell, client's clock)";
    static final String WARM = "cellar HIT, same kernel after `big = null` (warm JVM)";
    static final String CURRENT = "cellar HIT, same kernel, variable untouched (already current; whole cell)";
    static final String JOBLIB_LOAD = "joblib load, new python3 process";
    static final String MISS_STORE = "cellar MISS, new kernel (status line: store)";
    static final String JOBLIB_STORE = "joblib store, new python3 process";

    private final Ctx ctx;
    private Map<String, Object> result;
    private String skipped;
    private final Map<Long, Map<String, Sample>> bySize = new LinkedHashMap<>();
    Map<String, Sample> small;
    /** The 1-minute load average when the small-output runs began and ended ("" if not reported). */
    private String smallLoad = "";

    FreshBench(Ctx ctx) {
        this.ctx = ctx;
    }

    List<Long> sizes() {
        return ctx.quick ? List.of(800_000L) : ctx.sizes();
    }

    void run() throws Exception {
        Report r = ctx.report;
        r.section("6. Fresh processes (a notebook rerun)", "A notebook rerun is a new kernel process, so every "
                + "timed run here starts one: the cellar kernel over the real Jupyter protocol (jupyter_client), "
                + "started from the kernel spec named in the next paragraph, running `int n = N;` and then "
                + "`%%cached big --params=n` that fills `double[] big` with `Math.sqrt(i)`; and for joblib a new "
                + "`/usr/bin/python3` process per store or load (`joblib.Memory`, the same `sqrt` array). Subjects "
                + "alternate (kernel, python, kernel, …). Page cache: warm for both — each entry was written or "
                + "read by the previous run a few seconds earlier and nothing drops it (section 1b measures "
                + "cold reads). Free memory: settled for both — before each process of the large-array runs the "
                + "driver waits until the guest's free page reporting has been idle for 3 s, so memory freed by "
                + "the previous process has gone back to the host and every process pays the host's first touch "
                + "of its new memory alike (without the wait, a python3 started right after a kernel exits reuses "
                + "the kernel's still-backed pages; docs/benchmarks-analysis.md). Restore times are the kernel's own status line (lookup, checksum, decode into a "
                + "new array, declaring the variable in JShell); \"whole cell\" is the client's clock from "
                + "execute request to idle. The warm row reruns the cell in the same kernel after `big = null`, "
                + "so it really restores; the already-current row reruns it with `big` untouched.");
        String missing = check();
        if (missing != null) {
            skipped = missing;
            r.text("**Not measured**: " + missing + ".");
            Ctx.log("fresh: skipped (" + missing + ")");
            return;
        }
        Path home = Files.createDirectories(ctx.work.resolve("fresh-jupyter").toAbsolutePath());
        Path store = ctx.work.resolve("fresh-store").toAbsolutePath();
        String kernelFrom = writeKernelSpec(home, store);
        r.text("Kernel: " + kernelFrom + ".");
        List<String> cmd = new ArrayList<>(List.of(JoblibBench.PYTHON, Path.of("scripts", "bench_fresh.py").toString(),
                "--kernel", "cellar-bench",
                "--sizes", sizes().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--warmups", "0", "--runs", ctx.quick ? "1" : "3",
                "--joblib-dir", ctx.work.resolve("fresh-joblib").toAbsolutePath().toString()));
        Ctx.log("fresh processes (a new kernel per run)");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("JUPYTER_PATH", home.toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", home.resolve("runtime").toString());
        pb.environment().put("JUPYTER_CONFIG_DIR", home.resolve("config").toString());
        pb.environment().remove("CELLAR_DISABLE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("scripts/bench_fresh.py failed (exit " + p.exitValue() + ")");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) JsonValues.parse(out.strip());
        result = parsed;
        report();
    }

    private void report() {
        Report r = ctx.report;
        r.timeHeader();
        StringBuilder statuses = new StringBuilder();
        StringBuilder rss = new StringBuilder();
        for (Object o : (List<?>) result.get("sizes")) {
            Map<?, ?> m = (Map<?, ?>) o;
            long bytes = ((Number) m.get("bytes")).longValue();
            Map<String, Sample> load = new LinkedHashMap<>();
            load.put(HIT, sample(m, "hit_restore", HIT));
            load.put(HIT_CELL, sample(m, "hit_cell", HIT_CELL));
            load.put(WARM, sample(m, "warm_restore", WARM));
            load.put(CURRENT, sample(m, "current_cell", CURRENT));
            load.put(JOBLIB_LOAD, sample(m, "joblib_load", JOBLIB_LOAD));
            r.timeRows("fresh restore double[] " + Report.size(bytes), load, JOBLIB_LOAD, bytes);
            Map<String, Sample> store = new LinkedHashMap<>();
            store.put(MISS_STORE, sample(m, "miss_store", MISS_STORE));
            store.put(JOBLIB_STORE, sample(m, "joblib_store", JOBLIB_STORE));
            r.timeRows("fresh store double[] " + Report.size(bytes), store, JOBLIB_STORE, bytes);
            Map<String, Sample> all = new LinkedHashMap<>(load);
            all.putAll(store);
            bySize.put(bytes, all);
            ctx.record("fresh double[] " + Report.size(bytes), all);
            r.point("restore", "cellar restore, new kernel", bytes, load.get(HIT));
            r.point("restore", "cellar restore, kernel after big = null", bytes, load.get(WARM));
            r.point("restore", "joblib load, new process", bytes, load.get(JOBLIB_LOAD));
            r.point("store", "cellar store, new kernel", bytes, store.get(MISS_STORE));
            r.point("store", "joblib store, new process", bytes, store.get(JOBLIB_STORE));
            Map<?, ?> st = (Map<?, ?>) m.get("statuses");
            statuses.append(Report.size(bytes)).append(": ").append(st.values().stream().map(Object::toString)
                    .collect(Collectors.joining(" / "))).append('\n');
            List<?> kb = (List<?>) m.get("rss_after_hit_kb");
            if (!kb.isEmpty()) {
                rss.append(String.format(Locale.ROOT, "%s: %.0f MB; ", Report.size(bytes),
                        kb.stream().mapToDouble(x -> ((Number) x).doubleValue()).sorted().toArray()[kb.size() / 2] / 1024));
            }
        }
        Map<?, ?> s = (Map<?, ?>) result.get("small");
        small = new LinkedHashMap<>();
        small.put("plain", sample(s, "plain_cell", "the cell uncached, new kernel (whole cell)"));
        small.put("hit", sample(s, "hit_cell", "`%%cached` HIT, new kernel (whole cell)"));
        small.put("restore", sample(s, "hit_restore", "`%%cached` HIT, new kernel (status line: restore)"));
        Map<String, Sample> smallRows = new LinkedHashMap<>();
        small.values().forEach(x -> smallRows.put(x.subject(), x));
        List<?> load = (List<?>) s.get("load");
        smallLoad = load == null || load.size() < 2 ? "" : String.format(Locale.ROOT, "load average %.1f → %.1f",
                ((Number) load.get(0)).doubleValue(), ((Number) load.get(1)).doubleValue());
        r.timeRows("7 small outputs (int, long, double, String, int[8], double[3], List of 3)"
                + (smallLoad.isEmpty() ? "" : ", " + smallLoad), smallRows, small.get("plain").subject(), 0);
        r.endTable();
        r.text("Last status lines per size (miss / hit / warm / already current):\n\n```\n" + statuses.toString().strip()
                + "\n```\n\nResident memory of the kernel right after the hit (median): " + rss
                + "kernel start (new JVM to kernel_info reply, median): " + Report.ms(sample(s, "start", "start").medianMs())
                + "." + settled());
    }

    /** Targets of issue 13 (fresh large hits) and the small-output fresh hit of issue 12. */
    void targets(Map<String, Sample> warmArrays) {
        Report r = ctx.report;
        List<Long> sizes = sizes();
        long big = sizes.get(sizes.size() - 1);
        String sz = Report.size(big);
        Map<String, Sample> f = bySize.get(big);
        if (f == null) {
            String why = skipped == null ? "not measured" : "not measured (" + skipped + ")";
            r.target(new Report.Target("Fresh-kernel HIT, " + sz, "≤ 2× warm restore", "–", "–", why));
            return;
        }
        Sample hit = f.get(HIT);
        Sample warmBench = warmArrays == null ? null : warmArrays.get(ArrayBench.RESTORE);
        Sample warm = warmBench != null ? warmBench : f.get(WARM);
        String warmName = warmBench != null ? "warm restore (section 1)" : "warm restore in the kernel";
        double ratio = hit.median() / warm.median();
        r.target(new Report.Target("Fresh-kernel HIT, " + sz + " double[]", "≤ 2× warm restore",
                Report.ms(hit.medianMs()) + " vs " + warmName + " " + Report.ms(warm.medianMs())
                        + " (in the kernel after `big = null`: " + Report.ms(f.get(WARM).medianMs()) + ")",
                x(ratio), Report.Target.verdict(ratio <= 2)));
        Sample jl = f.get(JOBLIB_LOAD);
        double vsJoblib = hit.median() / jl.median();
        r.target(new Report.Target("Fresh-kernel HIT vs joblib, " + sz, "≤ 1.0× joblib load in a new process",
                Report.ms(hit.medianMs()) + " vs " + Report.ms(jl.medianMs()) + " (whole cell "
                        + Report.ms(f.get(HIT_CELL).medianMs()) + "; best runs " + Report.ms(hit.minMs()) + " vs "
                        + Report.ms(jl.minMs()) + ")", x(vsJoblib), Report.Target.verdict(vsJoblib <= 1.0)));
        Sample ms = f.get(MISS_STORE);
        Sample js = f.get(JOBLIB_STORE);
        double store = ms.median() / js.median();
        r.target(new Report.Target("Fresh-kernel MISS store vs joblib, " + sz, "≤ 1.2× joblib store in a new process",
                Report.ms(ms.medianMs()) + " vs " + Report.ms(js.medianMs()), x(store),
                Report.Target.verdict(store <= 1.2)));
        Sample cur = f.get(CURRENT);
        r.target(new Report.Target("Rerun of an unchanged cell, " + sz, "≤ 100 ms (already current)",
                Report.ms(cur.medianMs()) + " (whole cell)", x(cur.medianMs() / 100),
                Report.Target.verdict(cur.medianMs() <= 100)));
        if (small != null) {
            Sample restore = small.get("restore");
            double over = small.get("hit").medianMs() - small.get("plain").medianMs();
            String at = smallLoad.isEmpty() ? "" : " (" + smallLoad + ")";
            r.target(new Report.Target("Fresh-kernel restore of 7 small outputs", "≤ 30 ms (status line)",
                    Report.ms(restore.medianMs()) + at, x(restore.medianMs() / 30),
                    Report.Target.verdict(restore.medianMs() <= 30)));
            r.target(new Report.Target("Fresh-kernel hit cell, 7 small outputs", "≤ 50 ms over the cell uncached",
                    Report.ms(small.get("hit").medianMs()) + " vs uncached " + Report.ms(small.get("plain").medianMs())
                            + ": " + (over >= 0 ? Report.ms(over) + " more" : Report.ms(-over) + " less") + at,
                    x(Math.max(0, over) / 50), Report.Target.verdict(over <= 50)));
        }
    }

    /** How long the driver waited for free memory to settle before each process, for the report. */
    private String settled() {
        List<?> w = (List<?>) result.get("settle_s");
        if (w == null || w.isEmpty()) {
            return " Free memory: no free page reporting in this guest, nothing waited for.";
        }
        double[] s = w.stream().mapToDouble(x -> ((Number) x).doubleValue()).sorted().toArray();
        return String.format(Locale.ROOT, " Waits for free page reporting to settle before each process: median "
                + "%.1f s, at most %.1f s (30 s is the limit: reporting never idle).", s[s.length / 2], s[s.length - 1]);
    }

    private static Sample sample(Map<?, ?> m, String key, String subject) {
        List<?> runs = (List<?>) m.get(key);
        return new Sample(subject, runs.stream().mapToLong(x -> ((Number) x).longValue()).toArray());
    }

    /**
     * The kernel spec for the bench store: the one scripts/install-kernel writes for the jar named by
     * {@code -Dbench.kernelJar} (scripts/bench builds it), class-data-sharing archive included, as users
     * run it; without that property, one written from the template pointing at this build's classes
     * (directories, so no archive). Returns which, for the report.
     */
    private static String writeKernelSpec(Path home, Path store) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(home.resolve("kernels").resolve("cellar-bench"));
        String jar = System.getProperty("bench.kernelJar", "");
        if (!jar.isEmpty()) {
            Path installed = home.resolve("installed");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder("bash", "scripts/install-kernel", "--dir", installed.toString(), "--jar", jar,
                    "--java", java).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("scripts/install-kernel failed: " + out);
            }
            String spec = Files.readString(installed.resolve("cellar").resolve("kernel.json"));
            Files.writeString(dir.resolve("kernel.json"), withStore(spec, store));
            boolean archive = spec.contains("-XX:SharedArchiveFile");
            return "as `scripts/install-kernel` installs it (the jar" + (archive ? ", with its class-data-sharing archive"
                    : "; no class-data-sharing archive: " + out.strip()) + ")";
        }
        String template = Files.readString(Path.of("kernel", "kernel.json.template"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String opts = JvmOptions.list().stream().map(FreshBench::json).collect(Collectors.joining("\", \""));
        String spec = template.replace("@JAVA@", json(java)).replace("@JAR@", json(System.getProperty("java.class.path")))
                .replace("@JVM_OPTIONS@", opts);
        Files.writeString(dir.resolve("kernel.json"), withStore(spec, store));
        return "the template's spec on this build's class directories (no class-data-sharing archive)";
    }

    /** {@code spec} with its {@code env} pointing the kernel at the bench store. */
    private static String withStore(String spec, Path store) {
        String s = spec.replaceFirst("\"env\"\\s*:\\s*\\{[^}]*}", "\"env\": {\"CELLAR_DIR\": \""
                + java.util.regex.Matcher.quoteReplacement(json(store.toString())) + "\"}");
        if (!s.contains("CELLAR_DIR")) {
            throw new IllegalStateException("the kernel spec has no \"env\" object to point at the bench store");
        }
        return s;
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Null if /usr/bin/python3 has jupyter_client, joblib and numpy, else what is missing. */
    private static String check() {
        try {
            Process p = new ProcessBuilder(JoblibBench.PYTHON, "-c", "import jupyter_client, joblib, numpy")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null
                    : "python3-jupyter-client, python3-joblib or python3-numpy is not installed (apt)";
        } catch (IOException e) {
            return JoblibBench.PYTHON + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String x(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
