package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.CellarException;
import dev.cellar.Parameters;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CanonicalTest {
    enum Color { RED, GREEN }

    record Point(int x, double y) {}

    record Other(int x, double y) {}

    record Swapped(double y, int x) {}

    private record Hidden(String s) {}

    record Throwing(int x) {
        @Override
        public int x() {
            throw new IllegalStateException("no");
        }
    }

    static String hex(Object v) {
        return HexFormat.of().formatHex(Canonical.bytes(v, "value"));
    }

    @Test
    void scalarsHaveTheDocumentedBytes() {
        assertEquals("00", hex(null));
        assertEquals("0101", hex(true));
        assertEquals("0100", hex(false));
        assertEquals("0201", hex((byte) 1));
        assertEquals("030100", hex((short) 1));
        assertEquals("043100", hex('1'));
        assertEquals("0501000000", hex(1));
        assertEquals("060100000000000000", hex(1L));
        assertEquals("070000803f", hex(1.0f));
        assertEquals("08000000000000f03f", hex(1.0));
        assertEquals("090300000068c3a9", hex("hé"));
        assertEquals("0b0100000001", hex(BigInteger.ONE));
        assertEquals("0c01000000010000000a", hex(new BigDecimal("1.0")));
    }

    @Test
    void numbersDifferByTypeAndBits() {
        List<Object> ones = List.of(1, 1L, 1.0, 1.0f, (short) 1, (byte) 1, '1', "1", true,
                BigInteger.ONE, BigDecimal.ONE, new BigDecimal("1.0"));
        Set<String> encodings = new HashSet<>();
        for (Object o : ones) {
            encodings.add(hex(o));
        }
        assertEquals(ones.size(), encodings.size());
        assertNotEquals(hex(0.0), hex(-0.0));
        assertNotEquals(hex(0.0f), hex(-0.0f));
        assertNotEquals(hex(Double.longBitsToDouble(0x7ff8000000000001L)), hex(Double.NaN));
    }

    @Test
    void loneSurrogatesDoNotCollideWithQuestionMarks() {
        assertNotEquals(hex("a\uD800"), hex("a?"));
        assertNotEquals(hex("\uDC00"), hex("\uD800"));
        assertEquals(hex("\uD83D\uDE00"), hex(new String(Character.toChars(0x1F600))));
    }

    @Test
    void listsKeepOrderWhateverTheirClass() {
        assertEquals(hex(List.of(1, 2, 3)), hex(new ArrayList<>(List.of(1, 2, 3))));
        assertEquals(hex(List.of(1, 2, 3)), hex(new LinkedList<>(List.of(1, 2, 3))));
        assertNotEquals(hex(List.of(1, 2, 3)), hex(List.of(3, 2, 1)));
        assertNotEquals(hex(List.of(1, 2)), hex(Set.of(1, 2)));
    }

    @Test
    void setsAndMapsIgnoreIterationOrder() {
        Set<Object> a = new LinkedHashSet<>(List.of("x", 2, 3.0, List.of(1)));
        Set<Object> b = new LinkedHashSet<>(List.of(List.of(1), 3.0, 2, "x"));
        assertEquals(hex(a), hex(b));
        assertEquals(hex(new TreeSet<>(List.of("b", "a"))), hex(new HashSet<>(List.of("a", "b"))));

        Map<Object, Object> m1 = new LinkedHashMap<>();
        m1.put("a", 1);
        m1.put(2L, "two");
        m1.put("c", new double[] {1, 2});
        Map<Object, Object> m2 = new LinkedHashMap<>();
        m2.put("c", new double[] {1, 2});
        m2.put(2L, "two");
        m2.put("a", 1);
        assertEquals(hex(m1), hex(m2));
        m2.put("a", 1L);
        assertNotEquals(hex(m1), hex(m2));
    }

    @Test
    void identityMapsWithEqualKeysStillEncodeDeterministically() {
        String k1 = new String("k");
        String k2 = new String("k");
        Map<String, Integer> m1 = new IdentityHashMap<>();
        m1.put(k1, 1);
        m1.put(k2, 2);
        Map<String, Integer> m2 = new IdentityHashMap<>();
        m2.put(k2, 1);
        m2.put(k1, 2);
        assertEquals(hex(m1), hex(m2));
    }

    @Test
    void arraysEncodeElementTypeShapeAndContent() {
        assertEquals("10080200000000000000000000f03f0000000000000040", hex(new double[] {1, 2}));
        assertNotEquals(hex(new double[] {1, 2}), hex(new long[] {1, 2}));
        assertNotEquals(hex(new double[] {1, 2}), hex(List.of(1.0, 2.0)));
        assertNotEquals(hex(new double[0]), hex(new float[0]));
        assertNotEquals(hex(new double[][] {{1, 2}, {3}}), hex(new double[][] {{1}, {2, 3}}));
        assertNotEquals(hex(new double[][] {{1, 2}}), hex(new double[] {1, 2}));
        assertNotEquals(hex(new int[][] {{}}), hex(new int[][] {}));
        assertNotEquals(hex(new int[][] {null}), hex(new int[][] {{}}));
        assertNotEquals(hex(new String[] {"a", "b"}), hex(List.of("a", "b")));
        assertNotEquals(hex(new String[] {"a", null}), hex(new String[] {"a", "null"}));
        assertEquals(hex(new int[][][] {{{1}, {2, 3}}, {}}), hex(new int[][][] {{{1}, {2, 3}}, {}}));
        for (Object a : List.of(new boolean[] {true}, new byte[] {1}, new short[] {1}, new char[] {1},
                new int[] {1}, new long[] {1}, new float[] {1}, new double[] {1})) {
            assertTrue(hex(a).startsWith("10"), a.getClass().getName());
        }
    }

    @Test
    void largeArraysEnterByDigestAndStillSeeEveryElement() {
        int n = Canonical.LARGE_ARRAY_BYTES / 8 + 1;
        double[] a = new double[n];
        Arrays.setAll(a, i -> i);
        byte[] enc = Canonical.bytes(a, "a");
        assertEquals(1 + 1 + 4 + 1 + 16, enc.length);
        assertEquals(Canonical.DIGESTED, enc[6]);
        double[] b = a.clone();
        b[n - 1] = -b[n - 1];
        assertNotEquals(hex(a), hex(b));
        b = a.clone();
        b[0] = -0.0;
        assertNotEquals(hex(a), hex(b));
        long[] bits = new long[n];
        Arrays.setAll(bits, i -> Double.doubleToRawLongBits(i));
        assertNotEquals(hex(a), hex(bits));
        // At the threshold an array is still inline.
        double[] edge = new double[Canonical.LARGE_ARRAY_BYTES / 8];
        assertEquals(Canonical.INLINE, Canonical.bytes(edge, "a")[6]);
    }

    @Test
    void recordsCarryClassAndComponentNames() {
        assertEquals(hex(new Point(1, 2.0)), hex(new Point(1, 2.0)));
        assertNotEquals(hex(new Point(1, 2.0)), hex(new Point(1, 2.5)));
        assertNotEquals(hex(new Point(1, 2.0)), hex(new Other(1, 2.0)));
        assertNotEquals(hex(new Point(1, 2.0)), hex(new Swapped(2.0, 1)));
        assertNotEquals(hex(new Hidden("a")), hex(new Hidden("b")));
        CellarException e = assertThrows(CellarException.class, () -> Canonical.bytes(new Throwing(1), "v"));
        assertTrue(e.getMessage().startsWith("v: cannot read component x of record"), e.getMessage());
    }

    @Test
    void enumsOptionalsAndParameters() {
        assertNotEquals(hex(Color.RED), hex(Color.GREEN));
        assertNotEquals(hex(Color.RED), hex("RED"));
        assertNotEquals(hex(Optional.empty()), hex(Optional.of(1)));
        assertNotEquals(hex(Optional.empty()), hex(null));
        assertEquals(hex(Parameters.of("a", 1, "b.c", 2.0)), hex(Parameters.of("b.c", 2.0, "a", 1)));
        assertNotEquals(hex(Parameters.of("a", 1)), hex(Parameters.of("a", 1L)));
        assertNotEquals(hex(Parameters.of("a", 1)), hex(Map.of("a", 1)));
    }

    @Test
    void jshellWrapperClassesAreNamedWithoutTheirSessionNumber() {
        // Names as JShell 17 gives them (checked with jshell): snippet 11, its redefinition 11B, nested.
        assertEquals("P", Canonical.className("REPL.$JShell$11$P"));
        assertEquals("P", Canonical.className("REPL.$JShell$11B$P"));
        assertEquals("O$I", Canonical.className("REPL.$JShell$15$O$I"));
        assertEquals("REPL.Other", Canonical.className("REPL.Other"));
        // Ordinary names are unchanged.
        assertEquals("java.lang.String", Canonical.className(String.class));
        assertEquals(CanonicalTest.Point.class.getName(), Canonical.className(Point.class));
    }

    @Test
    void unencodableValuesAreNamedByTheirPath() {
        List<Object> xs = List.of(1, 2, 3, new Thread());
        CellarException e = assertThrows(CellarException.class, () -> Canonical.bytes(xs, "input xs"));
        assertEquals("element [3] of input xs: java.lang.Thread has no canonical encoding", e.getMessage());

        Map<String, Object> m = new TreeMap<>(Map.of("a", 1, "b", List.of(new Object())));
        e = assertThrows(CellarException.class, () -> Canonical.bytes(m, "parameter p"));
        assertEquals("element [0] of the value for key \"b\" of parameter p: java.lang.Object has no canonical"
                + " encoding", e.getMessage());

        e = assertThrows(CellarException.class,
                () -> Canonical.bytes(Optional.of(Set.of(new StringBuilder())), "value"));
        assertEquals("an element of content of value: java.lang.StringBuilder has no canonical encoding",
                e.getMessage());

        e = assertThrows(CellarException.class, () -> Canonical.bytes(new Object[] {1, new Object()}, "v"));
        assertTrue(e.getMessage().startsWith("element [1] of v: java.lang.Object"), e.getMessage());

        // A BigInteger subclass may redefine its bits: refused, not guessed.
        BigInteger sub = new BigInteger("5") {};
        assertThrows(CellarException.class, () -> Canonical.bytes(sub, "v"));
        // Other collections have no agreed order semantics.
        assertThrows(CellarException.class, () -> Canonical.bytes(new java.util.ArrayDeque<>(List.of(1)), "v"));
    }

    @Test
    void aValueThatContainsItselfIsRefusedNotOverflowed() {
        List<Object> loop = new ArrayList<>();
        loop.add(1);
        loop.add(loop);
        CellarException e = assertThrows(CellarException.class, () -> Canonical.bytes(loop, "input l"));
        assertEquals("element [1] of input l: java.util.ArrayList contains itself, so it has no canonical encoding",
                e.getMessage());
        // The same list twice side by side is not a cycle.
        List<Integer> shared = List.of(1);
        assertFalse(hex(List.of(shared, shared)).isEmpty());
    }

    @Test
    void littleEndianImageMatchesInlineEncoding() {
        assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 0, 0, 0}, Canonical.littleEndianBytes(new int[] {1, 2}));
        assertArrayEquals(new byte[] {1, 0}, Canonical.littleEndianBytes(new boolean[] {true, false}));
    }
}
