package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The entries by name, so that {@code ls NAME} reads the entries of one name instead of every entry:
 * one empty record per entry, {@code 'N'} + name length (4 bytes) + name (UTF-8) + key, written and
 * deleted in the same batches as the entry. A store written before the index existed has no
 * {@code 'X'} record: the first holder builds the index (one scan) and writes it; until then a listing
 * by name scans.
 */
final class NameIndex {
    static final byte NAME = 'N';
    static final byte[] BUILT_KEY = {'X'};
    private static final int BATCH = 10_000;

    private NameIndex() {}

    static byte[] prefix(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + n.length).put(NAME).putInt(n.length).put(n).array();
    }

    static byte[] key(String name, Key key) {
        byte[] p = prefix(name);
        byte[] out = Arrays.copyOf(p, p.length + Key.LENGTH);
        System.arraycopy(key.bytes(), 0, out, p.length, Key.LENGTH);
        return out;
    }

    /** Indexes {@code key} under {@code name}, dropping the old name's record if it had another. */
    static void put(WriteBatch b, Key key, String name, String oldName) throws RocksDBException {
        if (oldName != null && !oldName.equals(name)) {
            b.delete(key(oldName, key));
        }
        b.put(key(name, key), new byte[0]);
    }

    static void delete(WriteBatch b, Key key, String name) throws RocksDBException {
        b.delete(key(name, key));
    }

    static boolean isBuilt(RocksDB db) throws RocksDBException {
        byte[] v = db.get(BUILT_KEY);
        return v != null && v.length == 2 && v[0] == Records.FORMAT && v[1] == 1;
    }

    /** Builds the index of a store that has none (the holder, at open). */
    static void buildIfMissing(RocksDB db, WriteOptions w) throws RocksDBException {
        if (isBuilt(db)) {
            return;
        }
        WriteBatch b = new WriteBatch();
        try (RocksIterator it = db.newIterator()) {
            int n = 0;
            for (it.seek(new byte[] {Records.INFO}); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length == 0 || k[0] != Records.INFO) {
                    break;
                }
                Records.Info info = Records.decodeInfo(it.value());
                if (k.length != 1 + Key.LENGTH || info == null) {
                    continue;
                }
                b.put(key(info.name(), Key.of(Arrays.copyOfRange(k, 1, k.length))), new byte[0]);
                if (++n % BATCH == 0) {
                    db.write(w, b);
                    b.close();
                    b = new WriteBatch();
                }
            }
            b.put(BUILT_KEY, new byte[] {Records.FORMAT, 1});
            db.write(w, b);
        } finally {
            b.close();
        }
    }

    /** The keys indexed under {@code name}, in key order. */
    static List<Key> keys(RocksDB db, String name) {
        byte[] p = prefix(name);
        List<Key> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(p); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length != p.length + Key.LENGTH || !Arrays.equals(k, 0, p.length, p, 0, p.length)) {
                    if (k.length < p.length || !Arrays.equals(k, 0, p.length, p, 0, p.length)) {
                        break;
                    }
                    continue;
                }
                out.add(Key.of(Arrays.copyOfRange(k, p.length, k.length)));
            }
        }
        return out;
    }
}
