package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.EntryInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Every entry's info and statistics records in one pass, for listing, eviction and cleanup. */
final class EntryScan {
    private EntryScan() {}

    /**
     * Every readable entry in key order. {@code infos}, if given, receives the decoded info records;
     * if an info record cannot be decoded (a newer cellar's entry) its key maps to null there. The
     * statistics come from a second iterator walking the statistics records alongside (same key order),
     * not from a lookup per entry: a million lookups cost a gc of a million entries seconds. Without
     * statistics if {@code withStats} is false.
     */
    static Map<Key, EntryInfo> scan(RocksDB db, Map<Key, Records.Info> infos, boolean withStats)
            throws RocksDBException {
        Map<Key, EntryInfo> out = new LinkedHashMap<>();
        try (RocksIterator it = db.newIterator(); RocksIterator st = withStats ? db.newIterator() : null) {
            if (st != null) {
                st.seek(new byte[] {Records.STATS});
            }
            for (it.seek(new byte[] {Records.INFO}); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length == 0 || k[0] != Records.INFO) {
                    break;
                }
                if (k.length != 1 + Key.LENGTH) {
                    continue;
                }
                byte[] kb = new byte[Key.LENGTH];
                System.arraycopy(k, 1, kb, 0, Key.LENGTH);
                Key key = Key.of(kb);
                Records.Info info = Records.decodeInfo(it.value());
                if (infos != null) {
                    infos.put(key, info);
                }
                if (info != null) {
                    out.put(key, EntryRecords.info(key, info, st == null ? null : statsAt(st, k)));
                }
            }
        }
        return out;
    }

    /** The statistics of info key {@code infoKey}, moving {@code st} forward over statistics records. */
    private static Records.Stats statsAt(RocksIterator st, byte[] infoKey) {
        byte[] want = infoKey.clone();
        want[0] = Records.STATS;
        for (; st.isValid(); st.next()) {
            byte[] k = st.key();
            if (k.length == 0 || k[0] != Records.STATS) {
                return null;
            }
            int c = java.util.Arrays.compareUnsigned(k, want);
            if (c == 0) {
                return Records.decodeStats(st.value());
            }
            if (c > 0) {
                return null;
            }
        }
        return null;
    }
}
