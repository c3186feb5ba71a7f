package dev.cellar.codec.arrow;

import dev.cellar.CodecException;
import dev.cellar.codec.DecodeContext;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns the columns of a validated {@link IpcReader.Batch} into Java arrays, one column at a time,
 * in schema order. Checks that each buffer is large enough for its declared value count, that
 * offsets are monotonic and in range, that null counts match validity bits, and charges every Java
 * allocation against the decode's memory limit before making it.
 */
final class ColumnReader {
    private final IpcReader.Batch batch;
    private final long maxBytes;
    private final DecodeContext context;
    private long charged;
    private int node;
    private int buffer;

    ColumnReader(IpcReader.Batch batch, long maxBytes) {
        this(batch, new DecodeContext(null, maxBytes));
    }

    ColumnReader(IpcReader.Batch batch, DecodeContext context) {
        this.batch = batch;
        this.maxBytes = context.maxBytes();
        this.context = context;
    }

    void charge(long bytes, String what) {
        charged += bytes;
        if (bytes < 0 || charged > maxBytes) {
            throw new CodecException("decoding " + what + " needs more than the " + maxBytes
                    + "-byte memory limit of this decode");
        }
    }

    private long[] nextNode(String field, long expectLength) {
        long[] n = batch.nodes().get(node++);
        if (expectLength >= 0 && n[0] != expectLength) {
            throw IpcReader.bad("column " + field + " has " + n[0] + " values, the batch has " + expectLength);
        }
        return n;
    }

    private ByteBuffer nextBuffer() {
        return batch.buffers().get(buffer++);
    }

    /** The validity buffer of a column, or null if it has no nulls. */
    private ByteBuffer validity(String field, long length, long nulls) {
        ByteBuffer v = nextBuffer();
        if (nulls == 0) return null;
        long need = (length + 7) >>> 3;
        if (v.remaining() < need) throw IpcReader.bad("validity of " + field + " is shorter than its values");
        long zeros = 0;
        for (int i = 0; i < length; i++) {
            if ((v.get(i >>> 3) & (1 << (i & 7))) == 0) zeros++;
        }
        if (zeros != nulls) {
            throw IpcReader.bad("column " + field + " declares " + nulls + " nulls, validity bits say " + zeros);
        }
        return v;
    }

    private static boolean present(ByteBuffer validity, int i) {
        return validity == null || (validity.get(i >>> 3) & (1 << (i & 7))) != 0;
    }

    private ByteBuffer values(String field, Prim p, long length) {
        ByteBuffer b = nextBuffer();
        if (b.remaining() < p.bufferBytes(length)) {
            throw IpcReader.bad("buffer of " + field + " holds " + b.remaining() + " bytes, " + length
                    + " values of " + p.javaName() + " need " + p.bufferBytes(length));
        }
        return b;
    }

    private int[] offsets(String field, int length, long limit) {
        ByteBuffer b = nextBuffer();
        int[] o = new int[length + 1];
        if (length == 0 && b.remaining() == 0) return o;
        if (b.remaining() < 4L * (length + 1)) throw IpcReader.bad("offsets of " + field + " are too short");
        charge(4L * (length + 1), field);
        b.asIntBuffer().get(o);
        if (o[0] < 0) throw IpcReader.bad("negative offset in " + field);
        for (int i = 0; i < length; i++) {
            if (o[i + 1] < o[i]) throw IpcReader.bad("offsets of " + field + " decrease at " + i);
        }
        if (o[length] > limit) {
            throw IpcReader.bad("offsets of " + field + " reach " + o[length] + ", beyond the " + limit + " values present");
        }
        return o;
    }

    /** A non-null primitive column as a primitive array. */
    Object primitives(IpcReader.FieldInfo f, long expectLength) {
        long[] n = nextNode(f.name(), expectLength);
        if (n[1] != 0) throw new CodecException("column " + f.name() + " has nulls; a " + f.prim().javaName() + "[] cannot hold them");
        nextBuffer();
        ByteBuffer v = values(f.name(), f.prim(), n[0]);
        int len = (int) n[0];
        charge(16 + (long) len * Math.max(1, f.prim().width), f.name());
        Object out = f.prim().newArray(len);
        f.prim().read(v, out, len, batch.offsets().get(buffer - 1), context);
        return out;
    }

