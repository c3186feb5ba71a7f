package dev.cellar.engine;

import dev.cellar.CellarException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizesAndConfigTest {
    @Test
    void parsesSizesPeopleWrite() {
        assertEquals(10L << 30, Sizes.parse("10G"));
        assertEquals(10L << 30, Sizes.parse("10GiB"));
        assertEquals(500L << 20, Sizes.parse("500MB"));
        assertEquals(1536L << 20, Sizes.parse("1.5g"));
        assertEquals(4096, Sizes.parse("4096"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse("lots"));
        assertTrue(e.getMessage().contains("lots"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-1G"));
    }

    @Test
    void formatsSizesAndDurations() {
        assertEquals("76.3 MB", Sizes.format(76_300_000));
        assertEquals("999 B", Sizes.format(999));
        assertEquals("41 ms", Sizes.duration(41_000_000));
        assertEquals("12.6 s", Sizes.duration(12_600_000_000L));
    }

    /**
     * The integer formatting gives what {@code String.format("%.1f")} of the quotient gave, ties and
     * unit boundaries included (what scripts reading the text, and people, saw before).
     */
    @Test
    void formatsAsFormatterDid() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(12);
        java.util.List<Long> values = new java.util.ArrayList<>();
        for (long p = 1; p <= 1_000_000_000_000_000L; p *= 10) {
            for (long d : new long[] {-1, 0, 1, 49, 50, 51, 949, 950, 951, 999_499, 999_500, 999_950}) {
                values.add(Math.max(0, p + d));
                values.add(Math.max(0, 1000 * p - d));
                values.add(Math.max(0, 105 * p + d));
            }
        }
        for (int i = 0; i < 200_000; i++) {
            values.add(rnd.nextLong(1L << (1 + rnd.nextInt(52))));
        }
        for (long v : values) {
            assertEquals(formatterSize(v), Sizes.format(v), "format " + v);
            assertEquals(formatterDuration(v), Sizes.duration(v), "duration " + v);
        }
    }

    private static String formatterSize(long bytes) {
        if (bytes < 1000) return bytes + " B";
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[i]);
    }

    private static String formatterDuration(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 1000) return String.format(java.util.Locale.ROOT, "%.0f ms", ms);
        double s = ms / 1000;
        if (s < 120) return String.format(java.util.Locale.ROOT, "%.1f s", s);
        double min = s / 60;
        if (min < 120) return String.format(java.util.Locale.ROOT, "%.1f min", min);
        return String.format(java.util.Locale.ROOT, "%.1f h", min / 60);
    }

    @Test
    void directoryPrecedenceIsCellarDirThenXdgThenHome() {
        assertEquals(Path.of("/a/b"), Config.from(Map.of("CELLAR_DIR", "/a/b", "XDG_CACHE_HOME", "/x"), "/h").directory());
        assertEquals(Path.of("/x/cellar"), Config.from(Map.of("XDG_CACHE_HOME", "/x"), "/h").directory());
        assertEquals(Path.of("/h/.cache/cellar"), Config.from(Map.of(), "/h").directory());
    }

    @Test
    void sizeCapAndDisableSwitch() {
        Config c = Config.from(Map.of("CELLAR_MAX_SIZE", "2G", "CELLAR_DISABLE", "true"), "/h");
        assertEquals(2L << 30, c.maxBytes());
        assertTrue(c.disabled());
        Config d = Config.from(Map.of(), "/h");
        assertEquals(Config.DEFAULT_MAX_BYTES, d.maxBytes());
        assertFalse(d.disabled());
        CellarException e = assertThrows(CellarException.class,
                () -> Config.from(Map.of("CELLAR_MAX_SIZE", "huge"), "/h"));
        assertTrue(e.getMessage().startsWith("CELLAR_MAX_SIZE"), e.getMessage());
    }
}
