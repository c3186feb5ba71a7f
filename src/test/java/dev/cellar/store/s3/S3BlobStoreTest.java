package dev.cellar.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.store.shared.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects on a real S3 server (S3Proxy 2.9.0): an upload never replaces a finished object of the
 * same name (a conditional write, which S3Proxy supports), a damaged one of another size is replaced,
 * and a download returns the SHA-256 of exactly what it wrote.
 */
class S3BlobStoreTest {
    @TempDir
    Path tmp;

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private Path file(String name, byte[] content) throws Exception {
        return Files.write(tmp.resolve(name), content);
    }

    @Test
    void uploadsOnceNeverOverwritesAndReplacesAWrongSize() throws Exception {
        SharedServers servers = SharedServers.get();
        String prefix = servers.freshSchema("s3blob");
        byte[] a = new byte[300_000];
        Arrays.fill(a, (byte) 'a');
        byte[] b = new byte[300_000];
        Arrays.fill(b, (byte) 'b');
        String name = sha(a);
        try (S3BlobStore s3 = S3BlobStore.open(servers.blobs(prefix), servers.awsEnv())) {
            assertNull(s3.get(name, tmp.resolve("none")), "absent");
            s3.put(name, file("a", a), a.length);
            assertTrue(s3.exists(name, a.length));
            // same name, same size, other bytes: a second writer must not replace the first one's object
            s3.put(name, file("b", b), b.length);
            assertEquals(name, s3.get(name, tmp.resolve("got")));
            assertArrayEquals(a, Files.readAllBytes(tmp.resolve("got")));
            assertTrue(s3.conditionalWrites(), "S3Proxy 2.9.0 refuses If-None-Match: * on an existing object (412)");

            // a damaged object of that name (another size) is replaced by a good one
            Path onDisk = objectFile(servers, prefix, name);
            Files.write(onDisk, Arrays.copyOf(a, 1000));
            assertTrue(!s3.exists(name, a.length));
            s3.put(name, file("a2", a), a.length);
            assertArrayEquals(a, get(s3, name));
        }
    }

    private byte[] get(S3BlobStore s3, String name) throws Exception {
        Path t = tmp.resolve("get-" + System.nanoTime());
        s3.get(name, t);
        return Files.readAllBytes(t);
    }

    private static Path objectFile(SharedServers servers, String prefix, String name) {
        return servers.dir().resolve("s3/cellar/" + prefix + "/objects/" + name.substring(0, 2) + "/" + name);
    }
}
