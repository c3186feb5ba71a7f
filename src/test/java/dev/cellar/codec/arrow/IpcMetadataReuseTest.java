package dev.cellar.codec.arrow;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.codec.Encoded;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IPC files reuse the last layout's flatbuffer metadata (a sweep stores one shape over and over), yet
 * every file describes its own value: the same shape gives the same metadata bytes, and any difference
 * in fields or shape gives the metadata of the new value.
 */
class IpcMetadataReuseTest {
    @Test
    void valuesOfOneShapeShareMetadataBytesAndKeepTheirData() {
        byte[] a = Payloads.bytes(ArrowCodecTest.CODEC.encode(new byte[] {1, 2, 3}));
        byte[] b = Payloads.bytes(ArrowCodecTest.CODEC.encode(new byte[] {4, 5, 6}));
        assertEquals(a.length, b.length);
        int differing = 0;
        for (int i = 0; i < a.length; i++) {
            differing += a[i] != b[i] ? 1 : 0;
        }
        assertEquals(3, differing, "only the three data bytes differ");
        assertArrayEquals(new byte[] {4, 5, 6}, (byte[]) ArrowCodecTest.roundTrip(new byte[] {4, 5, 6}));
    }

    @Test
    void eachChangeOfFieldsOrShapeGivesTheNewValuesMetadata() {
        List<Object> values = List.of(new byte[] {1, 2, 3}, new byte[] {1, 2, 3, 4}, new int[] {1, 2, 3},
                new byte[] {1, 2, 3}, new String[] {"a", "bc"}, new String[] {"a", "b"},
                table("x", new int[] {1, 2}), table("y", new int[] {1, 2}), table("y", new long[] {1, 2}),
                new double[0], new byte[] {9});
        for (int round = 0; round < 2; round++) {
            for (Object v : values) {
                Object back = ArrowCodecTest.roundTrip(v); // also checked by Arrow's own reader
                if (v instanceof Map<?, ?> m) {
                    Map<?, ?> t = (Map<?, ?>) back;
                    assertEquals(m.keySet(), t.keySet());
                    assertEquals(m.values().iterator().next().getClass(), t.values().iterator().next().getClass());
                } else {
                    assertTrue(java.util.Objects.deepEquals(v, back), () -> "round trip of " + v.getClass());
                }
            }
        }
    }

    @Test
    void theSameShapeEncodedTwiceIsTheSameFile() {
        Encoded first = ArrowCodecTest.CODEC.encode(new long[] {7, 8});
        ArrowCodecTest.CODEC.encode(new double[] {1, 2, 3});
        Encoded again = ArrowCodecTest.CODEC.encode(new long[] {7, 8});
        assertArrayEquals(Payloads.bytes(first), Payloads.bytes(again));
    }

    private static Map<String, Object> table(String column, Object data) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put(column, data);
        return t;
    }
}
