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
