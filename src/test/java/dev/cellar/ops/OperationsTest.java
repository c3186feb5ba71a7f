package dev.cellar.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.Component;
import dev.cellar.Parameters;
import dev.cellar.codec.json.JsonValues;
import dev.cellar.store.InMemoryDataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {
    private final Cellar cellar = Cellar.builder().store(new InMemoryDataStore()).warnings(w -> { }).build();
    private final Operations ops = new Operations(cellar);

    @AfterEach
    void close() {
        cellar.close();
    }

    private void simulate(double rate) {
        cellar.cached("spikes", Parameters.of("rate", rate, "n", 10), () -> new double[] {rate, 1, 2});
    }

    @Test
    void lsListsEntriesWithTheirColumns() {
        simulate(10.0);
        cellar.cached("other", Parameters.empty(), () -> "x");
        Report r = ops.ls(null);
        assertEquals(2, r.rows().size());
        assertTrue(r.text().startsWith("name"), r.text());
        assertTrue(r.text().contains("spikes") && r.text().contains("2 entries"), r.text());
        assertEquals(1, ops.ls("spikes").rows().size());
        // the created and last-used columns as the time format shows each entry's own times
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm",
                java.util.Locale.ROOT).withZone(java.time.ZoneId.systemDefault());
        for (List<String> row : r.rows()) {
            dev.cellar.store.EntryInfo e = cellar.entries().list().stream()
                    .filter(i -> i.key().shortHex().equals(row.get(1))).findFirst().orElseThrow();
            assertEquals(f.format(java.time.Instant.ofEpochMilli(e.createdMillis())), row.get(2));
            assertEquals(f.format(java.time.Instant.ofEpochMilli(e.lastUsedMillis())), row.get(3));
        }
        Object json = JsonValues.parse(r.json());
        assertEquals(2, ((List<?>) ((Map<?, ?>) json).get("entries")).size());
        assertTrue(r.html().contains("<th>name</th>"));
    }

    @Test
    void showPrintsIngredientsAndOutputs() {
        simulate(10.0);
        Report r = ops.show("spikes");
        assertTrue(r.text().contains("param rate") && r.text().contains("10.0"), r.text());
        assertTrue(r.text().contains("output value:"), r.text());
        String key = cellar.entries().list().get(0).key().hex();
        assertEquals(r.text(), ops.show(key.substring(0, 8)).text());
    }

    @Test
    void whyNamesTheChangedParameter() {
        simulate(10.0);
        sleepAMillisecond();
        simulate(12.0);
        Report r = ops.why("spikes");
        assertTrue(r.text().contains("parameter rate: 10.0 → 12.0"), r.text());
        List<?> changes = (List<?>) ((Map<?, ?>) JsonValues.parse(r.json())).get("changes");
        assertEquals(1, changes.size());
    }

    @Test
    void whyAgainstCurrentIngredients() {
        simulate(10.0);
        Component next = Component.of("spikes", Parameters.of("rate", 10.0, "n", 11));
        Report r = ops.why("spikes", cellar.derive(next).ingredients());
        assertTrue(r.text().contains("parameter n: 10 → 11"), r.text());
        assertTrue(ops.why("never", List.of()).text().contains("never been stored"));
    }

    @Test
    void whyShowsChangedScalarInputsByValue() {
        cellar.cached("fit", Parameters.empty(), List.of(Component.Input.value("alpha", 0.5)), () -> "a");
        sleepAMillisecond();
        cellar.cached("fit", Parameters.empty(), List.of(Component.Input.value("alpha", 0.75)), () -> "b");
        Report r = ops.why("fit");
        assertTrue(r.text().contains("upstream alpha: 0.5 → 0.75"), r.text());
    }

    @Test
    void rmByNameKeyAgeAndAll() {
        simulate(1.0);
        simulate(2.0);
        cellar.cached("keep", Parameters.empty(), () -> "x");
        assertEquals(2, ops.select("spikes").size());
        assertTrue(ops.rm(ops.select("spikes")).text().contains("removed 2 entries"));
        assertThrows(CellarException.class, () -> ops.select("spikes"));
        assertEquals(List.of(), ops.olderThan(Duration.ofDays(1)));
        sleepAMillisecond();
        assertEquals(List.of("keep"), ops.olderThan(Duration.ZERO).stream().map(e -> e.name()).toList());
        ops.rm(ops.all());
        assertTrue(cellar.entries().list().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Operations.parseAge("soon"));
        assertEquals(Duration.ofDays(14), Operations.parseAge("2w"));
    }

    @Test
    void statsCountHitsMissesAndTimeSaved() {
        simulate(1.0);
        simulate(1.0);
        simulate(1.0);
        Map<?, ?> s = (Map<?, ?>) JsonValues.parse(ops.stats().json());
        assertEquals(1L, s.get("entries"));
        assertEquals(2L, s.get("hits"));
        assertEquals(1L, s.get("misses"));
    }

    @Test
    void exportWritesArrowAndJsonFilesAndTheManifest(@TempDir Path dir) throws Exception {
        cellar.cached("table", Parameters.empty(), () -> new double[] {1.5, 2.5});
        cellar.cached("label", Parameters.empty(), () -> "hello");
        ops.export("table", dir.resolve("t"));
        byte[] arrow = Files.readAllBytes(dir.resolve("t/value.arrow"));
        assertEquals("ARROW1", new String(arrow, 0, 6));
        assertTrue(Files.readString(dir.resolve("t/manifest.json")).contains("\"name\" : \"table\""));
        ops.export("label", dir.resolve("l"));
        assertTrue(Files.exists(dir.resolve("l/value.json")));
        assertFalse(Files.exists(dir.resolve("l/value.arrow")));
    }

    @Test
    void safeFileNamesCannotEscapeTheExportDirectory() {
        assertEquals("_.._.._etc_passwd", Operations.safeFileName("../../etc/passwd"));
        assertEquals("xs", Operations.safeFileName("xs"));
    }

    private static void sleepAMillisecond() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
