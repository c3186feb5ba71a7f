package dev.cellar.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The references: what the same values cost without cellar. Writing is the cheapest plain way from a
 * Java array to the page cache (through one reused, page-aligned direct buffer, as the JDK would copy a
 * heap buffer to a temporary direct one anyway); copying is the cheapest way to get a new, equal value
 * in memory ({@code clone()} for numbers; for strings, decoding them from UTF-8, which any restore of a
 * {@code String} from bytes must do).
 */
final class Raw {
    private static final int CHUNK = 4 << 20;
    private static final ByteBuffer BUF = ByteBuffer.allocateDirect(CHUNK + 4096).alignedSlice(4096)
            .order(ByteOrder.LITTLE_ENDIAN);

    private Raw() {}

    /** Writes the value's bytes to a new file (page cache, no fsync); returns the bytes written. */
    static synchronized long write(Path file, Object value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            BUF.clear();
            long n = put(ch, value);
            flush(ch);
            return n;
        }
    }

    private static long put(FileChannel ch, Object v) throws IOException {
        if (v instanceof double[] a) {
            for (int off = 0; off < a.length; ) {
                int k = Math.min(a.length - off, room(ch) / 8);
                BUF.asDoubleBuffer().put(a, off, k);
                BUF.position(BUF.position() + k * 8);
                off += k;
            }
            return 8L * a.length;
        }
        if (v instanceof long[] a) {
            for (int off = 0; off < a.length; ) {
                int k = Math.min(a.length - off, room(ch) / 8);
                BUF.asLongBuffer().put(a, off, k);
                BUF.position(BUF.position() + k * 8);
                off += k;
            }
            return 8L * a.length;
        }
        if (v instanceof int[] a) {
            for (int off = 0; off < a.length; ) {
                int k = Math.min(a.length - off, room(ch) / 4);
                BUF.asIntBuffer().put(a, off, k);
                BUF.position(BUF.position() + k * 4);
                off += k;
            }
            return 4L * a.length;
        }
        if (v instanceof byte[] a) {
            for (int off = 0; off < a.length; ) {
                int k = Math.min(a.length - off, room(ch));
                BUF.put(a, off, k);
                off += k;
            }
            return a.length;
        }
        if (v instanceof double[][] rows) {
            long n = 0;
            for (double[] r : rows) {
                n += put(ch, r);
            }
            return n;
        }
        if (v instanceof String[] strings) {
            // UTF-8 bytes then 4-byte offsets, as a columnar format lays them out.
            int[] ends = new int[strings.length];
            long n = 0;
            for (int i = 0; i < strings.length; i++) {
                n += put(ch, strings[i].getBytes(StandardCharsets.UTF_8));
                ends[i] = (int) n;
            }
            return n + put(ch, ends);
        }
        if (v instanceof Map<?, ?> m) {
            long n = 0;
            for (Object col : m.values()) {
                n += put(ch, col);
            }
            return n;
        }
        throw new IllegalArgumentException("no raw form for " + v.getClass());
    }

    private static int room(FileChannel ch) throws IOException {
        if (BUF.remaining() < 8) {
            flush(ch);
        }
        return BUF.remaining();
    }

    private static void flush(FileChannel ch) throws IOException {
        BUF.flip();
        while (BUF.hasRemaining()) {
            ch.write(BUF);
        }
        BUF.clear();
    }

    /** Reads a file written by {@link #write} of a {@code double[]} into a new array (the cold reference). */
    static synchronized double[] readDoubles(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            double[] out = new double[(int) (ch.size() / 8)];
            int off = 0;
            BUF.clear();
            while (off < out.length) {
                BUF.clear();
                BUF.limit(Math.min(CHUNK, (out.length - off) * 8));
                while (BUF.hasRemaining() && ch.read(BUF) >= 0) {
                    // fill the chunk
                }
                BUF.flip();
                int k = BUF.remaining() / 8;
                BUF.asDoubleBuffer().get(out, off, k);
                off += k;
            }
            BUF.clear();
            return out;
        }
    }

    /** A value prepared for {@link Image#copy()}: its strings pre-encoded as UTF-8. */
    static Image image(Object value) {
        Map<String[], byte[][]> utf8 = new IdentityHashMap<>();
        collect(value, utf8);
        return new Image(value, utf8);
    }

    private static void collect(Object v, Map<String[], byte[][]> utf8) {
        if (v instanceof String[] s) {
            byte[][] b = new byte[s.length][];
            for (int i = 0; i < s.length; i++) {
                b[i] = s[i].getBytes(StandardCharsets.UTF_8);
            }
            utf8.put(s, b);
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(c -> collect(c, utf8));
        }
    }

    record Image(Object value, Map<String[], byte[][]> utf8) {
        /** A new value equal to {@link #value}: the allocating reference of a restore. */
        Object copy() {
            return copy(value);
        }

        private Object copy(Object v) {
            if (v instanceof double[] a) {
                return a.clone();
            }
            if (v instanceof long[] a) {
                return a.clone();
            }
            if (v instanceof int[] a) {
                return a.clone();
            }
            if (v instanceof byte[] a) {
                return a.clone();
            }
            if (v instanceof double[][] rows) {
                double[][] out = new double[rows.length][];
                for (int i = 0; i < rows.length; i++) {
                    out[i] = rows[i].clone();
                }
                return out;
            }
            if (v instanceof String[] s) {
                byte[][] b = utf8.get(s);
                String[] out = new String[s.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = new String(b[i], StandardCharsets.UTF_8);
                }
                return out;
            }
            if (v instanceof Map<?, ?> m) {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, c) -> out.put(k, copy(c)));
                return out;
            }
            throw new IllegalArgumentException("no copy for " + v.getClass());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
