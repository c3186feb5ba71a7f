package dev.cellar.codec.json;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.CodecException;
import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
    enum Color { RED, GREEN }

    record Point(int x, Double y, String label) {}

    record Nested(List<Point> points, Map<String, Optional<Color>> tags, long[] raw) {}

    static final JsonCodec CODEC = new JsonCodec();
    static final DecodeContext CTX = new DecodeContext(JsonCodecTest.class.getClassLoader(), 1L << 30);

    static byte[] bytes(Encoded e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            e.writeTo(Channels.newChannel(out));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        assertEquals(e.size(), out.size());
        return out.toByteArray();
    }

    static Object roundTrip(Object v) {
        Encoded e = CODEC.encode(v);
        return CODEC.decode(e.descriptor(), ByteBuffer.wrap(bytes(e)), CTX);
    }

    static String json(Object v) {
        return new String(bytes(CODEC.encode(v)), StandardCharsets.UTF_8);
    }

    @Test
    void scalarsKeepTheirExactType() {
        for (Object v : List.of(1, 1L, 1.0, 1.0f, (short) 1, (byte) 1, 'x', true, "s",
                new BigInteger("123456789012345678901234567890"), new BigDecimal("1.50"))) {
            Object back = roundTrip(v);
            assertEquals(v, back);
            assertSame(v.getClass(), back.getClass());
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) roundTrip(-0.0)));
        double oddNaN = Double.longBitsToDouble(0x7ff8000000000123L);
        assertEquals(0x7ff8000000000123L, Double.doubleToRawLongBits((Double) roundTrip(oddNaN)));
        assertEquals("\ud800x", roundTrip("\ud800x"), "a lone surrogate survives");
        assertEquals(new BigDecimal("1.50").scale(), ((BigDecimal) roundTrip(new BigDecimal("1.50"))).scale());
    }

    @Test
    void nestedCollectionsRecordsEnumsOptionals() {
        Map<Object, Object> m = new HashMap<>();
        m.put(1, List.of(1L, "a", Optional.of(Color.GREEN), Optional.empty()));
        m.put("k", Set.of(2.5, 3.5f));
        m.put(Color.RED, new TreeMap<>(Map.of("b", 2, "a", 1)));
        assertEquals(m, roundTrip(m));
        assertEquals(Arrays.asList(1, null, "x"), roundTrip(Arrays.asList(1, null, "x")));
        Nested n = new Nested(List.of(new Point(1, null, "p")), Map.of("t", Optional.of(Color.RED)), new long[] {1, 2});
        Nested back = (Nested) roundTrip(n);
        assertEquals(n.points(), back.points());
        assertEquals(n.tags(), back.tags());
        assertArrayEquals(n.raw(), back.raw());
        assertEquals(new TreeSet<>(Set.of(3, 1, 2)), roundTrip(new TreeSet<>(Set.of(3, 1, 2))));
        assertInstanceOf(TreeSet.class, roundTrip(new TreeSet<>(Set.of(3, 1, 2))));
    }

    @Test
    void nullRoundTrips() {
        Encoded e = CODEC.encode(null);
        assertEquals("null", e.descriptor());
        assertNull(CODEC.decode("null", ByteBuffer.wrap(bytes(e)), CTX));
        assertThrows(CodecException.class, () -> CODEC.decode("i32", ByteBuffer.wrap(bytes(e)), CTX));
    }

    @Test
    void keysAreSortedAndBytesStable() {
        Map<String, Integer> a = new HashMap<>();
        Map<String, Integer> b = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (String k : List.of("q", "b", "z", "a")) {
            a.put(k, k.length());
            b.put(k, k.length());
        }
        assertEquals(json(a), json(new HashMap<>(b)));
        String s = json(a);
        assertTrue(s.indexOf("\"a\"") < s.indexOf("\"b\"") && s.indexOf("\"b\"") < s.indexOf("\"q\""), s);
        LinkedHashMap<String, Integer> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", 2);
        assertEquals(List.of("z", "a"), new ArrayList<>(((Map<?, ?>) roundTrip(ordered)).keySet()), "insertion order kept");
    }

    @Test
    void jsonIsTaggedNotPolymorphic() {
        assertEquals("{\"t\":\"i32\",\"v\":1}", json(1));
        assertFalse(json(new Point(1, 2.0, "x")).contains("@class"));
    }

    @Test
    void unsupportedTypesNameTheTypeAndThePlace() {
        CodecException e = assertThrows(CodecException.class, () -> CODEC.encode(List.of(1, 2, new Thread())));
        assertTrue(e.getMessage().startsWith("element 2 of List: java.lang.Thread has no codec"), e.getMessage());
        e = assertThrows(CodecException.class, () -> CODEC.encode(Map.of("a", List.of(new Object()))));
        assertTrue(e.getMessage().contains("element 0 of List, in value for key \"a\" of Map: java.lang.Object"), e.getMessage());
    }

    record Queue(java.util.LinkedList<Integer> items) {}

    @Test
    void recordComponentsThatCouldNotBeRestoredAreRefusedAtEncode() {
        CodecException e = assertThrows(CodecException.class,
                () -> CODEC.encode(new Queue(new java.util.LinkedList<>(List.of(1)))));
        assertTrue(e.getMessage().contains("component items") && e.getMessage().contains("ArrayList"), e.getMessage());
    }

    @Test
    void selfContainingValuesAreRefusedNotOverflowed() {
        List<Object> l = new ArrayList<>();
        l.add(l);
        assertThrows(CodecException.class, () -> CODEC.encode(l));
    }
}
