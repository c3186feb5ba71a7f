package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The entries of one store as RocksDB records: per entry an entry record (metadata, manifest, inline
 * payloads and blob ids), an info record (for listing and eviction) and a statistics record, plus the
 * store-wide totals. Commit moves large payloads into blob files first, then makes the entry visible
 * in one write batch; removal deletes the records in one batch first and the files after. A process
 * killed at any point leaves the old state or the new one, plus at most unreferenced files.
 */
final class EntryRecords {
    private final DbHandle handle;
    private final Totals totals;
    private final BlobFiles blobs;
    private final UsageStats stats;
    private final Evictor evictor;
    private final long maxBytes;

    EntryRecords(DbHandle handle, Totals totals, BlobFiles blobs, UsageStats stats, Evictor evictor, long maxBytes) {
        this.handle = handle;
        this.totals = totals;
        this.blobs = blobs;
        this.stats = stats;
        this.evictor = evictor;
        this.maxBytes = maxBytes;
    }

    /** Makes an entry visible atomically (replacing an older one under the key), then evicts if over the cap. */
    void commit(Key key, byte[] manifest, EntryMetadata md, List<PayloadSink> sinks) {
        handle.withWritableDb(db -> {
            totals.lock();
            List<Path> moved = new ArrayList<>();
            try {
                Records.Info old = Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key)));
                // statistics exist only beside an entry (recordHit never creates them), so a new key needs no read
                Records.Stats oldStats = old == null ? null
                        : Records.decodeStats(db.get(Records.dbKey(Records.STATS, key)));
                List<Records.Payload> payloads = new ArrayList<>(sinks.size());
                List<byte[]> blobIds = new ArrayList<>();
                long size = manifest.length;
                for (PayloadSink s : sinks) {
                    size += s.length();
                    byte[] inline = s.inlineBytes();
                    if (inline != null) {
                        payloads.add(new Records.Payload(s.name, inline.length, inline, null));
                    } else {
                        byte[] id = blobs.moveIn(s.tempFile(), moved);
                        blobIds.add(id);
                        payloads.add(new Records.Payload(s.name, s.length(), null, id));
                    }
                }
                long now = System.currentTimeMillis();
                Records.Info info = new Records.Info(md.name(), md.createdMillis(), md.computeNanos(), size, blobIds);
                Records.Stats st = new Records.Stats(oldStats == null ? 0 : oldStats.hits(),
                        oldStats == null ? 0 : oldStats.savedNanos(), now);
                Records.Global global = totals.get();
                Records.Global g = new Records.Global(global.entries() + (old == null ? 1 : 0),
                        global.bytes() + size - (old == null ? 0 : old.sizeBytes()), global.hits(), global.misses(),
                        global.savedNanos());
                try (WriteBatch b = new WriteBatch()) {
                    b.put(Records.dbKey(Records.ENTRY, key), Records.encodeEntry(new Records.Entry(info, manifest, payloads)));
                    b.put(Records.dbKey(Records.INFO, key), Records.encodeInfo(info));
                    b.put(Records.dbKey(Records.STATS, key), Records.encodeStats(st));
                    b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
                    db.write(handle.writeOptions(), b);
                }
                totals.set(g);
                moved.clear();
                if (old != null) {
                    blobs.delete(key, old.blobIds());
                }
                if (g.bytes() > maxBytes) {
                    evictor.evictLocked(db, maxBytes);
                }
                return null;
            } finally {
                for (Path p : moved) {
                    Files.deleteIfExists(p);
                }
                totals.unlock();
            }
        });
    }

    /**
     * The entry under {@code key}, its blob files mapped and its key pinned until the entry is closed.
     * Read through the follower (another process holds the store), a blob may be deleted by the holder
     * between reading the record and mapping the file (the entry was replaced or evicted just then):
     * the read is then repeated once on the newer state, so that only a file missing from an entry that
     * still exists counts as damage.
     */
    Optional<RocksEntry> open(Key key, SharedStore owner) {
        blobs.pin(key);
        RocksEntry entry = null;
        try {
            for (int attempt = 0; entry == null; attempt++) {
                boolean retry = attempt == 0;
                Object got = handle.withReadableDb(db -> {
                    Records.Entry rec = Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, key)));
                    if (rec == null) {
                        return null;
                    }
                    Records.Stats st = Records.decodeStats(db.get(Records.dbKey(Records.STATS, key)));
                    Map<String, OpenPayload> buffers = new LinkedHashMap<>();
                    for (Records.Payload p : rec.payloads()) {
                        OpenPayload b = p.inline() != null
                                ? new OpenPayload.Bytes(ByteBuffer.wrap(p.inline()).asReadOnlyBuffer())
                                : blobs.map(key, p);
                        if (b instanceof OpenPayload.Unreadable && retry && handle.isFollower(db)) {
                            return RETRY;
                        }
                        buffers.put(p.name(), b);
                    }
                    return new RocksEntry(owner, info(key, rec.info(), st), rec.manifest(), buffers);
                });
                if (got == null) {
                    break;
                }
                if (got instanceof RocksEntry e) {
                    entry = e;
                }
            }
            return Optional.ofNullable(entry);
        } finally {
            if (entry == null) {
                blobs.unpin(key);
            }
        }
    }

    private static final Object RETRY = new Object();

    boolean contains(Key key) {
        return handle.withReadableDb(db -> Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key))) != null);
    }

    boolean remove(Key key) {
        return handle.withWritableDb(db -> {
            totals.lock();
            try {
                Records.Info old = Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key)));
                if (old == null) {
                    return false;
                }
                Records.Global global = totals.get();
                Records.Global g = new Records.Global(global.entries() - 1, global.bytes() - old.sizeBytes(),
                        global.hits(), global.misses(), global.savedNanos());
                try (WriteBatch b = new WriteBatch()) {
                    deleteRecords(b, key);
                    b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
                    db.write(handle.writeOptions(), b);
                }
                totals.set(g);
                blobs.delete(key, old.blobIds());
                return true;
            } finally {
                totals.unlock();
            }
        });
    }

    /** Every entry; read through the follower, the hit counts this process has not written yet are left out. */
    List<EntryInfo> list() {
        return handle.withReadableDb(db -> {
            if (!handle.isFollower(db)) {
                stats.apply(db);
            }
            return new ArrayList<>(scan(db, null).values());
        });
    }

    static void deleteRecords(WriteBatch b, Key key) throws RocksDBException {
        b.delete(Records.dbKey(Records.ENTRY, key));
        b.delete(Records.dbKey(Records.INFO, key));
        b.delete(Records.dbKey(Records.STATS, key));
    }

    /**
     * Every readable entry in key order. {@code infos}, if given, receives the decoded info records;
     * if an info record cannot be decoded (a newer cellar's entry) its key maps to null there.
     */
    static Map<Key, EntryInfo> scan(RocksDB db, Map<Key, Records.Info> infos) throws RocksDBException {
        Map<Key, EntryInfo> out = new LinkedHashMap<>();
        try (RocksIterator it = db.newIterator()) {
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
                    Records.Stats st = Records.decodeStats(db.get(Records.dbKey(Records.STATS, key)));
                    out.put(key, info(key, info, st));
                }
            }
        }
        return out;
    }

    private static EntryInfo info(Key key, Records.Info i, Records.Stats st) {
        return new EntryInfo(key, i.name(), i.sizeBytes(), i.createdMillis(),
                st == null ? i.createdMillis() : st.lastUsedMillis(), i.computeNanos(),
                st == null ? 0 : st.hits(), st == null ? 0 : st.savedNanos());
    }
}
