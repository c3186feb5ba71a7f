package dev.cellar.key;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Where canonical encodings go: either straight into a {@link MessageDigest} through a small buffer
 * (so a large value is never materialized), or into a growable byte array (set elements and map keys,
 * which must be sorted by their encodings). All multi-byte numbers are little-endian.
 */
final class Sink {
    private static final int DIGEST_BUFFER = 8192;
    /**
     * A digest sink starts this small and grows up to {@link #DIGEST_BUFFER}: most digests are of a few
     * dozen bytes (a parameter, a name), and zeroing 8 KB for each was a visible part of a small key.
     */
    private static final int DIGEST_START = 256;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * One SHA-256 sink per thread, lent out by {@link #borrowSha256()}: a small key takes six digests,
     * and a fresh digest (cloned) and buffer for each were a fifth of the bytes a small store+retrieve
     * pair allocated.
     */
    private static final ThreadLocal<Sink> SHA256_SINKS = ThreadLocal.withInitial(
            () -> new Sink(ValueDigest.sha256(), DIGEST_START, true));

    private final MessageDigest digest;
    /** Whether this is a thread's lent sink ({@link #SHA256_SINKS}), and whether it is lent out now. */
    private final boolean pooled;
    private boolean lent;
    private byte[] buf;
    private int n;

    private Sink(MessageDigest digest, int capacity) {
        this(digest, capacity, false);
    }

    private Sink(MessageDigest digest, int capacity, boolean pooled) {
        this.digest = digest;
        this.buf = new byte[capacity];
        this.pooled = pooled;
    }

    /**
     * An empty SHA-256 sink: this thread's own if it is free, else a new one (a digest taken while
     * another is under way, e.g. by a record accessor that digests something itself). Give it back
     * with {@link #release()} once finished, also when encoding failed.
     */
    static Sink borrowSha256() {
        Sink s = SHA256_SINKS.get();
        if (s.lent) {
            return new Sink(ValueDigest.sha256(), DIGEST_START);
        }
        s.lent = true;
        return s;
    }

    /** Returns a borrowed sink, emptied (bytes and digest state), to its thread; other sinks ignore it. */
    void release() {
        if (pooled && lent) {
            n = 0;
            digest.reset();
            lent = false;
        }
    }

    static Sink toBytes() {
        return new Sink(null, 64);
    }

    void put(byte b) {
        room(1);
        buf[n++] = b;
    }

    void putShort(short v) {
        room(2);
        SHORT.set(buf, n, v);
        n += 2;
    }

    void putInt(int v) {
        room(4);
        INT.set(buf, n, v);
        n += 4;
    }

    void putLong(long v) {
        room(8);
        LONG.set(buf, n, v);
        n += 8;
    }

    void putBytes(byte[] b) {
        putBytes(b, 0, b.length);
    }

    void putBytes(byte[] b, int off, int len) {
        if (digest != null && len > DIGEST_BUFFER / 2) {
            flush();
            digest.update(b, off, len);
            return;
        }
        room(len);
        System.arraycopy(b, off, buf, n, len);
        n += len;
    }

    /** The accumulated bytes of a byte sink. */
    byte[] toByteArray() {
        if (digest != null) {
            throw new IllegalStateException("a digest sink keeps no bytes");
        }
        return Arrays.copyOf(buf, n);
    }

    /** Completes the digest of a digest sink. */
    byte[] finish() {
        flush();
        return digest.digest();
    }

    private void room(int k) {
        if (n + k <= buf.length) {
            return;
        }
        if (digest != null) {
            if (buf.length < DIGEST_BUFFER && n + k <= DIGEST_BUFFER) {
                buf = Arrays.copyOf(buf, Math.min(DIGEST_BUFFER, Math.max(n + k, 2 * buf.length)));
                return;
            }
            flush();
            if (k <= buf.length) {
                return;
            }
        }
        buf = Arrays.copyOf(buf, Math.max(n + k, 2 * buf.length));
    }

    private void flush() {
        digest.update(buf, 0, n);
        n = 0;
    }
}
