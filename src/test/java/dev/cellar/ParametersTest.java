package dev.cellar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParametersTest {
    @Test
    void dottedPathsBuildNestedSets() {
        Parameters p = Parameters.of("stim.rate", 10.0, "stim.kind", "poisson", "n", 100);
        assertEquals(10.0, p.getDouble("stim.rate"));
        assertEquals("poisson", p.getParameters("stim").getString("kind"));
        assertEquals(100, p.getInt("n"));
        assertEquals(List.of("n", "stim.kind", "stim.rate"), List.copyOf(p.flatten().keySet()));
    }

    @Test
    void orderOfConstructionDoesNotMatter() {
        Parameters a = Parameters.of("a", 1, "b.c", 2.0, "b.d", new double[] {1, 2});
        Parameters b = Parameters.of("b.d", new double[] {1, 2}, "a", 1, "b.c", 2.0);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void exactNumericTypesAreKept() {
        assertNotEquals(Parameters.of("x", 1), Parameters.of("x", 1L));
        assertNotEquals(Parameters.of("x", 1), Parameters.of("x", 1.0));
        assertTrue(Parameters.of("x", 1L).get("x") instanceof Long);
    }

    @Test
    void isImmutableEvenForArraysPassedIn() {
        double[] xs = {1, 2, 3};
        Parameters p = Parameters.of("xs", xs);
        xs[0] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, (double[]) p.get("xs"));
        Parameters q = p.with("y", 2);
        assertFalse(p.find("y").isPresent());
        assertEquals(2, q.get("y"));
    }

    @Test
    void readsJsonFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{\"rate\": 12.5, \"n\": 3, \"stim\": {\"on\": true, \"name\": \"step\"}, \"w\": [1, 2]}");
        Parameters p = Parameters.fromJson(f);
        assertEquals(12.5, p.getDouble("rate"));
        assertEquals(3L, p.get("n"));
        assertTrue(p.getBoolean("stim.on"));
        assertEquals(List.of(1L, 2L), p.get("w"));
        assertEquals(p, Parameters.fromMap(Map.of("rate", 12.5, "n", 3L, "w", List.of(1L, 2L),
                "stim", Map.of("on", true, "name", "step"))));
    }

    @Test
    void badInputGetsClearErrors() {
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> Parameters.of("a"));
        assertTrue(odd.getMessage().contains("pairs"), odd.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> Parameters.of("t", new Thread()));
        assertTrue(type.getMessage().contains("java.lang.Thread") && type.getMessage().contains("'t'"),
                type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parameters.of("a", 1, "a", 2));
        assertThrows(IllegalArgumentException.class, () -> Parameters.of("a..b", 1));
        assertThrows(NullPointerException.class, () -> Parameters.of("a", null));
        assertThrows(NoSuchElementException.class, () -> Parameters.empty().get("missing"));
        assertThrows(ClassCastException.class, () -> Parameters.of("s", "x").getDouble("s"));
        CellarException notObject = assertThrows(CellarException.class, () -> Parameters.fromJson("[1,2]"));
        assertTrue(notObject.getMessage().contains("object"), notObject.getMessage());
        assertThrows(CodecException.class, () -> Parameters.fromJson("{\"a\": "));
    }
}
