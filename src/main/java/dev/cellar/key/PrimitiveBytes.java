package dev.cellar.key;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Primitive arrays as the little-endian bytes that keys hash (the same on every platform). */
final class PrimitiveBytes {
    private PrimitiveBytes() {
    }

    /** The little-endian image of a primitive array's elements (booleans as 0 and 1). */
    static byte[] littleEndian(Object a) {
        int n = Array.getLength(a);
        byte code = Canonical.elementCode(a.getClass());
        ByteBuffer b = ByteBuffer.allocate(n * Canonical.width(code)).order(ByteOrder.LITTLE_ENDIAN);
        if (a instanceof double[] x) {
            for (double d : x) b.putLong(Double.doubleToRawLongBits(d));
        } else if (a instanceof float[] x) {
            for (float f : x) b.putInt(Float.floatToRawIntBits(f));
        } else if (a instanceof long[] x) {
            b.asLongBuffer().put(x);
        } else if (a instanceof int[] x) {
            b.asIntBuffer().put(x);
        } else if (a instanceof short[] x) {
            b.asShortBuffer().put(x);
        } else if (a instanceof char[] x) {
            b.asCharBuffer().put(x);
        } else if (a instanceof byte[] x) {
            b.put(x);
        } else if (a instanceof boolean[] x) {
            for (boolean z : x) b.put(z ? (byte) 1 : 0);
        } else {
            throw new IllegalArgumentException("not a primitive array: " + a.getClass().getName());
        }
        return b.array();
    }
}
