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
        double v = bytes;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** {@code 41 ms}, {@code 12.6 s}, {@code 3.2 min} style rendering. */
    public static String duration(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 1000) return String.format(Locale.ROOT, "%.0f ms", ms);
        double s = ms / 1000;
        if (s < 120) return String.format(Locale.ROOT, "%.1f s", s);
        double min = s / 60;
        if (min < 120) return String.format(Locale.ROOT, "%.1f min", min);
        return String.format(Locale.ROOT, "%.1f h", min / 60);
    }
}
