package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.DataStore;
import dev.cellar.store.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Self-verifying entries for crash and concurrency tests: a key is the SHA-256 of a label; its value
 * starts with the SHA-256 of the key (so a value under the wrong key is detected) and continues with
 * bytes generated from the key; its size is chosen by the key among {@code sizes}. Everything about an
 * entry can be recomputed from its key.
 */
final class TestValues {
    private TestValues() {}

    static Key key(String label) {
        return Key.of(sha256(label.getBytes(StandardCharsets.UTF_8)));
    }

    static int size(Key k, int[] sizes) {
        return sizes[Math.floorMod(k.hashCode(), sizes.length)];
    }

    static ByteBuffer value(Key k, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, 40));
        byte[] digest = sha256(k.bytes());
        b.put(digest).putInt(size);
        SplittableRandom r = new SplittableRandom(Arrays.hashCode(digest));
        while (b.remaining() >= 8) {
            b.putLong(r.nextLong());
        }
        while (b.hasRemaining()) {
            b.put((byte) r.nextInt());
        }
        return b.flip();
    }

    static byte[] manifest(Key k) {
        return ("manifest of " + k.hex()).getBytes(StandardCharsets.UTF_8);
    }

    static void put(DataStore s, Key k, int size) throws Exception {
        try (EntryWriter w = s.begin(k)) {
            try (WritableByteChannel ch = w.payload("value")) {
                ByteBuffer v = value(k, size);
                while (v.hasRemaining()) {
                    ch.write(v);
                }
            }
            try (WritableByteChannel ch = w.payload("tag")) {
                ch.write(ByteBuffer.wrap(k.bytes()));
            }
            w.commit(manifest(k), new EntryMetadata("test", System.currentTimeMillis(), size));
        }
    }

    /** Checks an open entry against what its key implies; returns a problem, or null if it is right. */
    static String check(Key k, StoredEntry e) {
        if (!Arrays.equals(manifest(k), e.manifest())) {
            return "wrong manifest for " + k.shortHex();
        }
        ByteBuffer tag = e.payload("tag");
        if (!tag.equals(ByteBuffer.wrap(k.bytes()))) {
            return "wrong tag for " + k.shortHex();
        }
        ByteBuffer v = e.payload("value");
        if (v.remaining() < 40) {
            return "short value for " + k.shortHex();
        }
        int size = v.getInt(32);
        if (!v.equals(value(k, size))) {
            return "wrong value for " + k.shortHex() + " (" + v.remaining() + " bytes)";
        }
        return null;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
