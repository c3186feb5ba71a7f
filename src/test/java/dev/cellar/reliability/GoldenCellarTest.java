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

    @Test
    void format1StoreWrittenByCellarReadsBackExactly() throws Exception {
        Path dir = fixture("golden-cellar-1");
        try (Cellar cellar = open(dir)) {
            assertEquals(GoldenCellar.entries().size() + 1, cellar.entries().list().size());
            for (Map.Entry<Component, Object> e : GoldenCellar.entries().entrySet()) {
                Object v = cellar.cached(e.getKey(), () -> {
                    throw new AssertionError(e.getKey() + " is not in the golden store any more (key or format changed?)");
                });
                assertTrue(Values.same(e.getValue(), v), e.getKey() + ": " + Values.describe(v));
            }
            assertArrayEquals(new long[] {7, 8, 9}, cellar.retrieve(Component.of("golden-model", params("k", 3)),
                    "weights", long[].class).orElseThrow());
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
                w.commit(("{\"format\":2,\"key\":\"" + key.hex() + "\",\"outputs\":[{\"shape\":\"new\"}]}").getBytes(),
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
