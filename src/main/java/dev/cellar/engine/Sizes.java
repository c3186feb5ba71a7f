package dev.cellar.engine;

import java.util.Locale;

/** Byte sizes as people write them ({@code 10G}, {@code 500MB}, {@code 1.5GiB}) and as we print them. */
public final class Sizes {
    private Sizes() {}

    /** @throws IllegalArgumentException naming the text if it is not a size */
    public static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 1;
            }
        }
        String num = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            double v = Double.parseDouble(num.trim());
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 500M, 10G, 1.5GiB)");
        }
    }

    /** {@code 76.3 MB}-style rendering, decimal units as in the status line. */
    public static String format(long bytes) {
        if (bytes < 1000) return bytes + " B";
        String[] units = {"KB", "MB", "GB", "TB"};
        long unit = 1000;
        int i = 0;
        // the unit as before (dividing by 1000 while at least 1000, up to TB), then tenths in integers
        while (i < units.length - 1 && bytes / unit >= 1000) {
            unit *= 1000;
            i++;
        }
        return tenths(bytes, unit) + " " + units[i];
    }

    /** {@code 41 ms}, {@code 12.6 s}, {@code 3.2 min} style rendering. */
    public static String duration(long nanos) {
        if (nanos >= 0 && nanos < 999_500_000L) {
            return (nanos + 500_000) / 1_000_000 + " ms";
        }
        double ms = nanos / 1e6;
        if (ms < 1000) return String.format(Locale.ROOT, "%.0f ms", ms);
        if (nanos < 119_950_000_000L) {
            return tenths(nanos, 1_000_000_000L) + " s";
        }
        double s = ms / 1000;
        if (s < 120) return String.format(Locale.ROOT, "%.1f s", s);
        double min = s / 60;
        if (min < 120) return String.format(Locale.ROOT, "%.1f min", min);
        return String.format(Locale.ROOT, "%.1f h", min / 60);
    }

    /**
     * {@code value / unit} with one decimal, rounded half up, as {@code String.format("%.1f")} gives it,
     * in integer arithmetic: {@code cellar ls} formats a size and a duration per entry, mostly in an
     * uncompiled JVM, where Formatter costs ~0.1 ms a call. {@code value} ≥ 0 and {@code unit} ≥ 10.
     */
    private static String tenths(long value, long unit) {
        long t = value / (unit / 10);
        long rest = value % (unit / 10);
        if (2 * rest >= unit / 10) {
            t++;
        }
        return t / 10 + "." + t % 10;
    }
}
