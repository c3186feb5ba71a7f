package dev.cellar.key;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.hashing.Access;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * XXH3-128 over large primitive arrays (in place, no copy) and file contents (mmap). This is the only
 * class that touches zero-allocation-hashing. Each kind of content has its own seed, so a
 * {@code double[]} and a {@code long[]} with the same bits, or a file with the same bytes as a
 * {@code byte[]}, never share a digest. Every digest is 16 bytes: the library's two result longs,
 * each little-endian. Changing a seed or the layout changes stored keys: bump the key format.
 */
final class Xxh3 {
    /** Files larger than this are hashed as a tree of chunk digests (a single map is limited to 2 GiB). */
    static final long FILE_CHUNK = 1L << 30;

    private static final long SEED_BASE = 0x63656c6c61720000L; // "cellar\0\0"
    private static final long FILE_SEED = SEED_BASE | 0x100;
    private static final long FILE_TREE_SEED = SEED_BASE | 0x101;
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final LongTupleHashFunction[] BY_ELEMENT = new LongTupleHashFunction[16];

    static {
        for (int code = 0; code < BY_ELEMENT.length; code++) {
            BY_ELEMENT[code] = LongTupleHashFunction.xx128(SEED_BASE | code);
        }
    }

    /** Inputs this large pay for a one-time warm-up first (see {@link #warmUp}). */
    private static final long WARM_UP_ABOVE = 64L << 20;
    private static volatile boolean arraysWarm;
    private static volatile boolean buffersWarm;

    private Xxh3() {}

    /**
     * The first digest of a large input otherwise runs mostly in the interpreter (measured: 2-4 GB/s
     * on 800 MB, against 10-15 GB/s compiled). Hashing 48 MB in small pieces first gets the hash loop
     * compiled for ~50-100 ms, once per JVM, and only when a large input is about to pay far more.
     */
    private static synchronized void warmUp(boolean buffers) {
        if (buffers ? buffersWarm : arraysWarm) {
            return;
        }
        long[] r = new long[2];
        if (buffers) {
            ByteBuffer b = ByteBuffer.allocateDirect(16 << 10).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 3000; i++) {
                BY_ELEMENT[0].hash(b, Access.toByteBuffer(), 0, b.capacity(), r);
            }
            buffersWarm = true;
        } else {
            double[] a = new double[2048];
            for (int i = 0; i < 3000; i++) {
                BY_ELEMENT[0].hash(a, Access.unsafe(), sun.misc.Unsafe.ARRAY_DOUBLE_BASE_OFFSET, 8L * a.length, r);
            }
            arraysWarm = true;
        }
    }

    /**
     * Pays the one-time warm-up ({@link #warmUp}) now if a digest of {@code array} would pay it: lets a
     * caller that expects to digest such an array later move that cost off the path it is waited on.
     */
    static void warmUpFor(Object array, byte elementCode) {
        if (!arraysWarm && (long) java.lang.reflect.Array.getLength(array) * Canonical.width(elementCode) > WARM_UP_ABOVE) {
            warmUp(false);
        }
    }

    /**
     * Digests a primitive array's element bits in place. {@code elementCode} is the canonical tag of the
     * element type (see {@link Canonical}); it seeds the hash.
     */
    @SuppressWarnings("removal")
    static byte[] primitiveArray(Object array, byte elementCode) {
        LongTupleHashFunction f = BY_ELEMENT[elementCode];
        long[] r = new long[2];
        warmUpFor(array, elementCode);
        if (!LITTLE) {
            // Keys are defined over the little-endian image; a big-endian JVM pays for one copy.
            byte[] le = Canonical.littleEndianBytes(array);
            f.hashBytes(le, r);
            return bytes(r);
        }
        if (array instanceof double[] a) {
            f.hash(a, Access.unsafe(), sun.misc.Unsafe.ARRAY_DOUBLE_BASE_OFFSET, 8L * a.length, r);
        } else if (array instanceof float[] a) {
            f.hash(a, Access.unsafe(), sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET, 4L * a.length, r);
        } else if (array instanceof long[] a) {
            f.hashLongs(a, r);
        } else if (array instanceof int[] a) {
            f.hashInts(a, r);
        } else if (array instanceof short[] a) {
            f.hashShorts(a, r);
        } else if (array instanceof char[] a) {
            f.hashChars(a, r);
        } else if (array instanceof byte[] a) {
            f.hashBytes(a, r);
        } else if (array instanceof boolean[] a) {
            f.hashBooleans(a, r);
        } else {
            throw new IllegalArgumentException("not a primitive array: " + array.getClass().getName());
        }
        return bytes(r);
    }

    /** Digests a file's bytes through read-only memory maps, in chunks of {@link #FILE_CHUNK}. */
    static byte[] file(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (!buffersWarm && size > WARM_UP_ABOVE) {
                warmUp(true);
            }
            if (size <= FILE_CHUNK) {
                return bytes(chunk(ch, 0, size));
            }
            int chunks = (int) ((size + FILE_CHUNK - 1) / FILE_CHUNK);
            long[] tree = new long[1 + 2 * chunks];
            tree[0] = size;
            for (int i = 0; i < chunks; i++) {
                long pos = i * FILE_CHUNK;
                long[] r = chunk(ch, pos, Math.min(FILE_CHUNK, size - pos));
                tree[1 + 2 * i] = r[0];
                tree[2 + 2 * i] = r[1];
            }
            return bytes(LongTupleHashFunction.xx128(FILE_TREE_SEED).hashLongs(tree));
        }
    }

    private static long[] chunk(FileChannel ch, long pos, long len) throws IOException {
        LongTupleHashFunction f = LongTupleHashFunction.xx128(FILE_SEED);
        if (len == 0) {
            return f.hashBytes(new byte[0]);
        }
        // ByteBuffer access works on any JVM without --add-exports (the library's direct-buffer shortcut
        // needs sun.nio.ch) and still runs at 5-11 GB/s here.
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
        ByteBuffer le = map.order(ByteOrder.LITTLE_ENDIAN);
        return f.hash(le, Access.toByteBuffer(), 0, len);
    }

    private static byte[] bytes(long[] r) {
        byte[] out = new byte[16];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(r[0]).putLong(r[1]);
        return out;
    }
}
