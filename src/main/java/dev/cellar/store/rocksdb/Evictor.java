package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.Eviction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Eviction (the order is {@link Eviction}'s, entries open in this process are spared) and the removal
 * of what killed processes left behind: temp files of dead writers and blob files no record references.
 */
final class Evictor {
    private final StoreDirectory dir;
    private final Journal journal;
    private final DbHandle handle;
    private final Totals totals;
    private final BlobFiles blobs;
    private final UsageStats stats;

    Evictor(StoreDirectory dir, Journal journal, DbHandle handle, Totals totals, BlobFiles blobs, UsageStats stats) {
        this.dir = dir;
        this.journal = journal;
        this.handle = handle;
        this.totals = totals;
        this.blobs = blobs;
        this.stats = stats;
    }

    /** Explicit eviction (gc): also recounts the totals and removes leftovers of killed processes. */
    List<EntryInfo> evictTo(long maxBytes) {
        List<EntryInfo> evicted = handle.withWritableDb(db -> {
            stats.apply(db);
            totals.lock();
            try {
                return evictLocked(db, maxBytes);
            } finally {
                totals.unlock();
            }
        });
        handle.exclusive(db -> {
            cleanup(db);
            return null;
        });
        return evicted;
    }

    /**
     * Called with the totals locked. Deletes records in one batch first, files after: a kill between
     * leaves only unreferenced files.
     */
    List<EntryInfo> evictLocked(RocksDB db, long maxBytes) throws RocksDBException {
        Map<Key, Records.Info> infos = new HashMap<>();
        Map<Key, EntryInfo> all = EntryRecords.scan(db, infos);
        long bytes = 0;
        for (EntryInfo e : all.values()) {
            bytes += e.sizeBytes();
        }
        List<EntryInfo> victims = blobs.withPins(
                pinned -> Eviction.victims(new ArrayList<>(all.values()), maxBytes, pinned));
        for (EntryInfo v : victims) {
            bytes -= v.sizeBytes();
        }
        Records.Global global = totals.get();
        Records.Global g = new Records.Global(all.size() - victims.size(), bytes, global.hits(), global.misses(),
                global.savedNanos());
        if (victims.isEmpty() && g.equals(global)) {
            return victims;
        }
        try (WriteBatch b = new WriteBatch()) {
            deleteSorted(b, victims);
            b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
            db.write(handle.writeOptions(), b);
        }
        totals.set(g);
        for (EntryInfo v : victims) {
            blobs.delete(v.key(), infos.get(v.key()).blobIds());
        }
        return victims;
    }

    /**
     * The victims' records, one kind at a time in key order: RocksDB inserts a batch into its memtable
     * much faster in ascending order (a gc of half a million entries deletes two million records).
     */
    private static void deleteSorted(WriteBatch b, List<EntryInfo> victims) throws RocksDBException {
        List<Key> keys = victims.stream().map(EntryInfo::key).sorted().toList();
        for (byte kind : new byte[] {Records.ENTRY, Records.INFO, Records.STATS}) {
            for (Key k : keys) {
                b.delete(Records.dbKey(kind, k));
            }
        }
        List<byte[]> names = new ArrayList<>(victims.size());
        for (EntryInfo v : victims) {
            names.add(NameIndex.key(v.name(), v.key()));
        }
        names.sort(java.util.Arrays::compareUnsigned);
        for (byte[] k : names) {
            b.delete(k);
        }
    }

    /**
     * Removes what killed processes left: temp files of dead writers, follower directories of dead
     * readers, and blob files that no record
     * references (renamed just before a commit that never happened, or left by an interrupted
     * eviction). Runs with the DB held exclusively and the process lock: no commit is between its
     * rename and its batch anywhere. Skips blobs entirely if some entry cannot be decoded (a newer
     * cellar's), since its blobs cannot be told apart.
     */
    void cleanup(RocksDB db) {
        dir.cleanTemp();
        FollowerDirs.sweep(dir.root, handle::followerDir);
        try {
            Map<Key, Records.Info> infos = new HashMap<>();
            EntryScan.scan(db, infos, false);
            Set<String> referenced = new HashSet<>();
            for (Records.Info i : infos.values()) {
                if (i == null) {
                    return;
                }
                for (byte[] id : i.blobIds()) {
                    referenced.add(BlobFiles.hex(id));
                }
            }
            List<java.nio.file.Path> journals = Journal.list(dir.journal);
            for (java.nio.file.Path f : journals) {
                // commits not applied yet (from where the journal's applied record says)
                for (Journal.Frame fr : journal.read(f, Journal.decodeOffset(db.get(Journal.appliedKey(f))))) {
                    for (byte[] id : fr.entry().info().blobIds()) {
                        referenced.add(BlobFiles.hex(id));
                    }
                }
            }
            blobs.deleteUnreferenced(referenced, () -> !Journal.list(dir.journal).isEmpty());
        } catch (IOException | RocksDBException | RuntimeException e) {
            // best effort: leftovers waste space, they never make an entry wrong
        }
    }
}
