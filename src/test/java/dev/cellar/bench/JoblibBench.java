package dev.cellar.bench;

import dev.cellar.codec.json.JsonValues;
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
 * Benchmark 5: joblib.Memory (Debian's python3-joblib, /usr/bin/python3) caching the same float64 arrays,
 * run by scripts/bench_joblib.py in this same benchmark run. It runs first, while this JVM's heap is still
 * small, so the two never compete for memory. Skipped (and said so) when joblib or numpy is missing.
 */
final class JoblibBench {
    /** Debian's interpreter, where python3-joblib and python3-numpy install; BENCH_PYTHON overrides it. */
    static final String PYTHON = System.getenv().getOrDefault("BENCH_PYTHON", "/usr/bin/python3");
    static final String STORE = "joblib store (first call)";
    static final String LOAD = "joblib load (second call)";
    static final String LOAD_MMAP = "joblib load, mmap_mode='r' (lazy: reads nothing)";
    static final String LOAD_MMAP_COPY = "joblib load, mmap_mode='r', then np.array copy";
    static final String NP_COPY = "np.copy (allocating)";
    static final String NP_COPYTO = "np.copyto (into existing)";

    private final Ctx ctx;
    private Map<String, Object> result;
    private String skipped;

    JoblibBench(Ctx ctx) {
        this.ctx = ctx;
    }

    /** Runs the Python side; afterwards {@link #report} renders it next to cellar's figures. */
    void measure(Path scratch) throws Exception {
        String missing = check();
        if (missing != null) {
            skipped = missing;
            System.out.println("joblib: skipped (" + missing + ")");
            return;
        }
        List<Long> sizes = ctx.sizes();
        List<String> cmd = new ArrayList<>(List.of(PYTHON, Path.of("scripts", "bench_joblib.py").toString(),
                "--sizes", sizes.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--warmups", ctx.quick ? "1" : "2", "--runs", ctx.quick ? "2" : "7",
                "--dir", scratch.toString(),
                "--hash-size", String.valueOf(sizes.get(sizes.size() - 1)), "--hash-runs", ctx.quick ? "1" : "5"));
        Ctx.log("joblib.Memory");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("scripts/bench_joblib.py failed (exit " + p.exitValue() + ")");
        }
        read(out);
        Files.writeString(scratch.resolve("joblib.json"), out);
    }

    /** Null if /usr/bin/python3 can import joblib and numpy, else what is missing. */
    private static String check() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import joblib, numpy")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "python3-joblib or python3-numpy is not installed";
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Takes the JSON document scripts/bench_joblib.py prints (cellar's own JSON reader, which bounds its input). */
    @SuppressWarnings("unchecked")
    void read(String json) {
        result = (Map<String, Object>) JsonValues.parse(json.strip());
    }

    boolean measured() {
        return result != null;
    }

    /** joblib's median for a size and measure, or NaN. */
    Sample sample(long bytes, String key, String subject) {
        if (result == null) {
            return null;
        }
        for (Object o : (List<?>) result.get("sizes")) {
            Map<?, ?> m = (Map<?, ?>) o;
            if (((Number) m.get("bytes")).longValue() == bytes) {
                List<?> runs = (List<?>) m.get(key);
                return new Sample(subject, runs.stream().mapToLong(x -> ((Number) x).longValue()).toArray());
            }
        }
        return null;
    }

    Sample hash() {
        if (result == null || !(result.get("hash") instanceof Map<?, ?> h)) {
            return null;
        }
        return new Sample("joblib.hash(ndarray)",
                ((List<?>) h.get("runs")).stream().mapToLong(x -> ((Number) x).longValue()).toArray());
    }

    void report() {
        Report r = ctx.report;
        r.section("5. Side by side with joblib.Memory", "joblib.Memory (Debian's python3-joblib, run with "
                + "/usr/bin/python3) caching the same float64 arrays in the same benchmark run. Store = first call "
                + "of a cached function returning a ready array (joblib hashes the small arguments, pickles the "
                + "array to its cache directory); load = second call. With `mmap_mode='r'` joblib maps the file "
                + "and reads nothing until the array is used, so it is shown both lazy and followed by a copy "
                + "into memory. numpy copies are the reference; note that numpy's allocating copies and loads of "
                + "arrays over 32 MB get fresh pages from the kernel each time (glibc unmaps such blocks on "
                + "free), a first-touch cost that a JVM whose heap is warm does not pay.");
        if (result == null) {
            r.text("**Not measured**: joblib: skipped (" + skipped + ").");
            return;
        }
        r.text("Python " + result.get("python") + ", joblib " + result.get("joblib") + ", numpy " + result.get("numpy") + ".");
        r.timeHeader();
        for (long bytes : ctx.sizes()) {
            Map<String, Sample> s = new LinkedHashMap<>();
            put(s, sample(bytes, "store", STORE));
            put(s, sample(bytes, "load", LOAD));
            put(s, sample(bytes, "load_mmap", LOAD_MMAP));
            put(s, sample(bytes, "load_mmap_copy", LOAD_MMAP_COPY));
            put(s, sample(bytes, "copy", NP_COPY));
            put(s, sample(bytes, "copyto", NP_COPYTO));
            r.timeRows("joblib float64 " + Report.size(bytes), s, NP_COPY, bytes);
            r.point("restore", "joblib load", bytes, s.get(LOAD));
            r.point("restore", "joblib load (mmap, lazy)", bytes, s.get(LOAD_MMAP));
            r.point("restore", "np.copy", bytes, s.get(NP_COPY));
            r.point("store", "joblib store", bytes, s.get(STORE));
        }
        r.endTable();

        StringBuilder t = new StringBuilder("cellar against joblib. Ratio < 1 means cellar is faster; \"best\" "
                + "compares the fastest run of each, which discounts the page faults and background load that "
                + "inflate some medians (joblib's allocating loads most of all):\n\n"
                + "| size | cellar store | joblib store | ratio (best) | cellar restore | joblib load (no mmap) "
                + "| ratio (best) |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (long bytes : ctx.sizes()) {
            Sample cs = cellar("store double[] " + Report.size(bytes), ArrayBench.STORE);
            Sample cr = cellar("restore double[] " + Report.size(bytes), ArrayBench.RESTORE);
            Sample js = sample(bytes, "store", STORE);
            Sample jl = sample(bytes, "load", LOAD);
            t.append("| ").append(Report.size(bytes)).append(" | ").append(ms(cs)).append(" | ").append(ms(js))
                    .append(" | ").append(ratio(cs, js)).append(" (").append(bestRatio(cs, js)).append(") | ")
                    .append(ms(cr)).append(" | ").append(ms(jl)).append(" | ").append(ratio(cr, jl)).append(" (")
                    .append(bestRatio(cr, jl)).append(") |\n");
        }
        r.text(t.toString());
        Sample h = hash();
        Sample d = cellar("digest double[] " + Report.size(ctx.sizes().get(ctx.sizes().size() - 1)), KeyBench.DIGEST);
        if (h != null) {
            long hb = ((Number) ((Map<?, ?>) result.get("hash")).get("bytes")).longValue();
            r.text(String.format(Locale.ROOT, "Hashing a %s float64 argument: joblib.hash %s (%s, min – max %s – %s, "
                    + "%d runs); Cellar.digest of the same size %s: %s.", Report.size(hb), ms(h), Report.gbps(hb, h.median()),
                    Report.ms(h.minMs()), Report.ms(h.maxMs()), h.runs(), ms(d), ratio(d, h) + " of joblib's time"));
        }
    }

    private Sample cellar(String caseName, String subject) {
        Map<String, Sample> m = ctx.cases.get(caseName);
        return m == null ? null : m.get(subject);
    }

    private static void put(Map<String, Sample> m, Sample s) {
        if (s != null) {
            m.put(s.subject(), s);
        }
    }

    static String ms(Sample s) {
        return s == null ? "–" : Report.ms(s.medianMs());
    }

    static String bestRatio(Sample a, Sample b) {
        return a == null || b == null ? "–" : String.format(Locale.ROOT, "%.2f×", a.minMs() / b.minMs());
    }

    static String ratio(Sample a, Sample b) {
        return a == null || b == null ? "–" : String.format(Locale.ROOT, "%.2f×", a.median() / b.median());
    }
}
