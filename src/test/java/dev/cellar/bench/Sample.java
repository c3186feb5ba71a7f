package dev.cellar.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The timed runs of one subject (wall-clock nanoseconds each, and the CPU time of the measuring thread
 * when known), summarized by median and range, never by a mean.
 */
record Sample(String subject, long[] nanos, long[] cpuNanos) {
    Sample(String subject, long[] nanos) {
        this(subject, nanos, null);
    }

    static Sample of(String subject, List<Long> runs, List<Long> cpu) {
        return new Sample(subject, runs.stream().mapToLong(Long::longValue).toArray(),
                cpu.stream().mapToLong(Long::longValue).toArray());
    }

    /** Median CPU time of the measuring thread per run, or NaN if not recorded. */
    double medianCpu() {
        if (cpuNanos == null || cpuNanos.length == 0) {
            return Double.NaN;
        }
        long[] s = cpuNanos.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    double medianMs() {
        return median() / 1e6;
    }

    double median() {
        long[] s = sorted();
        int n = s.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    double minMs() {
        return sorted()[0] / 1e6;
    }

    double maxMs() {
        long[] s = sorted();
        return s[s.length - 1] / 1e6;
    }

    int runs() {
        return nanos.length;
    }

    private long[] sorted() {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s;
    }
}
