package dev.cellar.codec.arrow;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.CodecException;
import dev.cellar.codec.DecodeContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Malformed IPC payloads are refused with a CodecException: never another exception, an OOM or a hang. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed assertion
class ArrowHostileInputTest {
    record P(int a, String b) {}

    static final ArrowCodec CODEC = new ArrowCodec();
    static final DecodeContext CTX = new DecodeContext(ArrowHostileInputTest.class.getClassLoader(), 64L << 20);

    static final Schema INTS = new Schema(List.of(new Field("values", FieldType.notNullable(new ArrowType.Int(32, true)), null)));
    static final Schema STRINGS = new Schema(List.of(new Field("values", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
    static final Schema ROWS = new Schema(List.of(new Field("values", FieldType.nullable(ArrowType.List.INSTANCE),
            List.of(new Field("item", FieldType.notNullable(new ArrowType.Int(32, true)), null)))));

    static CodecException rejected(String descriptor, byte[] payload) {
        return assertThrows(CodecException.class, () -> CODEC.decode(descriptor, ByteBuffer.wrap(payload), CTX));
    }

    static byte[] ints(long rows, long[][] nodes, long[][] buffers, int bodyBytes) {
        IpcBuilder b = new IpcBuilder(INTS);
        b.rows = rows;
        b.nodes = nodes;
        b.buffers = buffers;
        b.body = new byte[bodyBytes];
        return b.build();
    }

    @Test
    void theBuilderMakesAValidFile() {
        byte[] ok = ints(3, new long[][] {{3, 0}}, new long[][] {{0, 0}, {0, 12}}, 16);
        assertArrayEquals(new int[3], (int[]) CODEC.decode("int[]", ByteBuffer.wrap(ok), CTX));
    }

    @Test
    void badMagic() {
        byte[] ok = Payloads.bytes(CODEC.encode(new int[] {1, 2, 3}));
        byte[] a = ok.clone();
        a[0] = 'X';
        assertTrue(rejected("int[]", a).getMessage().contains("magic"));
        byte[] z = ok.clone();
        z[z.length - 1] = 'X';
        assertTrue(rejected("int[]", z).getMessage().contains("magic"));
        rejected("int[]", new byte[0]);
        rejected("int[]", "ARROW1".getBytes());
    }

    @Test
    void footerLengthOutOfRange() {
        byte[] ok = Payloads.bytes(CODEC.encode(new int[] {1, 2, 3}));
        for (int bad : new int[] {Integer.MAX_VALUE, ok.length, -1, 0, Integer.MIN_VALUE}) {
            byte[] p = ok.clone();
            ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt(p.length - 10, bad);
            rejected("int[]", p);
        }
    }

    @Test
    void hugeDeclaredLengthsAreRefusedBeforeAllocating() {
        // 2^31-9 rows claimed over a 16-byte body: refused by the buffer size check, no 8 GB array
        CodecException e = rejected("int[]", ints(Integer.MAX_VALUE - 9, new long[][] {{Integer.MAX_VALUE - 9, 0}},
                new long[][] {{0, 0}, {0, 16}}, 16));
        assertTrue(e.getMessage().contains("need"), e.getMessage());
        rejected("int[]", ints(1L << 40, new long[][] {{1L << 40, 0}}, new long[][] {{0, 0}, {0, 16}}, 16));
        rejected("int[]", ints(4, new long[][] {{4, 0}}, new long[][] {{0, 0}, {0, 1L << 40}}, 16));
        rejected("int[]", ints(4, new long[][] {{4, 0}}, new long[][] {{0, 0}, {Long.MAX_VALUE, 16}}, 16));
        rejected("int[]", ints(4, new long[][] {{4, 0}}, new long[][] {{0, 0}, {8, Long.MAX_VALUE}}, 16));
    }

    @Test
    void negativeOffsetsLengthsAndCounts() {
        rejected("int[]", ints(2, new long[][] {{2, 0}}, new long[][] {{0, 0}, {-8, 8}}, 16));
        rejected("int[]", ints(2, new long[][] {{2, 0}}, new long[][] {{0, 0}, {0, -8}}, 16));
        rejected("int[]", ints(-2, new long[][] {{2, 0}}, new long[][] {{0, 0}, {0, 8}}, 16));
        rejected("int[]", ints(2, new long[][] {{-2, 0}}, new long[][] {{0, 0}, {0, 8}}, 16));
        rejected("int[]", ints(2, new long[][] {{2, -1}}, new long[][] {{0, 0}, {0, 8}}, 16));
        rejected("int[]", ints(2, new long[][] {{2, 3}}, new long[][] {{0, 0}, {0, 8}}, 16));
    }

    @Test
    void wrongNumbersOfNodesAndBuffers() {
        rejected("int[]", ints(2, new long[][] {}, new long[][] {{0, 0}, {0, 8}}, 16));
        rejected("int[]", ints(2, new long[][] {{2, 0}, {2, 0}}, new long[][] {{0, 0}, {0, 8}}, 16));
        rejected("int[]", ints(2, new long[][] {{2, 0}}, new long[][] {{0, 8}}, 16));
        rejected("int[]", ints(3, new long[][] {{2, 0}}, new long[][] {{0, 0}, {0, 8}}, 16));
    }

    @Test
    void bodyShorterThanDeclared() {
        IpcBuilder b = new IpcBuilder(INTS);
        b.rows = 2;
        b.nodes = new long[][] {{2, 0}};
        b.buffers = new long[][] {{0, 0}, {0, 8}};
        b.body = new byte[8];
        b.blockBodyLength = 1L << 30;
        b.messageBodyLength = 1L << 30;
        assertTrue(rejected("int[]", b.build()).getMessage().contains("outside"));
        b.blockBodyLength = null;
        b.messageBodyLength = 4L;
        rejected("int[]", b.build());
    }

    @Test
    void blockPointingOutsideTheFile() {
        for (long offset : new long[] {-8, 0, 3, 1L << 40, Long.MAX_VALUE}) {
            IpcBuilder b = new IpcBuilder(INTS);
            b.rows = 0;
            b.nodes = new long[][] {{0, 0}};
            b.buffers = new long[][] {{0, 0}, {0, 0}};
            b.blockOffset = offset;
            rejected("int[]", b.build());
        }
        IpcBuilder b = new IpcBuilder(INTS);
        b.nodes = new long[][] {{0, 0}};
        b.buffers = new long[][] {{0, 0}, {0, 0}};
        for (int meta : new int[] {-1, 0, 4, Integer.MAX_VALUE}) {
            b.blockMetaLength = meta;
            rejected("int[]", b.build());
        }
    }

    @Test
    void inconsistentStringOffsets() {
        IpcBuilder b = new IpcBuilder(STRINGS);
        b.rows = 2;
        b.nodes = new long[][] {{2, 0}};
        b.buffers = new long[][] {{0, 0}, {0, 12}, {16, 4}};
        ByteBuffer body = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(0, 0).putInt(4, 3).putInt(8, 1); // decreasing
        b.body = body.array();
        assertTrue(rejected("String[]", b.build()).getMessage().contains("decrease"));
        body.putInt(8, 100); // beyond the 4 data bytes
        b.body = body.array();
        rejected("String[]", b.build());
        body.putInt(0, -4);
        b.body = body.array();
        rejected("String[]", b.build());
    }

    @Test
    void listOffsetsBeyondTheChild() {
        IpcBuilder b = new IpcBuilder(ROWS);
        b.rows = 1;
        b.nodes = new long[][] {{1, 0}, {2, 0}};
        b.buffers = new long[][] {{0, 0}, {0, 8}, {8, 0}, {8, 8}};
        ByteBuffer body = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(0, 0).putInt(4, 1000);
        b.body = body.array();
        rejected("int[][]", b.build());
        body.putInt(4, 2);
        b.body = body.array();
        assertArrayEquals(new int[][] {{0, 0}}, (int[][]) CODEC.decode("int[][]", ByteBuffer.wrap(b.build()), CTX));
    }

    @Test
    void nullCountThatDisagreesWithTheBits() {
        IpcBuilder b = new IpcBuilder(STRINGS);
        b.rows = 2;
        b.nodes = new long[][] {{2, 1}};
        b.buffers = new long[][] {{0, 1}, {8, 12}, {24, 0}};
        b.body = new byte[24];
        b.body[0] = 3; // both present, yet one null declared
        rejected("String[]", b.build());
    }

    @Test
    void unsupportedTypesAndDescriptors() {
        Schema struct = new Schema(List.of(new Field("s", FieldType.nullable(ArrowType.Struct.INSTANCE),
                List.of(new Field("x", FieldType.notNullable(new ArrowType.Int(32, true)), null)))));
        IpcBuilder b = new IpcBuilder(struct);
        rejected("table", b.build());
        byte[] ok = Payloads.bytes(CODEC.encode(new int[] {1}));
        rejected("double[]", ok);
        rejected("String[]", ok);
        rejected("int[][]", ok);
        rejected("List<Long>", ok);
        rejected("no such thing", ok);
        rejected("records " + P.class.getName(), ok);
        rejected("records java.lang.Runtime", ok);
        rejected("records does.not.Exist", ok);
        rejected("VectorSchemaRoot", new byte[] {1, 2, 3});
        rejected("VectorSchemaRoot", truncate(ok, ok.length - 3));
    }

    record Empty() {}

    @Test
    void rowCountsNotBackedByDataAreCharged() {
        IpcBuilder b = new IpcBuilder(new Schema(List.of()));
        b.rows = Integer.MAX_VALUE - 9;
        CodecException e = rejected("records " + Empty.class.getName(), b.build());
        assertTrue(e.getMessage().contains("memory limit"), e.getMessage());
        b.rows = 3;
        assertEquals(List.of(new Empty(), new Empty(), new Empty()),
                CODEC.decode("records " + Empty.class.getName(), ByteBuffer.wrap(b.build()), CTX));
    }

    @Test
    void giantFieldNamesAreRefusedBeforeDecoding() {
        String giant = "n".repeat(IpcReader.MAX_NAME_BYTES + 1);
        IpcBuilder b = new IpcBuilder(new Schema(List.of(new Field(giant, FieldType.notNullable(new ArrowType.Int(32, true)), null))));
        b.nodes = new long[][] {{0, 0}};
        b.buffers = new long[][] {{0, 0}, {0, 0}};
        assertTrue(rejected("table", b.build()).getMessage().contains("name"));
        assertTrue(rejected("VectorSchemaRoot", b.build()).getMessage().contains("name"));
    }

    static byte[] truncate(byte[] b, int n) {
        return java.util.Arrays.copyOf(b, n);
    }

    static List<Object[]> samples() {
        return List.of(
                new Object[] {"int[]", new int[] {1, 2, 3}},
                new Object[] {"boolean[]", new boolean[] {true, false, true}},
                new Object[] {"String[]", new String[] {"a", null, "ccc"}},
                new Object[] {"double[][]", new double[][] {{1}, null, {2, 3}}},
                new Object[] {"String[][]", new String[][] {{"x"}, null, {}}},
                new Object[] {"List<Integer>", java.util.Arrays.asList(1, null, 3)},
                new Object[] {"table", new java.util.LinkedHashMap<>(java.util.Map.of("a", new long[] {1, 2}))},
                new Object[] {"records " + P.class.getName(), List.of(new P(1, "q"), new P(2, null))});
    }

    @Test
    void everyTruncationIsRefused() {
        for (Object[] s : samples()) {
            byte[] ok = Payloads.bytes(CODEC.encode(s[1]));
            assertNotNull(CODEC.decode((String) s[0], ByteBuffer.wrap(ok), CTX));
            for (int n = 0; n < ok.length; n++) {
                byte[] cut = truncate(ok, n);
                assertThrows(CodecException.class, () -> CODEC.decode((String) s[0], ByteBuffer.wrap(cut), CTX),
                        s[0] + " truncated to " + n + " bytes");
            }
        }
    }

    @Test
    void randomByteFlipsGiveACodecExceptionOrAValueOfTheRightShape() {
        Random random = new Random(42);
        int refused = 0;
        for (Object[] s : samples()) {
            byte[] ok = Payloads.bytes(CODEC.encode(s[1]));
            Object expected = CODEC.decode((String) s[0], ByteBuffer.wrap(ok), CTX);
            for (int round = 0; round < 1500; round++) {
                byte[] p = ok.clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
                try {
                    Object v = CODEC.decode((String) s[0], ByteBuffer.wrap(p), CTX);
                    assertSame(expected.getClass(), v.getClass(), "a flip must not change the decoded type");
                } catch (CodecException e) {
                    refused++;
                } catch (Throwable t) {
                    throw new AssertionError(s[0] + ": byte flips gave " + t, t);
                }
            }
        }
        assertTrue(refused > 0, "some flips must be detected");
    }

    @Test
    void randomByteFlipsInVectorSchemaRoots() throws Exception {
        byte[] ok;
        try (var a = new org.apache.arrow.memory.RootAllocator();
             var x = new org.apache.arrow.vector.IntVector("x", a);
             var s = new org.apache.arrow.vector.VarCharVector("s", a)) {
            for (int i = 0; i < 5; i++) {
                x.setSafe(i, i);
                s.setSafe(i, ("v" + i).getBytes());
            }
            x.setValueCount(5);
            s.setValueCount(5);
            ok = Payloads.bytes(CODEC.encode(org.apache.arrow.vector.VectorSchemaRoot.of(x, s)));
        }
        Random random = new Random(7);
        for (int round = 0; round < 1500; round++) {
            byte[] p = ok.clone();
            p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
            try (var root = (org.apache.arrow.vector.VectorSchemaRoot) CODEC.decode("VectorSchemaRoot", ByteBuffer.wrap(p), CTX)) {
                assertEquals(2, root.getFieldVectors().size());
            } catch (CodecException e) {
                // refused: fine
            } catch (Throwable t) {
                throw new AssertionError("byte flips gave " + t, t);
            }
        }
    }
}
