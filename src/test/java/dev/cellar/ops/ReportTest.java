package dev.cellar.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.codec.json.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void textPadsEachColumnToItsWidestCellTwoSpacesApartWithoutTrailingBlanks() {
        Report r = new Report().columns("name", "size", "hits").row("spikes", "1.2 KB", 3)
                .row("a", "12.5 MB", 10).row("long-name", "", "").line("2 entries");
        assertEquals("name       size     hits\n"
                + "spikes     1.2 KB   3\n"
                + "a          12.5 MB  10\n"
                + "long-name\n"
                + "2 entries", r.text());
    }

    @Test
    void lazyJsonIsBuiltOnlyWhenJsonIsAskedFor() {
        AtomicInteger built = new AtomicInteger();
        Report r = new Report().columns("n").row("x").putLazily("entries", () -> {
            built.incrementAndGet();
            return List.of(Map.of("name", "x"));
        }).put("count", 1);
        assertTrue(r.text().startsWith("n"));
        assertEquals(0, built.get());
        Map<?, ?> json = (Map<?, ?>) JsonValues.parse(r.json());
        assertEquals(1, built.get());
        assertEquals(List.of(Map.of("name", "x")), json.get("entries"));
        assertEquals(1, ((Number) json.get("count")).intValue());
    }
}
