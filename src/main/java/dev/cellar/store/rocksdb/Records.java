package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary layout of the RocksDB records. Every record starts with a format byte; a record of another
 * format decodes to {@code null} (read as absent: a newer cellar's entry is a miss, never a misread),
 * and so does a malformed one: every length is checked against what is left before it is used.
 */
final class Records {
    static final byte FORMAT = 1;
    static final int BLOB_ID_BYTES = 16;
    static final byte ENTRY = 'E';
    static final byte INFO = 'I';
    static final byte STATS = 'S';
    /** How far a journal has been applied: {@code 'J'} + the journal's file name; value: format, offset. */
    static final byte JOURNAL = 'J';
    static final byte[] GLOBAL_KEY = {'G'};
    /** Whether the last holder released the store cleanly: format, 1 or 0 (absent: unknown, so not clean). */
    static final byte[] CLEAN_KEY = {'C'};

    private Records() {}

    static byte[] dbKey(byte prefix, Key key) {
        byte[] k = key.bytes();
        byte[] out = new byte[1 + k.length];
        out[0] = prefix;
        System.arraycopy(k, 0, out, 1, k.length);
        return out;
    }

    /** One payload of an entry: inline bytes, or the id of an immutable blob file of {@code length} bytes. */
    record Payload(String name, long length, byte[] inline, byte[] blobId) {}

    /** What {@code list} and eviction need, without manifest or payload bytes. */
    record Info(String name, long createdMillis, long computeNanos, long sizeBytes, List<byte[]> blobIds) {}

    record Entry(Info info, byte[] manifest, List<Payload> payloads) {}

    record Stats(long hits, long savedNanos, long lastUsedMillis) {}

    /** Store-wide totals, kept in the same write batches as the entries they count. */
    record Global(long entries, long bytes, long hits, long misses, long savedNanos) {
        static final Global EMPTY = new Global(0, 0, 0, 0, 0);
    }

    static byte[] encodeEntry(Entry e) {
        byte[] name = utf8(e.info().name());
        int size = 1 + 4 + name.length + 24 + 4 + e.manifest().length + 4;
        List<byte[]> names = new ArrayList<>();
        for (Payload p : e.payloads()) {
            byte[] n = utf8(p.name());
            names.add(n);
            size += 4 + n.length + 1 + 8 + (p.inline() != null ? p.inline().length : BLOB_ID_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(FORMAT);
        putBytes(b, name);
        b.putLong(e.info().createdMillis()).putLong(e.info().computeNanos()).putLong(e.info().sizeBytes());
        putBytes(b, e.manifest());
        b.putInt(e.payloads().size());
        for (int i = 0; i < e.payloads().size(); i++) {
            Payload p = e.payloads().get(i);
            putBytes(b, names.get(i));
            b.put((byte) (p.inline() != null ? 0 : 1));
            b.putLong(p.length());
            b.put(p.inline() != null ? p.inline() : p.blobId());
        }
        return b.array();
    }

    static Entry decodeEntry(byte[] bytes) {
        return bytes == null ? null : decodeEntry(bytes, bytes.length);
    }

    /** The entry record in the first {@code length} bytes of {@code bytes} (everything is copied out of them). */
    static Entry decodeEntry(byte[] bytes, int recordLength) {
        if (recordLength == 0 || bytes[0] != FORMAT) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, recordLength - 1);
            String name = getString(b);
            long created = b.getLong();
            long compute = b.getLong();
            long size = b.getLong();
            byte[] manifest = getBytes(b);
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                return null;
            }
            List<Payload> payloads = new ArrayList<>(n);
            List<byte[]> blobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String pname = getString(b);
                byte kind = b.get();
                long length = b.getLong();
                if (length < 0 || length > Integer.MAX_VALUE) {
                    return null;
                }
                if (kind == 0) {
                    if (length > b.remaining()) {
                        return null;
                    }
                    byte[] inline = new byte[(int) length];
                    b.get(inline);
                    payloads.add(new Payload(pname, length, inline, null));
                } else if (kind == 1) {
                    byte[] id = new byte[BLOB_ID_BYTES];
                    b.get(id);
                    blobs.add(id);
                    payloads.add(new Payload(pname, length, null, id));
                } else {
                    return null;
                }
            }
            if (b.hasRemaining()) {
                return null;
            }
            return new Entry(new Info(name, created, compute, size, blobs), manifest, payloads);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] encodeInfo(Info i) {
        byte[] name = utf8(i.name());
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + name.length + 24 + 4 + BLOB_ID_BYTES * i.blobIds().size());
        b.put(FORMAT);
        putBytes(b, name);
        b.putLong(i.createdMillis()).putLong(i.computeNanos()).putLong(i.sizeBytes());
        b.putInt(i.blobIds().size());
        i.blobIds().forEach(b::put);
        return b.array();
    }

    static Info decodeInfo(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes[0] != FORMAT) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            String name = getString(b);
            long created = b.getLong();
            long compute = b.getLong();
            long size = b.getLong();
            int n = b.getInt();
            if (n < 0 || (long) n * BLOB_ID_BYTES != b.remaining()) {
                return null;
            }
            List<byte[]> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] id = new byte[BLOB_ID_BYTES];
                b.get(id);
                ids.add(id);
            }
            return new Info(name, created, compute, size, ids);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] encodeStats(Stats s) {
        return ByteBuffer.allocate(25).put(FORMAT).putLong(s.hits()).putLong(s.savedNanos())
                .putLong(s.lastUsedMillis()).array();
    }

    static Stats decodeStats(byte[] bytes) {
        if (bytes == null || bytes.length != 25 || bytes[0] != FORMAT) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, 24);
        return new Stats(b.getLong(), b.getLong(), b.getLong());
    }

    static byte[] encodeGlobal(Global g) {
        return ByteBuffer.allocate(41).put(FORMAT).putLong(g.entries()).putLong(g.bytes()).putLong(g.hits())
                .putLong(g.misses()).putLong(g.savedNanos()).array();
    }

    static Global decodeGlobal(byte[] bytes) {
        if (bytes == null || bytes.length != 41 || bytes[0] != FORMAT) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, 40);
        return new Global(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    static byte[] encodeClean(boolean clean) {
        return new byte[] {FORMAT, (byte) (clean ? 1 : 0)};
    }

    static boolean isClean(byte[] v) {
        return v != null && v.length == 2 && v[0] == FORMAT && v[1] == 1;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer b, byte[] bytes) {
        b.putInt(bytes.length).put(bytes);
    }

    private static byte[] getBytes(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("bad length");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static String getString(ByteBuffer b) {
        return new String(getBytes(b), StandardCharsets.UTF_8);
    }
}
