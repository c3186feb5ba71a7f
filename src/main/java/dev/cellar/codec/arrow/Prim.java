package dev.cellar.codec.arrow;

import java.lang.reflect.Array;
import dev.cellar.codec.DecodeContext;
import java.nio.ByteBuffer;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The eight Java primitive element types and their Arrow columns. Each Java type maps to a distinct
 * Arrow type so that a schema alone says which Java array to rebuild (char is Uint16, boolean is
 * Arrow's bit-packed Bool, which every Arrow reader understands).
 */
enum Prim {
    BOOLEAN(boolean.class, Boolean.class, new ArrowType.Bool(), 0),
    BYTE(byte.class, Byte.class, new ArrowType.Int(8, true), 1),
    SHORT(short.class, Short.class, new ArrowType.Int(16, true), 2),
    CHAR(char.class, Character.class, new ArrowType.Int(16, false), 2),
    INT(int.class, Integer.class, new ArrowType.Int(32, true), 4),
    LONG(long.class, Long.class, new ArrowType.Int(64, true), 8),
    FLOAT(float.class, Float.class, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), 4),
    DOUBLE(double.class, Double.class, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), 8);

    final Class<?> type;
    final Class<?> boxed;
    final ArrowType arrow;
    /** Bytes per element; 0 means one bit per element. */
    final int width;

    Prim(Class<?> type, Class<?> boxed, ArrowType arrow, int width) {
        this.type = type;
        this.boxed = boxed;
        this.arrow = arrow;
        this.width = width;
    }

    static Prim ofComponent(Class<?> c) {
        for (Prim p : values()) {
            if (p.type == c) return p;
        }
        return null;
    }

    static Prim ofBoxed(Class<?> c) {
        for (Prim p : values()) {
            if (p.boxed == c) return p;
        }
        return null;
    }

    /** The primitive whose Arrow type this is, or null. */
    static Prim ofArrow(ArrowType t) {
        for (Prim p : values()) {
            if (p.arrow.equals(t)) return p;
        }
        return null;
    }

    /** Bytes of an Arrow buffer holding {@code n} values. */
    long bufferBytes(long n) {
        return width == 0 ? (n + 7) >>> 3 : n * width;
    }

    String javaName() {
        return type.getName();
    }

    Object newArray(int n) {
        return Array.newInstance(type, n);
    }

    /** Streams {@code len} elements of {@code array} from {@code off} with bulk copies. */
    void write(BodySink sink, Object array, int off, int len) throws java.io.IOException {
        switch (this) {
            case BOOLEAN -> sink.bits((boolean[]) array, off, len);
            case BYTE -> sink.bytes((byte[]) array, off, len);
            case SHORT -> sink.shorts((short[]) array, off, len);
            case CHAR -> sink.chars((char[]) array, off, len);
            case INT -> sink.ints((int[]) array, off, len);
            case LONG -> sink.longs((long[]) array, off, len);
            case FLOAT -> sink.floats((float[]) array, off, len);
            case DOUBLE -> sink.doubles((double[]) array, off, len);
        }
    }

    /**
     * Copies {@code len} elements starting at element {@code from} of a little-endian Arrow buffer
     * into {@code array} at {@code to}, in bulk. The caller has checked the bounds.
     */
    void read(ByteBuffer buf, long from, Object array, int to, int len) {
        if (len == 0) return;
        if (width == 0) {
            boolean[] out = (boolean[]) array;
            for (int i = 0; i < len; i++) {
                long bit = from + i;
                out[to + i] = (buf.get((int) (bit >>> 3)) & (1 << (bit & 7))) != 0;
            }
            return;
        }
        ByteBuffer b = buf.duplicate().position((int) (from * width)).limit((int) ((from + len) * width))
                .slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case BYTE -> b.get((byte[]) array, to, len);
            case SHORT -> b.asShortBuffer().get((short[]) array, to, len);
            case CHAR -> b.asCharBuffer().get((char[]) array, to, len);
            case INT -> b.asIntBuffer().get((int[]) array, to, len);
            case LONG -> b.asLongBuffer().get((long[]) array, to, len);
            case FLOAT -> b.asFloatBuffer().get((float[]) array, to, len);
            case DOUBLE -> b.asDoubleBuffer().get((double[]) array, to, len);
            default -> throw new AssertionError(this);
        }
    }

    /**
     * Copies the first {@code len} elements of a buffer that starts {@code at} bytes into the payload,
     * in 1 MiB chunks (see {@link #read(ByteBuffer, long, Object, int, long, DecodeContext)}).
     */
    void read(ByteBuffer buf, Object array, int len, long at, DecodeContext context) {
        read(buf, 0, array, len, at, context);
    }

    /**
     * Copies {@code len} elements from element {@code from} of a buffer that starts {@code at} bytes into
     * the payload into {@code array} from 0: through the context's bulk reader when it has one (which
     * checksums what it reads; {@link BulkCopy}, on two threads when large), else from {@code buf} in
     * 1 MiB chunks, reporting progress after each. The caller has checked the bounds.
     */
    void read(ByteBuffer buf, long from, Object array, int len, long at, DecodeContext context) {
        if (width == 0 || (context.progress() == null && context.bulk() == null) || len == 0) {
            read(buf, from, array, 0, len);
            context.readUpTo(at + bufferBytes(from + len));
            return;
        }
        if (context.bulk() != null) {
            BulkCopy copy = new BulkCopy();
            copy.add(this, array, len, at + from * width);
            copy.run(context.bulk());
            return;
        }
        int step = BulkCopy.CHUNK_BYTES / width;
        for (int done = 0; done < len; done += step) {
            int n = Math.min(step, len - done);
            read(buf, from + done, array, done, n);
            context.readUpTo(at + (from + done + n) * width);
        }
    }

    /** Unboxes non-null elements of a list into a primitive array (nulls become zero). */
    Object unbox(Object[] boxedValues) {
        int n = boxedValues.length;
        Object out = newArray(n);
        for (int i = 0; i < n; i++) {
            Object v = boxedValues[i];
            if (v == null) continue;
            switch (this) {
                case BOOLEAN -> ((boolean[]) out)[i] = (Boolean) v;
                case BYTE -> ((byte[]) out)[i] = (Byte) v;
                case SHORT -> ((short[]) out)[i] = (Short) v;
                case CHAR -> ((char[]) out)[i] = (Character) v;
                case INT -> ((int[]) out)[i] = (Integer) v;
                case LONG -> ((long[]) out)[i] = (Long) v;
                case FLOAT -> ((float[]) out)[i] = (Float) v;
                case DOUBLE -> ((double[]) out)[i] = (Double) v;
            }
        }
        return out;
    }
}
