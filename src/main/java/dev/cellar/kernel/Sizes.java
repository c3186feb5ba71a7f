package dev.cellar.kernel;

import java.util.Locale;

/** Human-readable sizes and durations for status lines ("76.3 MB", "41 ms", "12.6 s"). */
final class Sizes {
    private Sizes() {
    }

    static String bytes(long n) {
        if (n < 1_000) {
            return n + " B";
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
    }

    static String duration(long nanos) {
        if (nanos < 1_000_000_000L) {
            return Math.max(0, Math.round(nanos / 1e6)) + " ms";
        }
        if (nanos < 600_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        return String.format(Locale.ROOT, "%.1f min", nanos / 6e10);
    }
}
