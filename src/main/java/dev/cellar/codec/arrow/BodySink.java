package dev.cellar.codec.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * Streams an IPC file to a channel through one reusable, page-aligned direct buffer per thread.
 * Arrays go in with bulk view copies ({@code asDoubleBuffer().put(...)}): never an element loop
 * for numbers and never a value-sized temporary. First touch of fresh memory is slow on this kind of
 * machine and unaligned direct buffers copy at a third of the speed, hence reuse and alignment.
 */
final class BodySink {
    static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(CHUNK + PAGE).alignedSlice(PAGE).order(ByteOrder.LITTLE_ENDIAN));

    private final WritableByteChannel out;
    private final ByteBuffer buf;
    private long written;

    BodySink(WritableByteChannel out) {
        this.out = out;
        this.buf = BUFFERS.get();
        buf.clear();
    }

    long position() {
        return written + buf.position();
    }

    void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            written += out.write(buf);
        }
        buf.clear();
    }

    private void room(int bytes) throws IOException {
        if (buf.remaining() < bytes) flush();
    }

    void intLE(int v) throws IOException {
        room(4);
        buf.putInt(v);
    }

    void zeros(long n) throws IOException {
        while (n > 0) {
            room(1);
            int k = (int) Math.min(n, buf.remaining());
            for (int i = 0; i < k; i++) buf.put((byte) 0);
            n -= k;
        }
    }

    void bytes(ByteBuffer src) throws IOException {
        ByteBuffer s = src.duplicate();
        while (s.hasRemaining()) {
            room(1);
            int k = Math.min(s.remaining(), buf.remaining());
            buf.put(s.slice().limit(k));
            s.position(s.position() + k);
        }
    }

    void bytes(byte[] a, int off, int len) throws IOException {
        while (len > 0) {
            room(1);
            int k = Math.min(len, buf.remaining());
            buf.put(a, off, k);
            off += k;
            len -= k;
        }
    }

    void shorts(short[] a, int off, int len) throws IOException {
        while (len > 0) {
            room(2);
            int k = Math.min(len, buf.remaining() / 2);
            buf.asShortBuffer().put(a, off, k);
            buf.position(buf.position() + k * 2);
            off += k;
            len -= k;
        }
    }

    void chars(char[] a, int off, int len) throws IOException {
        while (len > 0) {
            room(2);
            int k = Math.min(len, buf.remaining() / 2);
            buf.asCharBuffer().put(a, off, k);
            buf.position(buf.position() + k * 2);
            off += k;
            len -= k;
        }
    }

    void ints(int[] a, int off, int len) throws IOException {
        while (len > 0) {
            room(4);
            int k = Math.min(len, buf.remaining() / 4);
            buf.asIntBuffer().put(a, off, k);
            buf.position(buf.position() + k * 4);
            off += k;
            len -= k;
        }
    }

    void longs(long[] a, int off, int len) throws IOException {
        while (len > 0) {
            room(8);
            int k = Math.min(len, buf.remaining() / 8);
            buf.asLongBuffer().put(a, off, k);
            buf.position(buf.position() + k * 8);
            off += k;
            len -= k;
        }
    }

    void floats(float[] a, int off, int len) throws IOException {
        while (len > 0) {
            room(4);
            int k = Math.min(len, buf.remaining() / 4);
            buf.asFloatBuffer().put(a, off, k);
            buf.position(buf.position() + k * 4);
            off += k;
            len -= k;
        }
    }

    void doubles(double[] a, int off, int len) throws IOException {
        while (len > 0) {
            room(8);
            int k = Math.min(len, buf.remaining() / 8);
            buf.asDoubleBuffer().put(a, off, k);
            buf.position(buf.position() + k * 8);
            off += k;
            len -= k;
        }
    }

    /** Arrow's Bool layout: bit i of byte i/8, least significant bit first. */
    void bits(boolean[] a, int off, int len) throws IOException {
        for (int i = 0; i < len; i += 8) {
            room(1);
            int b = 0;
            int n = Math.min(8, len - i);
            for (int j = 0; j < n; j++) {
                if (a[off + i + j]) b |= 1 << j;
            }
            buf.put((byte) b);
        }
    }
}
