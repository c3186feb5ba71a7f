package dev.cellar.codec.arrow;

import dev.cellar.CodecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * One column of a record batch on the encode side: its Arrow field, its field nodes (pre-order) and
 * its body buffers, each of which knows its length up front and streams itself when written. Large
 * primitive data is never copied here; only small derived buffers (validity bits, offsets, UTF-8 of
 * strings) are materialized.
 */
final class Column {
    /** A body buffer. */
    interface Part {
        long length();

        void write(BodySink sink) throws IOException;
    }

    record Node(long length, long nullCount) {}

    final Field field;
    final List<Node> nodes;
    final List<Part> parts;
    final long length;

    private Column(Field field, List<Node> nodes, List<Part> parts) {
        this.field = field;
        this.nodes = nodes;
        this.parts = parts;
        this.length = nodes.get(0).length();
    }

    static final Part EMPTY = new Part() {
        public long length() {
            return 0;
        }

        public void write(BodySink sink) {}
    };

    static Part bytes(byte[] b) {
        return new Part() {
            public long length() {
                return b.length;
            }

            public void write(BodySink sink) throws IOException {
                sink.bytes(b, 0, b.length);
            }
        };
    }

    static Part ints(int[] a) {
        return new Part() {
            public long length() {
                return 4L * a.length;
            }

            public void write(BodySink sink) throws IOException {
                sink.ints(a, 0, a.length);
            }
        };
    }

    static Part values(Prim p, Object array, int n) {
        return new Part() {
            public long length() {
                return p.bufferBytes(n);
            }

            public void write(BodySink sink) throws IOException {
                p.write(sink, array, 0, n);
            }
        };
    }

    /** Validity bitmap (1 = present) or null when nothing is null. */
    private static byte[] validity(Object[] values) {
        byte[] bits = null;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null && bits == null) {
                bits = new byte[(values.length + 7) >>> 3];
                for (int j = 0; j < i; j++) bits[j >>> 3] |= (byte) (1 << (j & 7));
            } else if (values[i] != null && bits != null) {
                bits[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return bits;
    }

    private static long nulls(Object[] values) {
        long n = 0;
        for (Object v : values) if (v == null) n++;
        return n;
    }

    private static Part validityPart(Object[] values) {
        byte[] bits = validity(values);
        return bits == null ? EMPTY : bytes(bits);
    }

    /** A non-null primitive array. */
    static Column primitive(String name, Prim p, Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        Field f = new Field(name, FieldType.notNullable(p.arrow), null);
        return new Column(f, List.of(new Node(n, 0)), List.of(EMPTY, values(p, array, n)));
    }

    /** Boxed values of one type, nulls allowed. */
    static Column boxed(String name, Prim p, Object[] values) {
        Field f = new Field(name, FieldType.nullable(p.arrow), null);
        return new Column(f, List.of(new Node(values.length, nulls(values))),
                List.of(validityPart(values), values(p, p.unbox(values), values.length)));
    }

    /** Strings as Utf8, nulls allowed. */
    static Column strings(String name, String[] values) {
        List<Part> parts = new ArrayList<>();
        stringParts(values, parts);
        Field f = new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
        return new Column(f, List.of(new Node(values.length, nulls(values))), parts);
    }

    private static void stringParts(String[] values, List<Part> parts) {
        byte[][] utf8 = new byte[values.length][];
        int[] offsets = new int[values.length + 1];
        long total = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) checkWellFormed(values[i], i);
            utf8[i] = values[i] == null ? new byte[0] : values[i].getBytes(StandardCharsets.UTF_8);
            total += utf8[i].length;
            if (total > Integer.MAX_VALUE) {
                throw new CodecException("strings hold more than 2 GiB of UTF-8; Arrow Utf8 offsets cannot address it");
            }
            offsets[i + 1] = (int) total;
        }
        long size = total;
        parts.add(validityPart(values));
        parts.add(ints(offsets));
        parts.add(new Part() {
            public long length() {
                return size;
            }

            public void write(BodySink sink) throws IOException {
                for (byte[] b : utf8) sink.bytes(b, 0, b.length);
            }
        });
    }

    /** UTF-8 would silently turn an unpaired surrogate into '?': refuse instead of storing a different string. */
    private static void checkWellFormed(String s, int index) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new CodecException("string " + index + " contains an unpaired surrogate at char " + i
                        + ", which Arrow's UTF-8 strings cannot hold");
            }
        }
    }

    private static int[] rowOffsets(Object[] rows) {
        int[] offsets = new int[rows.length + 1];
        long total = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != null) total += java.lang.reflect.Array.getLength(rows[i]);
            if (total > Integer.MAX_VALUE) {
                throw new CodecException("2-D array with more than 2^31-1 elements in total is not supported");
            }
            offsets[i + 1] = (int) total;
        }
        return offsets;
    }

    /** Rows of primitive arrays (ragged, null rows allowed) as List&lt;primitive&gt;. */
    static Column nested(String name, Prim p, Object[] rows) {
        int[] offsets = rowOffsets(rows);
        int total = offsets[rows.length];
        Field child = new Field("item", FieldType.notNullable(p.arrow), null);
        Field f = new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(child));
        Part data = new Part() {
            public long length() {
                return p.bufferBytes(total);
            }

            public void write(BodySink sink) throws IOException {
                if (p == Prim.BOOLEAN) {
                    // bits cross row boundaries: pack through one flattened copy (booleans only)
                    boolean[] flat = new boolean[total];
                    for (int i = 0; i < rows.length; i++) {
                        if (rows[i] != null) {
                            boolean[] r = (boolean[]) rows[i];
                            System.arraycopy(r, 0, flat, offsets[i], r.length);
                        }
                    }
                    sink.bits(flat, 0, total);
                    return;
                }
                for (int i = 0; i < rows.length; i++) {
                    if (rows[i] != null) {
                        p.write(sink, rows[i], 0, offsets[i + 1] - offsets[i]);
                    }
                }
            }
        };
        return new Column(f, List.of(new Node(rows.length, nulls(rows)), new Node(total, 0)),
                List.of(validityPart(rows), ints(offsets), EMPTY, data));
    }

    /** Rows of strings (ragged, null rows and null strings allowed) as List&lt;Utf8&gt;. */
    static Column nestedStrings(String name, String[][] rows) {
        int[] offsets = rowOffsets(rows);
        String[] flat = new String[offsets[rows.length]];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != null) System.arraycopy(rows[i], 0, flat, offsets[i], rows[i].length);
        }
        Field child = new Field("item", FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
        Field f = new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(child));
        List<Part> parts = new ArrayList<>(List.of(validityPart(rows), ints(offsets)));
        stringParts(flat, parts);
        return new Column(f, List.of(new Node(rows.length, nulls(rows)), new Node(flat.length, nulls(flat))), parts);
    }
}
