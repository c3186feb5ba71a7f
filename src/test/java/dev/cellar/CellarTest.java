package dev.cellar;

import dev.cellar.engine.Manifest;
import dev.cellar.engine.Entries;
import static dev.cellar.Cached.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.store.InMemoryDataStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CellarTest {
    record Point(double x, double y) {}

    private final List<String> warnings = new ArrayList<>();
    private final FaultyStore store = new FaultyStore(new InMemoryDataStore());
    private final Cellar cellar = Cellar.builder().store(store).warnings(warnings::add).build();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void close() {
        cellar.close();
    }

    private double[] squares(int n) {
        calls.incrementAndGet();
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (double) i * i;
        }
        return xs;
    }

    @Test
    void secondCallIsAHitAndEqualElementForElement() {
        double[] a = cellar.cached("squares", params("n", 1000), () -> squares(1000));
        double[] b = cellar.cached("squares", params("n", 1000), () -> squares(1000));
        assertEquals(1, calls.get());
        assertArrayEquals(a, b);
        assertTrue(a != b, "a hit returns a fresh array, never the caller's own");
        assertEquals(1, store.stats().hits());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void changedParameterIsAMiss() {
        cellar.cached("squares", params("n", 10), () -> squares(10));
        cellar.cached("squares", params("n", 11), () -> squares(11));
        cellar.cached("squares", params("n", 10L), () -> squares(10));
        assertEquals(3, calls.get());
    }

    @Test
    void upstreamComponentsAndValuesEnterTheKey() {
        Component raw = Component.of("raw", params("seed", 1));
        double[] xs = {1, 2, 3};
        cellar.cached("fit", params(), List.of(raw, xs), () -> squares(3));
        cellar.cached("fit", params(), List.of(raw, xs), () -> squares(3));
        assertEquals(1, calls.get());
        xs[1] = 20;
        cellar.cached("fit", params(), List.of(raw, xs), () -> squares(3));
        assertEquals(2, calls.get());
        cellar.cached("fit", params(), List.of(Component.of("raw", params("seed", 2)), xs), () -> squares(3));
        assertEquals(3, calls.get());
    }

    @Test
    void recordsAndMapsRoundTrip() {
        Map<String, Object> v = Map.of("best", new Point(1, 2), "score", 0.5);
        Object first = cellar.cached("fit", params(), () -> v);
        Object second = cellar.cached("fit", params(), () -> Map.of());
        assertEquals(v, first);
        assertEquals(v, second);
    }

    @Test
    void corruptPayloadIsAMissWithOneWarningAndIsRemoved() {
        Component c = Component.of("squares", params("n", 100));
        cellar.cached(c, () -> squares(100));
        store.fault = FaultyStore.Fault.FLIP_PAYLOAD_BYTE;
        double[] again = cellar.cached(c, () -> squares(100));
        assertEquals(2, calls.get());
        assertArrayEquals(squares(100), again);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("corrupt") && warnings.get(0).contains("checksum"), warnings.get(0));
        store.fault = FaultyStore.Fault.NONE;
        assertTrue(cellar.contains(c), "the recomputed value was stored again");
    }

    @Test
    void truncatedPayloadAndGarbageManifestAreMisses() {
        Component c = Component.of("squares", params("n", 50));
        for (FaultyStore.Fault f : List.of(FaultyStore.Fault.TRUNCATE_PAYLOAD, FaultyStore.Fault.GARBAGE_MANIFEST)) {
            store.fault = FaultyStore.Fault.NONE;
            cellar.cached(c, () -> squares(50));
            int before = calls.get();
            store.fault = f;
            warnings.clear();
            cellar.cached(c, () -> squares(50));
            assertEquals(before + 1, calls.get(), f.toString());
            assertEquals(1, warnings.size(), f + ": " + warnings);
        }
    }

    @Test
    void unwritableStoreReturnsTheValueWithOneWarning() {
        store.fault = FaultyStore.Fault.UNWRITABLE;
        double[] xs = cellar.cached("squares", params("n", 5), () -> squares(5));
        assertArrayEquals(squares(5), xs);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("No space left"), warnings.get(0));
        store.fault = FaultyStore.Fault.NONE;
        cellar.cached("squares", params("n", 5), () -> squares(5));
        cellar.cached("squares", params("n", 5), () -> squares(5));
        assertEquals(3, calls.get(), "writes resume once the store is writable again");
    }

    @Test
    void valueWithoutCodecIsAClearErrorAndNothingIsStored() {
        CodecException e = assertThrows(CodecException.class, () -> cellar.cached("t", params(), Thread::new));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertTrue(cellar.entries().list().isEmpty());
    }

    @Test
    void failingComputationStoresNothing() {
        assertThrows(IllegalStateException.class, () -> cellar.cached("boom", params(), () -> {
            throw new IllegalStateException("boom");
        }));
        ComputationException wrapped = assertThrows(ComputationException.class,
                () -> cellar.cached("io", params(), () -> {
                    throw new IOException("disk");
                }));
        assertTrue(wrapped.getCause() instanceof IOException);
        assertTrue(cellar.entries().list().isEmpty());
    }

    @Test
    void newerFormatIsAMissAndIsLeftAlone() {
        Component c = Component.of("future");
        Key key = cellar.keyOf(c);
        try (var w = store.begin(key)) {
            w.commit(("{\"format\": 99, \"key\": \"" + key.hex() + "\"}").getBytes(),
                    new dev.cellar.store.EntryMetadata("future", 0, 0));
        }
        String v = cellar.cached(c, () -> "fresh");
        assertEquals("fresh", v);
        assertTrue(warnings.get(0).contains("newer"), warnings.toString());
        assertTrue(store.contains(key), "an entry of a newer cellar is not ours to delete");
    }

    @Test
    void datastoreInterfaceStoresAndRetrievesTypedAttributes() {
        Component c = Component.of("model", params("k", 3));
        cellar.store(c, "weights", new double[] {1, 2});
        cellar.store(c, "label", "best");
        assertArrayEquals(new double[] {1, 2}, cellar.retrieve(c, "weights", double[].class).orElseThrow());
        assertEquals(Optional.of("best"), cellar.retrieve(c, "label", String.class));
        assertEquals(Optional.empty(), cellar.retrieve(c, "label", Integer.class));
        assertEquals(Optional.empty(), cellar.retrieve(c, "missing", String.class));
        assertTrue(cellar.contains(c, "label"));
        assertTrue(cellar.remove(c, "label"));
        assertFalse(cellar.contains(c, "label"));
        assertTrue(cellar.contains(c, "weights"));
    }

    @Test
    void saveAndLookupKeepSeveralValuesAndNotes() {
        Component c = Component.builder("cell:fit").code("body", "double[] a = ...;").build();
        Entries.Saved s = cellar.entries().save(cellar.derive(c), "fit", Map.of("a", new double[] {1}, "b", "text"), Map.of("type.a", "double[]"), 5);
        assertTrue(s.stored());
        Entries.Hit h = cellar.entries().lookup(cellar.derive(c), c.type(), getClass().getClassLoader())
                .orElseThrow();
        assertEquals(s.key(), h.key());
        assertArrayEquals(new double[] {1}, (double[]) h.values().get("a"));
        assertEquals("text", h.values().get("b"));
        assertEquals("double[]", h.notes().get("type.a"));
        assertEquals(5, h.computeNanos());
        Manifest m = cellar.entries().manifest(s.key()).orElseThrow();
        assertEquals("fit", m.name());
        assertTrue(m.ingredients().stream().anyMatch(i -> i.name().equals("code body")), m.ingredients().toString());
    }

    @Test
    void disabledCellarAlwaysComputes() {
        try (Cellar off = Cellar.disabled()) {
            off.cached("squares", params("n", 3), () -> squares(3));
            off.cached("squares", params("n", 3), () -> squares(3));
            assertEquals(2, calls.get());
            assertFalse(off.isEnabled());
        }
    }

    @Test
    void statusLinesSayHitOrMiss() {
        List<String> lines = new ArrayList<>();
        cellar.onStatus(lines::add);
        cellar.cached("squares", params("n", 3), () -> squares(3));
        cellar.cached("squares", params("n", 3), () -> squares(3));
        assertTrue(lines.get(0).startsWith("cellar: MISS squares ["), lines.get(0));
        assertTrue(lines.get(1).startsWith("cellar: HIT squares ["), lines.get(1));
        assertNotEquals(lines.get(0), lines.get(1));
    }

    /** Large arrays are checksummed while they are copied out; a flipped byte must still be caught there. */
    @Test
    void corruptLargePayloadIsCaughtByTheChecksumTakenDuringDecode() {
        Component c = Component.of("big", params("n", 1_000_000));
        double[] first = cellar.cached(c, () -> squares(1_000_000));
        store.fault = FaultyStore.Fault.FLIP_PAYLOAD_BYTE;
        double[] again = cellar.cached(c, () -> squares(1_000_000));
        assertEquals(2, calls.get(), "the corrupt entry was a miss");
        assertArrayEquals(first, again);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("fails its checksum"), warnings.get(0));
        store.fault = FaultyStore.Fault.NONE;
        assertArrayEquals(first, cellar.cached(c, () -> squares(1)), "the recomputed entry restores exactly");
        assertEquals(2, calls.get());
    }
}
