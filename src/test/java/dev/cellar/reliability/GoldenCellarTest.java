package dev.cellar.reliability;

import dev.cellar.store.DataStore;
import static dev.cellar.Cached.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.rocksdb.RocksDataStore;
import dev.cellar.testing.GoldenStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format versions at the Cellar level: a store written by {@link GoldenCellar} with the current entry
 * and store formats stays readable with exact values (the store-level fixture is GoldenFormatTest);
 * entries and stores of a newer format are clean misses that are never misread nor written over.
 */
class GoldenCellarTest {
    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    private Cellar open(Path dir) {
        return Cellar.builder().store(RocksDataStore.open(dir, StoreOptions.defaults())).warnings(warnings::add).build();
    }

    private Path fixture(String name) throws Exception {
        return GoldenStores.copy(GoldenCellarTest.class, name, tmp);
    }

    /**
     * The fixture was written under key format 1 (before the kernel keyed cells by their token stream).
     * Under today's key format its entries are still read exactly, by the keys they are stored under, and
     * the same components simply miss: an upgrade recomputes each entry once, it never misreads one.
     */
    @Test
    void keyFormat1EntriesStayReadableAndSimplyMiss() throws Exception {
        Path dir = fixture("golden-cellar-1");
        try (Cellar cellar = open(dir)) {
            List<EntryInfo> stored = cellar.entries().list();
            assertEquals(GoldenCellar.entries().size() + 1, stored.size());
            for (Map.Entry<Component, Object> e : GoldenCellar.entries().entrySet()) {
                Key now = cellar.keyOf(e.getKey());
                assertTrue(stored.stream().noneMatch(i -> i.key().equals(now)), "format 2 keys name no format 1 entry");
                boolean readable = stored.stream().filter(i -> i.name().equals(e.getKey().type()))
                        .map(i -> cellar.entries().lookup(i.key(), i.name(), getClass().getClassLoader(), null))
                        .flatMap(Optional::stream)
                        .anyMatch(h -> Values.same(e.getValue(), h.values().values().iterator().next()));
                assertTrue(readable, e.getKey() + " is not readable by its stored key");
                Object v = cellar.cached(e.getKey(), () -> "recomputed");
                assertEquals("recomputed", v, e.getKey() + " must miss under the new key format");
            }
            assertArrayEquals(new long[] {7, 8, 9}, cellar.entries().lookup(stored.stream()
                    .filter(i -> i.name().startsWith("golden-model")).findFirst().orElseThrow().key(), "golden-model",
                    getClass().getClassLoader(), null).orElseThrow().values().values().stream()
                    .filter(long[].class::isInstance).map(long[].class::cast).findFirst().orElseThrow());
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void anEntryOfANewerFormatIsAMissWithOneWarningAndIsLeftAlone() throws Exception {
        Path dir = tmp.resolve("newer-entry");
        Component c = Component.of("future", params("n", 1));
        DataStore store = RocksDataStore.open(dir, StoreOptions.defaults());
        try (Cellar cellar = Cellar.builder().store(store).warnings(warnings::add).build()) {
            Key key = cellar.keyOf(c);
            try (EntryWriter w = store.begin(key)) {
                w.commit(("{\"format\":" + (dev.cellar.engine.Manifest.FORMAT + 1) + ",\"key\":\"" + key.hex() + "\",\"outputs\":[{\"shape\":\"new\"}]}").getBytes(),
                        new EntryMetadata("future", 0, 0));
            }
            assertEquals("fresh", cellar.cached(c, () -> "fresh"));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("newer"), warnings.get(0));
        }
    }

    @Test
    void aStoreOfANewerFormatReturnsValuesWithOneWarningAndIsNeverWritten() throws Exception {
        Path dir = fixture("golden-cellar-1");
        Files.writeString(dir.resolve("FORMAT"), "cellar-store-format 2\n");
        List<String> before = listing(dir);
        try (Cellar cellar = open(dir)) {
            Component c = GoldenCellar.entries().keySet().iterator().next();
            double[] v = cellar.cached(c, () -> new double[] {1});
            assertArrayEquals(new double[] {1}, v, "nothing is read from a newer store");
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("newer"), warnings.get(0));
            assertFalse(cellar.contains(c));
        }
        assertEquals(before, listing(dir), "a newer store is not written");
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p) + ":" + p.toFile().length() + ":" + p.toFile().lastModified()).sorted().toList();
        }
    }
}
