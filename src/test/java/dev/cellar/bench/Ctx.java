package dev.cellar.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every benchmark of one run shares: mode, scratch directory, report, and results by case. */
final class Ctx {
    final boolean quick;
    final Path work;
    final Report report = new Report();
    /** Case name → subject → sample, for the targets table and the plot. */
    final Map<String, Map<String, Sample>> cases = new LinkedHashMap<>();

    Ctx(boolean quick, Path work) {
        this.quick = quick;
        this.work = work;
    }

    /** Warm-up rounds and timed rounds for an operation on {@code bytes} of payload. */
    Harness harness(long bytes) {
        if (quick) {
            return new Harness(1, 2);
        }
        if (bytes >= 400_000_000L) {
            return new Harness(2, 7);
        }
        return bytes >= 20_000_000L ? new Harness(3, 11) : new Harness(5, 15);
    }

    /** The double[] sizes of benchmark 1 (bytes). */
    List<Long> sizes() {
        return quick ? List.of(8_000L, 80_000L, 800_000L) : List.of(8_000_000L, 80_000_000L, 800_000_000L);
    }

    Map<String, Sample> record(String caseName, Map<String, Sample> samples) {
        cases.put(caseName, samples);
        return samples;
    }

    static void log(String msg) {
        System.err.println("bench: " + msg);
    }
}
