package dev.cellar.codec.json;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any nesting of JSON-encodable values decodes to an equal value with the same type at every level. */
class JsonRoundTripPropertyTest {
    enum Mood { CALM, TENSE }

    record Cell(String name, int n, Double weight, List<Long> xs) {}

    @Property(tries = 300)
    void nestedValuesRoundTripWithExactTypes(@ForAll("values") Object v) {
        Object back = JsonCodecTest.roundTrip(v);
        assertSameShape(v, back, "top");
    }

    @Property(tries = 300)
    void scalarsRoundTripBitwise(@ForAll("scalars") Object v) {
        Object back = JsonCodecTest.roundTrip(v);
        assertSameShape(v, back, "top");
        if (v instanceof Double d) assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back));
        if (v instanceof Float f) assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((Float) back));
    }

    @Property(tries = 100)
    void encodingIsDeterministic(@ForAll("values") Object v) {
        assertEquals(JsonCodecTest.json(v), JsonCodecTest.json(JsonCodecTest.roundTrip(v)));
    }

    static void assertSameShape(Object a, Object b, String at) {
        if (a == null) {
            assertNull(b, at);
            return;
        }
        assertNotNull(b, at);
        if (a instanceof List<?> l) {
            assertInstanceOf(List.class, b, at);
            List<?> m = (List<?>) b;
            assertEquals(l.size(), m.size(), at);
            for (int i = 0; i < l.size(); i++) assertSameShape(l.get(i), m.get(i), at + "[" + i + "]");
            return;
        }
        if (a instanceof Map<?, ?> m) {
            assertInstanceOf(Map.class, b, at);
            assertEquals(m.keySet(), ((Map<?, ?>) b).keySet(), at);
            for (Object k : m.keySet()) assertSameShape(m.get(k), ((Map<?, ?>) b).get(k), at + "." + k);
            return;
        }
        if (a instanceof Optional<?> o) {
            assertInstanceOf(Optional.class, b, at);
            assertEquals(o.isPresent(), ((Optional<?>) b).isPresent(), at);
            o.ifPresent(x -> assertSameShape(x, ((Optional<?>) b).get(), at + "?"));
            return;
        }
        assertSame(a.getClass(), b.getClass(), at);
        assertEquals(a, b, at);
    }

    @Provide
    Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(x -> (Object) x), Arbitraries.longs().map(x -> (Object) x),
                Arbitraries.longs().map(Double::longBitsToDouble).map(x -> (Object) x),
                Arbitraries.integers().map(Float::intBitsToFloat).map(x -> (Object) x),
                Arbitraries.shorts().map(x -> (Object) x), Arbitraries.bytes().map(x -> (Object) x),
                Arbitraries.chars().map(x -> (Object) x), Arbitraries.of(true, false).map(x -> (Object) x),
                Arbitraries.strings().ofMaxLength(30).map(x -> (Object) x),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(x -> (Object) x),
                Arbitraries.bigDecimals().ofScale(3).map(x -> (Object) x),
                Arbitraries.of(Mood.class).map(x -> (Object) x));
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(this::scalars, inner -> Arbitraries.oneOf(
                inner.injectNull(0.1).list().ofMaxSize(5).map(l -> (Object) new ArrayList<>(l)),
                inner.set().ofMaxSize(5).map(s -> (Object) new HashSet<>(s)),
                Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(4), inner.injectNull(0.1))
                        .as(java.util.AbstractMap.SimpleEntry::new).list().ofMaxSize(4).map(JsonRoundTripPropertyTest::linked),
                Combinators.combine(Arbitraries.integers().between(-5, 5), inner)
                        .as(java.util.AbstractMap.SimpleEntry::new).list().ofMaxSize(4).map(JsonRoundTripPropertyTest::hashed),
                inner.optional().map(o -> (Object) o),
                Combinators.combine(Arbitraries.strings().ofMaxLength(5).injectNull(0.2), Arbitraries.integers(),
                                Arbitraries.doubles().injectNull(0.2), Arbitraries.longs().list().ofMaxSize(3))
                        .as((s, n, w, xs) -> (Object) new Cell(s, n, w, xs))), 0, 4);
    }

    static Object linked(Collection<? extends Map.Entry<String, Object>> entries) {
        Map<String, Object> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    static Object hashed(Collection<? extends Map.Entry<Integer, Object>> entries) {
        Map<Object, Object> m = new HashMap<>();
        entries.forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

}
