package dev.cellar.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything one run measured, and its rendering as {@code docs/benchmarks.md}. */
final class Report {
    /** A performance target (docs/architecture.md, Performance targets) and what this run measured; {@code verdict} PASS, MISS or why not. */
    record Target(String name, String target, String measured, String ratio, String verdict) {
        static String verdict(boolean pass) {
            return pass ? "**PASS**" : "**MISS**";
        }
    }

    /** A point of the plot: payload size and median time. */
    record Point(long bytes, double ms) {}

    private final List<String> machine = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    private final List<String> notes = new ArrayList<>();
    /** Plot series: "restore" / "store" panel → series name → points. */
    final Map<String, Map<String, List<Point>>> plot = new LinkedHashMap<>();

    void machine(String line) {
        machine.add(line);
    }

    void target(Target t) {
        targets.add(t);
    }

    /** Quick mode's tiny sizes say nothing about the targets: its verdict column says so instead. */
    void unjudged() {
        targets.replaceAll(t -> new Target(t.name(), t.target(), t.measured(), t.ratio(),
                t.verdict().startsWith("not measured") ? t.verdict() : "not judged (quick mode)"));
    }

    void note(String n) {
        notes.add(n);
    }

    void section(String title, String intro) {
        body.append("\n## ").append(title).append("\n\n");
        if (intro != null && !intro.isBlank()) {
            body.append(intro.strip()).append("\n\n");
        }
    }

    void text(String t) {
        body.append(t.strip()).append("\n\n");
    }

    /** A table header for {@link #timeRow}. */
    void timeHeader() {
        body.append("| case | subject | median | min – max | runs | ratio to reference | throughput "
                + "| thread CPU (median) | CPU ratio |\n");
        body.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    }

    /**
     * Rows for one case: every sample with its ratio to {@code reference} (a key of {@code samples}, or null)
     * and, if {@code bytes} > 0, its throughput.
     */
    void timeRows(String caseName, Map<String, Sample> samples, String reference, long bytes) {
        Sample ref = reference == null ? null : samples.get(reference);
        boolean first = true;
        for (Sample s : samples.values()) {
            String ratio = ref == null ? "" : s == ref ? "reference" : String.format(Locale.ROOT, "%.2f×", s.median() / ref.median());
            String tp = bytes > 0 ? gbps(bytes, s.median()) : "";
            String cpuRatio = ref == null || Double.isNaN(s.medianCpu()) ? ""
                    : s == ref ? "reference" : String.format(Locale.ROOT, "%.2f×", s.medianCpu() / ref.medianCpu());
            body.append("| ").append(first ? caseName : "").append(" | ").append(s.subject()).append(" | ")
                    .append(ms(s.medianMs())).append(" | ").append(ms(s.minMs())).append(" – ").append(ms(s.maxMs()))
                    .append(" | ").append(s.runs()).append(" | ").append(ratio).append(" | ").append(tp).append(" | ")
                    .append(ms(s.medianCpu() / 1e6)).append(" | ").append(cpuRatio).append(" |\n");
            first = false;
        }
    }

    void endTable() {
        body.append("\n");
    }

    void point(String panel, String series, long bytes, Sample s) {
        if (s == null) {
            return;
        }
        plot.computeIfAbsent(panel, p -> new LinkedHashMap<>())
                .computeIfAbsent(series, x -> new ArrayList<>()).add(new Point(bytes, s.medianMs()));
    }

    static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "–";
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms >= 1) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        if (ms >= 0.01) {
            return String.format(Locale.ROOT, "%.3f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f µs", ms * 1000);
    }

    static String gbps(long bytes, double nanos) {
        return String.format(Locale.ROOT, "%.2f GB/s", bytes / nanos);
    }

    static String size(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000) {
            return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
        }
        if (bytes >= 1_000) {
            return String.format(Locale.ROOT, "%.0f KB", bytes / 1e3);
        }
        return bytes + " B";
    }

    String markdown(String title, String preamble, String plotFile) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n").append(preamble.strip()).append("\n\n");
        md.append("## Targets\n\n");
        md.append("| target | goal | measured | ratio | verdict |\n|---|---|---|---:|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.name()).append(" | ").append(t.target()).append(" | ").append(t.measured())
                    .append(" | ").append(t.ratio()).append(" | ")
                    .append(t.verdict()).append(" |\n");
        }
        md.append("\n## Machine\n\n");
        for (String m : machine) {
            md.append("- ").append(m).append("\n");
        }
        if (plotFile != null) {
            md.append("\n## Time against size\n\n![restore and store time against size](").append(plotFile)
                    .append(")\n");
        }
        md.append(body);
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            for (String n : notes) {
                md.append("- ").append(n.strip()).append("\n");
            }
        }
        return md.toString();
    }
}
