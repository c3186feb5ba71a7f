package dev.cellar.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.CodecException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The service file wires Arrow first, then JSON, and the first match picks the right one. */
class CodecRegistryBuiltinsTest {
    record Point(int x, int y) {}

    record Holder(Thread t) {}

    static final CodecRegistry REGISTRY = CodecRegistry.standard();

    static String codecFor(Object v) {
        return REGISTRY.forValue(v).id();
    }

    @Test
    void builtinsAreArrowThenJson() {
        assertEquals(List.of("arrow", "json"), REGISTRY.all().stream().map(Codec::id).toList());
    }

    @Test
    void arraysAndTablesGoToArrow() {
        for (Object v : List.of(new double[1], new boolean[0], new char[2], new String[] {"a"}, new int[][] {{1}, {}},
                new String[][] {{"a"}}, List.of(1, 2), List.of("a"), List.of(new Point(1, 2)),
                new LinkedHashMap<>(Map.of("a", new double[2], "b", new long[2])))) {
            assertEquals("arrow", codecFor(v), v.getClass().getName());
        }
    }

    @Test
    void everythingElseGoesToJson() {
        for (Object v : List.of(1, 1L, "s", new Point(1, 2), Map.of("a", 1), List.of(), List.of(1, "mixed"),
                Optional.of(3), java.util.Set.of(1), Map.of("a", new int[1], "b", new int[2]))) {
            assertEquals("json", codecFor(v), v.toString());
        }
    }

    @Test
    void nullGoesToJson() {
        assertEquals("json", codecFor(null));
    }

    @Test
    void noCodecIsAClearError() {
        CodecException e = assertThrows(CodecException.class, () -> REGISTRY.forValue(new Thread()));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        e = assertThrows(CodecException.class, () -> REGISTRY.forValue(new Holder(new Thread())).encode(new Holder(new Thread())));
        assertTrue(e.getMessage().contains("component t of") && e.getMessage().contains("java.lang.Thread has no codec"),
                e.getMessage());
    }
}