    /** A primitive column, nulls allowed, as boxed values. */
    Object[] boxed(IpcReader.FieldInfo f, long expectLength) {
        long[] n = nextNode(f.name(), expectLength);
        int len = (int) n[0];
        ByteBuffer valid = validity(f.name(), len, n[1]);
        ByteBuffer v = values(f.name(), f.prim(), len);
        charge(16 + 24L * len, f.name());
        Object prims = f.prim().newArray(len);
        f.prim().read(v, 0, prims, 0, len);
        Object[] out = new Object[len];
        for (int i = 0; i < len; i++) {
            if (present(valid, i)) out[i] = Array.get(prims, i);
        }
        return out;
    }

    /** A Utf8 column as strings, nulls allowed. */
    String[] strings(IpcReader.FieldInfo f, long expectLength) {
        if (!f.utf8()) throw IpcReader.bad("column " + f.name() + " is " + f.describe() + ", expected Utf8");
        long[] n = nextNode(f.name(), expectLength);
        int len = (int) n[0];
        ByteBuffer valid = validity(f.name(), len, n[1]);
        ByteBuffer data = batch.buffers().get(buffer + 1);
        int[] o = offsets(f.name(), len, data.remaining());
        nextBuffer();
        charge(16 + 8L * len + 48L * len + 2L * (o[len] - o[0]) + o[len] - o[0], f.name());
        byte[] bytes = new byte[o[len] - o[0]];
        data.duplicate().position(o[0]).get(bytes);
        String[] out = new String[len];
        for (int i = 0; i < len; i++) {
            if (present(valid, i)) out[i] = new String(bytes, o[i] - o[0], o[i + 1] - o[i], StandardCharsets.UTF_8);
        }
        return out;
    }

    /** A List column as a 2-D array ({@code double[][]}, {@code String[][]}, ...); null rows allowed. */
    Object[] rows(IpcReader.FieldInfo f, long expectLength) {
        if (f.child() == null) throw IpcReader.bad("column " + f.name() + " is " + f.describe() + ", expected a List");
        long[] n = nextNode(f.name(), expectLength);
        int len = (int) n[0];
        ByteBuffer valid = validity(f.name(), len, n[1]);
        long[] childNode = batch.nodes().get(node);
        int[] o = offsets(f.name(), len, childNode[0]);
        IpcReader.FieldInfo c = f.child();
        if (c.utf8()) {
            String[] flat = strings(c, -1);
            charge(16 + 8L * len + 16L * len, f.name());
            String[][] out = new String[len][];
            for (int i = 0; i < len; i++) {
                if (present(valid, i)) out[i] = java.util.Arrays.copyOfRange(flat, o[i], o[i + 1]);
            }
            return out;
        }
        Prim p = c.prim();
        long[] cn = nextNode(c.name(), -1);
        if (cn[1] != 0) throw new CodecException("list " + f.name() + " has null elements; a " + p.javaName() + "[] cannot hold them");
        nextBuffer();
        ByteBuffer v = values(c.name(), p, cn[0]);
        charge(16 + 8L * len + 16L * len + (o[len] - o[0]) * (long) Math.max(1, p.width), f.name());
        Object[] out = (Object[]) Array.newInstance(p.type.arrayType(), len);
        long at = batch.offsets().get(buffer - 1);
        // With a bulk reader every row is allocated first and all are filled in one BulkCopy (two
        // threads for a large value); the rows are complete only when it returns.
        BulkCopy copy = context.bulk() != null && p.width > 0 ? new BulkCopy() : null;
        for (int i = 0; i < len; i++) {
            if (!present(valid, i)) continue;
            int rowLength = o[i + 1] - o[i];
            Object row = p.newArray(rowLength);
            if (copy != null) {
                copy.add(p, row, rowLength, at + (long) o[i] * p.width);
            } else {
                p.read(v, o[i], row, rowLength, at, context); // rows are in payload order: progress only grows
            }
            out[i] = row;
        }
        if (copy != null) {
            copy.run(context.bulk());
        }
        return out;
    }

    /** Any column as the Java array it was written from (for tables). */
    Object column(IpcReader.FieldInfo f, long expectLength) {
        if (f.prim() != null) return primitives(f, expectLength);
        if (f.utf8()) return strings(f, expectLength);
        return rows(f, expectLength);
    }

    List<IpcReader.FieldInfo> fields() {
        return batch.fields();
    }

    long rowCount() {
        return batch.rows();
    }
}
