package dev.cellar.codec.arrow;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every Arrow-encodable shape decodes to an equal value (floating point compared bit for bit). */
class ArrowRoundTripPropertyTest {
    record Sample(int i, long l, double d, Float f, String s, boolean b, Character c) {}

    static Object rt(Object v) {
        return ArrowCodecTest.roundTrip(v);
    }

    @Provide
    Arbitrary<Double> anyDouble() {
        return Arbitraries.oneOf(Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.MIN_VALUE,
                        Double.longBitsToDouble(0x7ff0000000000abcL)));
    }

    @Provide
    Arbitrary<double[]> doubles() {
        return anyDouble().array(double[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<float[]> floats() {
        return Arbitraries.integers().map(Float::intBitsToFloat).array(float[].class).ofMaxSize(300);
    }

    @Property(tries = 200)
    void doubleArraysBitwise(@ForAll("doubles") double[] xs) {
        double[] back = (double[]) rt(xs);
        assertEquals(xs.length, back.length);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Double.doubleToRawLongBits(xs[i]), Double.doubleToRawLongBits(back[i]), "element " + i);
        }
    }

    @Property(tries = 200)
    void floatArraysBitwise(@ForAll("floats") float[] xs) {
        float[] back = (float[]) rt(xs);
        assertEquals(xs.length, back.length);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Float.floatToRawIntBits(xs[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
    }

    @Property(tries = 100)
    void integralArrays(@ForAll int[] i, @ForAll long[] l, @ForAll short[] s, @ForAll byte[] b, @ForAll char[] c,
                        @ForAll boolean[] z) {
        assertArrayEquals(i, (int[]) rt(i));
        assertArrayEquals(l, (long[]) rt(l));
        assertArrayEquals(s, (short[]) rt(s));
        assertArrayEquals(b, (byte[]) rt(b));
        assertArrayEquals(c, (char[]) rt(c));
        assertArrayEquals(z, (boolean[]) rt(z));
    }

    /** Strings without unpaired surrogates (those are refused, see ArrowCodecTest). */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(20),
                Arbitraries.of("😀", "a😀b", "", "ü"));
    }

    @Property(tries = 150)
    void stringArrays(@ForAll("stringArrays") String[] xs) {
        assertArrayEquals(xs, (String[]) rt(xs));
    }

    @Provide
    Arbitrary<String[]> stringArrays() {
        return text().injectNull(0.1).array(String[].class).ofMaxSize(50);
    }

    @Property(tries = 150)
    void raggedArrays(@ForAll("ragged") double[][] d, @ForAll("raggedInts") int[][] i,
                      @ForAll("raggedBools") boolean[][] z, @ForAll("raggedStrings") String[][] s) {
        double[][] back = (double[][]) rt(d);
        assertEquals(d.length, back.length);
        for (int r = 0; r < d.length; r++) {
            if (d[r] == null) {
                assertNull(back[r]);
                continue;
            }
            assertEquals(d[r].length, back[r].length);
            for (int k = 0; k < d[r].length; k++) {
                assertEquals(Double.doubleToRawLongBits(d[r][k]), Double.doubleToRawLongBits(back[r][k]));
            }
        }
        assertArrayEquals(i, (int[][]) rt(i));
        assertArrayEquals(z, (boolean[][]) rt(z));
        assertArrayEquals(s, (String[][]) rt(s));
    }

    @Provide
    Arbitrary<double[][]> ragged() {
        return doubles().injectNull(0.1).array(double[][].class).ofMaxSize(20);
    }

    @Provide
    Arbitrary<int[][]> raggedInts() {
        return Arbitraries.integers().array(int[].class).ofMaxSize(30).injectNull(0.1).array(int[][].class).ofMaxSize(20);
    }

    @Provide
    Arbitrary<boolean[][]> raggedBools() {
        return Arbitraries.of(true, false).array(boolean[].class).ofMaxSize(30).injectNull(0.1)
                .array(boolean[][].class).ofMaxSize(20);
    }

    @Provide
    Arbitrary<String[][]> raggedStrings() {
        return stringArrays().injectNull(0.1).array(String[][].class).ofMaxSize(10);
    }

    @Property(tries = 150)
    void listsOfBoxedValues(@ForAll("boxedLists") List<Object> xs) {
        Object back = rt(xs);
        assertEquals(xs, back);
        for (int i = 0; i < xs.size(); i++) {
            if (xs.get(i) != null) assertSame(xs.get(i).getClass(), ((List<?>) back).get(i).getClass());
        }
    }

    @Provide
    Arbitrary<List<Object>> boxedLists() {
        List<Arbitrary<?>> elements = List.of(Arbitraries.integers(), Arbitraries.longs(), Arbitraries.shorts(),
                Arbitraries.bytes(), Arbitraries.chars(), Arbitraries.of(true, false), Arbitraries.floats(),
                Arbitraries.doubles(), text());
        return Arbitraries.of(elements).flatMap(a -> a.injectNull(0.2).list().ofMinSize(1).ofMaxSize(40)
                .filter(l -> l.stream().anyMatch(x -> x != null)).map(l -> new ArrayList<Object>(l)));
    }

    @Property(tries = 100)
    void tables(@ForAll("tableData") Map<String, Object> table) {
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) rt(table);
        assertEquals(new ArrayList<>(table.keySet()), new ArrayList<>(back.keySet()));
        for (String k : table.keySet()) {
            assertTrue(java.util.Objects.deepEquals(table.get(k), back.get(k)), k);
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> tableData() {
        return Arbitraries.integers().between(0, 30).flatMap(n -> {
            List<Arbitrary<Object>> columns = List.of(
                    Arbitraries.longs().array(long[].class).ofSize(n).map(x -> x),
                    Arbitraries.doubles().array(double[].class).ofSize(n).map(x -> x),
                    text().injectNull(0.1).array(String[].class).ofSize(n).map(x -> x),
                    Arbitraries.of(true, false).array(boolean[].class).ofSize(n).map(x -> x));
            return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5).set().ofMinSize(1).ofMaxSize(5)
                    .flatMap(names -> {
                        List<String> ordered = new ArrayList<>(names);
                        return Arbitraries.of(columns).flatMap(a -> a).list().ofSize(ordered.size()).map(cols -> {
                            Map<String, Object> t = new LinkedHashMap<>();
                            for (int i = 0; i < ordered.size(); i++) t.put(ordered.get(i), cols.get(i));
                            return t;
                        });
                    });
        });
    }

    @Property(tries = 100)
    void listsOfRecords(@ForAll("samples") List<Sample> xs) {
        assertEquals(xs, rt(xs));
    }

    @Provide
    Arbitrary<List<Sample>> samples() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs(), Arbitraries.doubles(),
                        Arbitraries.floats().injectNull(0.2), text().injectNull(0.2), Arbitraries.of(true, false),
                        Arbitraries.chars().injectNull(0.2))
                .as(Sample::new).list().ofMinSize(1).ofMaxSize(30);
    }
}
