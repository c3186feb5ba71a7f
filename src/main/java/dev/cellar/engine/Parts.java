package dev.cellar.engine;

import dev.cellar.CodecException;
import dev.cellar.codec.Codec;
import dev.cellar.codec.Encoded;
import dev.cellar.codec.PayloadTooLargeException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Values too large for one payload: an array of rows ({@code double[][]} of 4 GB, {@code String[][]}, any
 * {@code Object[]} its codec encodes) is split into runs of rows, each encoded alone by the same codec and
 * stored as a payload of its own, and joined again on restore. A payload is read back as one
 * {@code ByteBuffer} in every store, which addresses at most 2 GiB; splitting by rows keeps each part a
 * complete, standard payload of the codec (an Arrow file of some rows), where splitting bytes would not.
 */
final class Parts {
    /** What one {@code ByteBuffer} can hold, less the JDK's array header reserve. */
    static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;

    private Parts() {}

    /**
     * The encodings of {@code value}: one, or (when it is too large for one payload and is an array of
     * rows) one per run of rows, in order, each at most {@code limit} bytes.
     *
     * @throws CodecException if it cannot be encoded, or is too large and cannot be split (a single row
     *     over the limit, or a value that is not an array of rows)
     */
    static List<Encoded> encode(Codec codec, Object value, long limit) {
        Encoded whole = null;
        PayloadTooLargeException tooLarge = null;
        try {
            whole = codec.encode(value);
        } catch (PayloadTooLargeException e) {
            tooLarge = e;
        }
        if (whole != null && whole.size() <= limit) {
            return List.of(whole);
        }
        if (!(value instanceof Object[] rows) || rows.length < 2) {
            if (tooLarge != null) {
                throw tooLarge;
            }
            if (whole.size() < 0) {
                return List.of(whole); // a codec that cannot tell its size: the store finds out
            }
            throw new PayloadTooLargeException("value needs a " + whole.size() + "-byte payload; one payload holds at most "
                    + limit + " bytes, and only an array of rows can be split into several");
        }
        int half = rows.length / 2;
        List<Encoded> out = new ArrayList<>(encode(codec, Arrays.copyOfRange(rows, 0, half), limit));
        out.addAll(encode(codec, Arrays.copyOfRange(rows, half, rows.length), limit));
        String descriptor = out.get(0).descriptor();
        for (Encoded e : out) {
            if (!e.descriptor().equals(descriptor) || !e.codecId().equals(out.get(0).codecId())) {
                // a codec that describes runs of rows differently cannot promise they join back
                throw new PayloadTooLargeException("value of " + rows.length + " rows is too large for one payload, and its "
                        + "codec describes runs of its rows differently (" + descriptor + ", " + e.descriptor() + ")");
            }
        }
        return out;
    }

    /**
     * The value whose runs of rows {@code parts} are, as one array of the parts' class.
     *
     * @throws CodecException if the parts are not arrays of rows of one class (a damaged entry)
     */
    static Object join(String output, List<Object> parts) {
        Class<?> type = parts.get(0).getClass();
        long rows = 0;
        for (Object p : parts) {
            if (!(p instanceof Object[] a) || p.getClass() != type) {
                throw new CodecException("parts of '" + output + "' are not runs of rows of one array type");
            }
            rows += a.length;
        }
        if (rows > MAX_PAYLOAD) {
            throw new CodecException("parts of '" + output + "' hold " + rows + " rows, more than an array can");
        }
        Object[] all = (Object[]) Array.newInstance(type.getComponentType(), (int) rows);
        int at = 0;
        for (Object p : parts) {
            Object[] a = (Object[]) p;
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }
}
