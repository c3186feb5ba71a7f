package dev.cellar.bench;

import java.util.Arrays;
import java.util.List;

/** The timed runs of one subject (nanoseconds each), summarized by median and range, never by a mean. */
record Sample(String subject, long[] nanos) {
    static Sample of(String subject, List<Long> runs) {
        return new Sample(subject, runs.stream().mapToLong(Long::longValue).toArray());
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
