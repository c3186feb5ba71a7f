package dev.cellar.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pipelined digest is SHA-256 of exactly the bytes given, in order, however they are cut. */
class PipelinedSha256Test {
    private static String reference(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void sameDigestAsMessageDigestForAnyCut() throws Exception {
        // more than DEPTH buffers' worth, so buffers are reused while earlier ones are still being hashed
        byte[] data = new byte[5 * PipelinedSha256.BUFFER + 12_345];
        new Random(3).nextBytes(data);
        Random cuts = new Random(4);
        try (PipelinedSha256 sha = new PipelinedSha256()) {
            for (int at = 0; at < data.length; ) {
                int n = Math.min(data.length - at, 1 + cuts.nextInt(3 * PipelinedSha256.BUFFER / 2));
                ByteBuffer src = ByteBuffer.wrap(data, at, n);
                sha.update(src);
                assertEquals(at, src.position(), "update leaves the caller's position alone");
                at += n;
            }
            assertEquals(reference(data), sha.hex());
        }
        try (PipelinedSha256 sha = new PipelinedSha256()) {
            for (int at = 0; at < data.length; ) {
                byte[] b = sha.buffer();
                int n = Math.min(data.length - at, cuts.nextInt(b.length + 1));
                System.arraycopy(data, at, b, 0, n);
                sha.submit(b, n);
                at += n;
            }
            assertEquals(reference(data), sha.hex());
        }
        try (PipelinedSha256 sha = new PipelinedSha256()) {
            assertEquals(reference(new byte[0]), sha.hex());
        }
    }
}
