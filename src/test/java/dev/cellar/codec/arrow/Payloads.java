package dev.cellar.codec.arrow;

import dev.cellar.codec.Encoded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;

/** Test helper: the bytes of an encoded value. */
final class Payloads {
    private Payloads() {}

    static byte[] bytes(Encoded e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            e.writeTo(Channels.newChannel(out));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return out.toByteArray();
    }

    /** Bytes in a read-only direct buffer, like a mapped store file. */
    static ByteBuffer direct(byte[] b) {
        ByteBuffer d = ByteBuffer.allocateDirect(b.length);
        d.put(b).flip();
        return d.asReadOnlyBuffer();
    }
}
