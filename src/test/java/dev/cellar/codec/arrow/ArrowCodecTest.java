package dev.cellar.codec.arrow;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.CodecException;
import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.junit.jupiter.api.Test;

class ArrowCodecTest {
    record Point(int x, Double y, String label) {}

    static final ArrowCodec CODEC = new ArrowCodec();
    static final DecodeContext CTX = new DecodeContext(ArrowCodecTest.class.getClassLoader(), 1L << 30);

    static Object roundTrip(Object value) {
        Encoded e = CODEC.encode(value);
        byte[] b = Payloads.bytes(e);
        assertEquals(e.size(), b.length, "announced size");
        assertArrowReadable(b);
        return CODEC.decode(e.descriptor(), Payloads.direct(b), CTX);
    }

    /** The payload is a valid IPC file to Arrow Java's own reader (our stand-in for pyarrow). */
    static void assertArrowReadable(byte[] b) {
        try (BufferAllocator a = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(b), a)) {
            assertEquals(1, r.getRecordBlocks().size());
            assertTrue(r.loadNextBatch());
            ValueVectorUtility.validateFull(r.getVectorSchemaRoot());
        } catch (Exception e) {
            throw new AssertionError("ArrowFileReader rejects the payload", e);
        }
    }

    @Test
    void primitiveArraysOfEveryType() {
        assertArrayEquals(new boolean[] {true, false, true, true, false, false, true, false, true},
                (boolean[]) roundTrip(new boolean[] {true, false, true, true, false, false, true, false, true}));
        assertArrayEquals(new byte[] {1, -2, 127}, (byte[]) roundTrip(new byte[] {1, -2, 127}));
        assertArrayEquals(new short[] {1, -2, 32767}, (short[]) roundTrip(new short[] {1, -2, 32767}));
        assertArrayEquals(new char[] {'a', '\uffff', 0}, (char[]) roundTrip(new char[] {'a', '\uffff', 0}));
        assertArrayEquals(new int[] {1, -2, Integer.MIN_VALUE}, (int[]) roundTrip(new int[] {1, -2, Integer.MIN_VALUE}));
        assertArrayEquals(new long[] {1, -2, Long.MAX_VALUE}, (long[]) roundTrip(new long[] {1, -2, Long.MAX_VALUE}));
        assertArrayEquals(new float[] {1.5f, Float.NaN}, (float[]) roundTrip(new float[] {1.5f, Float.NaN}));
        assertArrayEquals(new double[] {-0.0, Double.NaN, 1e300}, (double[]) roundTrip(new double[] {-0.0, Double.NaN, 1e300}));
        assertArrayEquals(new double[0], (double[]) roundTrip(new double[0]));
    }

    @Test
    void arraysLargerThanOneChunk() {
        double[] xs = new double[BodySink.CHUNK / 8 * 3 + 17];
        for (int i = 0; i < xs.length; i++) xs[i] = i * 0.5;
        assertArrayEquals(xs, (double[]) roundTrip(xs));
        boolean[] bs = new boolean[BodySink.CHUNK * 9 + 3];
        for (int i = 0; i < bs.length; i += 7) bs[i] = true;
        assertArrayEquals(bs, (boolean[]) roundTrip(bs));
    }

    @Test
    void stringsAndRaggedArrays() {
        String[] s = {"a", null, "", "ünïcødé ✓ 😀"};
        assertArrayEquals(s, (String[]) roundTrip(s));
        double[][] d = {{1, 2, 3}, {}, null, {4}};
        assertArrayEquals(d, (double[][]) roundTrip(d));
        boolean[][] b = {{true}, {false, true, true}, null};
        assertArrayEquals(b, (boolean[][]) roundTrip(b));
        String[][] ss = {{"x", null}, null, {}};
        assertArrayEquals(ss, (String[][]) roundTrip(ss));
        int[][] empty = new int[0][];
        assertArrayEquals(empty, (int[][]) roundTrip(empty));
    }

    @Test
    void unpairedSurrogatesAreRefusedNotMangled() {
        CodecException e = assertThrows(CodecException.class, () -> CODEC.encode(new String[] {"ok", "x\ud800"}));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    @Test
    void listsOfBoxedAndStrings() {
        List<Integer> ints = Arrays.asList(1, null, 3);
        assertEquals(ints, roundTrip(ints));
        assertEquals(List.of("a", "b"), roundTrip(List.of("a", "b")));
        assertEquals(List.of(1L, 2L), roundTrip(List.of(1L, 2L)));
        assertEquals(List.of('x'), roundTrip(List.of('x')));
        assertFalse(CODEC.canEncode(List.of(1, 2L)), "mixed element types go elsewhere");
        assertFalse(CODEC.canEncode(List.of()), "an empty list has no element type");
    }

    @Test
    void tablesKeepColumnOrder() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("z", new double[] {1, 2});
        t.put("a", new String[] {"p", "q"});
        t.put("m", new int[] {5, 6});
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) roundTrip(t);
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(back.keySet()));
        assertArrayEquals(new double[] {1, 2}, (double[]) back.get("z"));
        assertArrayEquals(new String[] {"p", "q"}, (String[]) back.get("a"));
        assertArrayEquals(new int[] {5, 6}, (int[]) back.get("m"));
        assertFalse(CODEC.canEncode(Map.of("a", new int[1], "b", new int[2])), "unequal columns are not a table");
    }

    @Test
    void listsOfRecords() {
        List<Point> ps = List.of(new Point(1, 2.5, "a"), new Point(-3, null, null));
        Encoded e = CODEC.encode(ps);
        assertEquals("records " + Point.class.getName(), e.descriptor());
        assertEquals(ps, roundTrip(ps));
    }

    @Test
    void tablesMayHoldRaggedColumns() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", new long[] {1, 2});
        t.put("spikes", new double[][] {{0.1, 0.2}, {}});
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) roundTrip(t);
        assertArrayEquals(new double[][] {{0.1, 0.2}, {}}, (double[][]) back.get("spikes"));
    }

    @Test
    void recordClassesResolveThroughTheContextLoader() {
        Encoded e = CODEC.encode(List.of(new Point(1, 2.0, "a")));
        byte[] b = Payloads.bytes(e);
        ClassLoader blind = new ClassLoader(null) {};
        CodecException x = assertThrows(CodecException.class,
                () -> CODEC.decode(e.descriptor(), ByteBuffer.wrap(b), new DecodeContext(blind, 1 << 20)));
        assertTrue(x.getMessage().contains("not available"), x.getMessage());
    }

    @Test
    void recordDecodeRefusesNonRecordClasses() {
        byte[] b = Payloads.bytes(CODEC.encode(List.of(new Point(1, 2.0, "a"))));
        CodecException e = assertThrows(CodecException.class,
                () -> CODEC.decode("records java.lang.Runtime", ByteBuffer.wrap(b), CTX));
        assertTrue(e.getMessage().contains("not a record"), e.getMessage());
    }

    @Test
    void vectorSchemaRoots() {
        try (BufferAllocator a = new RootAllocator();
             Float8Vector x = new Float8Vector("x", a);
             VarCharVector s = new VarCharVector("s", a)) {
            x.allocateNew(3);
            s.allocateNew(3);
            for (int i = 0; i < 3; i++) {
                x.set(i, i * 1.5);
                s.setSafe(i, ("v" + i).getBytes());
            }
            x.setValueCount(3);
            s.setValueCount(3);
            VectorSchemaRoot root = VectorSchemaRoot.of(x, s);
            Encoded e = CODEC.encode(root);
            byte[] bytes = Payloads.bytes(e);
            assertArrowReadable(bytes);
            try (VectorSchemaRoot back = (VectorSchemaRoot) CODEC.decode(e.descriptor(), Payloads.direct(bytes), CTX)) {
                assertEquals(3, back.getRowCount());
                assertTrue(root.equals(back), "same contents");
            }
        }
    }

    @Test
    void decodesFromAPositionedUnalignedSliceOfALargerBuffer() {
        double[] xs = {1.5, -0.0, Double.NaN, 4};
        Encoded e = CODEC.encode(xs);
        byte[] b = Payloads.bytes(e);
        ByteBuffer big = ByteBuffer.allocateDirect(b.length + 40);
        big.position(13);
        big.put(b);
        big.position(13).limit(13 + b.length);
        ByteBuffer view = big.asReadOnlyBuffer();
        assertArrayEquals(xs, (double[]) CODEC.decode(e.descriptor(), view, CTX));
        assertEquals(13, view.position(), "the caller's buffer position is left alone");
    }

    @Test
    void descriptorMismatchIsAClearError() {
        byte[] b = Payloads.bytes(CODEC.encode(new int[] {1}));
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode("double[]", ByteBuffer.wrap(b), CTX));
        assertTrue(e.getMessage().contains("int"), e.getMessage());
    }

    @Test
    void payloadsBeyondWhatOneBufferCanHoldAreRefusedAtEncode() {
        double[] row = new double[1 << 20]; // 8 MiB, shared by every row: 2.4 GB of payload, no memory
        double[][] big = new double[300][];
        Arrays.fill(big, row);
        CodecException e = assertThrows(CodecException.class, () -> CODEC.encode(big));
        assertTrue(e.getMessage().contains("2 GiB"), e.getMessage());
    }

    @Test
    void decodeIsBoundedByTheMemoryLimit() {
        byte[] b = Payloads.bytes(CODEC.encode(new double[1000]));
        DecodeContext tight = new DecodeContext(getClass().getClassLoader(), 4000);
        assertThrows(CodecException.class, () -> CODEC.decode("double[]", ByteBuffer.wrap(b), tight));
    }
}
