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
    private final Path journalDir;
    /** This process's journal: its commits while another process holds the store. */
    final Journal journal;

    EntryRecords(StoreDirectory dir, Journal journal, DbHandle handle, Totals totals, BlobFiles blobs,
            UsageStats stats, Evictor evictor, long maxBytes) {
        this.journalDir = dir.journal;
        this.journal = journal;
        this.handle = handle;
        this.totals = totals;
        this.blobs = blobs;
        this.stats = stats;
        this.evictor = evictor;
        this.maxBytes = maxBytes;
    }

    /**
     * Makes an entry visible atomically (replacing an older one under the key), then evicts if over the
     * cap. If another process holds the store, the entry goes to this process's {@link Journal} instead
     * of waiting: committed all the same, and applied by the holder.
     */
    void commit(Key key, byte[] manifest, EntryMetadata md, List<PayloadSink> sinks) {
        List<Path> moved = new ArrayList<>();
        try {
            long now = System.currentTimeMillis();
            // Direct: blob files are renamed in while the store is held, so cleanup (which holds it too)
            // never sees them between rename and batch.
            boolean direct = handle.tryWritableDb(db -> {
                totals.lock();
                try {
                    applyLocked(db, key, entry(manifest, md, sinks, moved), now, null, 0);
                    moved.clear();
                    evictIfOver(db);
                } finally {
                    totals.unlock();
                }
                return null;
            });
            if (!direct) {
                // Journaled: the journal file exists (and is locked) before the rename, so cleanup in any
                // process spares young blobs meanwhile; see BlobFiles.deleteUnreferenced.
                journal.commit(key, now, () -> Records.encodeEntry(entry(manifest, md, sinks, moved)));
                moved.clear();
                if (journal.pendingCount() > PENDING_PRUNE) {
                    // forget what the holder has applied (as the follower's view shows), so memory stays bounded
                    handle.withReadableDb(db -> {
                        prunePending(db);
                        return null;
                    });
                }
            }
        } finally {
            for (Path p : moved) {
                try {
                    Files.deleteIfExists(p);
                } catch (java.io.IOException e) {
                    // an unreferenced blob is removed by a later cleanup
                }
            }
        }
    }

    /** The entry record, renaming large payloads' temp files into blobs/ (listed in {@code moved}). */
    private Records.Entry entry(byte[] manifest, EntryMetadata md, List<PayloadSink> sinks, List<Path> moved)
            throws java.io.IOException {
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
        return new Records.Entry(new Records.Info(md.name(), md.createdMillis(), md.computeNanos(), size, blobIds),
                manifest, payloads);
    }

    /**
     * Writes one entry's records, the new totals and, for a journal's record, how far that journal is
     * applied, in one batch; called with the totals locked. Blob files of a replaced entry are deleted
     * after (those the new record shares with it are kept: a journal record may be applied twice).
     */
    void applyLocked(RocksDB db, Key key, Records.Entry entry, long nowMillis, byte[] journalKey, long journalOffset)
            throws RocksDBException {
        Records.Info old = Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key)));
        // statistics exist only beside an entry (recordHit never creates them), so a new key needs no read
        Records.Stats oldStats = old == null ? null : Records.decodeStats(db.get(Records.dbKey(Records.STATS, key)));
        Records.Info info = entry.info();
        Records.Stats st = new Records.Stats(oldStats == null ? 0 : oldStats.hits(),
                oldStats == null ? 0 : oldStats.savedNanos(), nowMillis);
        Records.Global global = totals.get();
        Records.Global g = new Records.Global(global.entries() + (old == null ? 1 : 0),
                global.bytes() + info.sizeBytes() - (old == null ? 0 : old.sizeBytes()), global.hits(),
                global.misses(), global.savedNanos());
        try (WriteBatch b = new WriteBatch()) {
            b.put(Records.dbKey(Records.ENTRY, key), Records.encodeEntry(entry));
            b.put(Records.dbKey(Records.INFO, key), Records.encodeInfo(info));
            b.put(Records.dbKey(Records.STATS, key), Records.encodeStats(st));
            b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
            NameIndex.put(b, key, info.name(), old == null ? null : old.name());
            if (journalKey != null) {
                b.put(journalKey, Journal.encodeOffset(journalOffset));
            }
            db.write(handle.writeOptions(), b);
        }
        totals.set(g);
        if (old != null) {
            List<byte[]> gone = new ArrayList<>();
            for (byte[] id : old.blobIds()) {
                if (info.blobIds().stream().noneMatch(n -> java.util.Arrays.equals(n, id))) {
                    gone.add(id);
                }
            }
            blobs.delete(key, gone);
        }
    }

    private void evictIfOver(RocksDB db) throws RocksDBException {
        if (totals.get().bytes() > maxBytes) {
            evictor.evictLocked(db, maxBytes);
        }
    }

    /**
     * Applies every journal (this process's and others', live or dead) as far as it is complete; deletes
     * the journals of processes that are gone once applied, and retires this process's own. The DB must
     * be held. Returns whether anything was applied.
     */
    synchronized boolean applyJournals(RocksDB db) throws RocksDBException {
        boolean any = false;
        List<Path> files = Journal.list(journalDir);
        // after listing: a journal this process creates meanwhile is not in the list, and its own must
        // never be probed for its lock (closing the probe would drop this process's lock on it)
        Path own = journal.file();
        for (Path f : files) {
            boolean mine = f.equals(own);
            boolean gone = !mine && Journal.ownerGone(f); // before reading: a gone owner's file is final
            byte[] jk = Journal.appliedKey(f);
            long from = Journal.decodeOffset(db.get(jk));
            long end = from;
            long size;
            try {
                size = Files.size(f);
            } catch (java.io.IOException e) {
                continue; // deleted meanwhile by another holder
            }
            if (size > from) {
                List<Journal.Frame> frames = journal.read(f, from);
                if (!frames.isEmpty()) {
                    totals.lock();
                    try {
                        for (Journal.Frame fr : frames) {
                            applyLocked(db, fr.key(), fr.entry(), fr.committedMillis(), jk, fr.end());
                        }
                        evictIfOver(db);
                    } finally {
                        totals.unlock();
                    }
                    end = frames.get(frames.size() - 1).end();
                    any = true;
                }
            }
            if (gone) {
                // the file first: a leftover record for a missing file is harmless, a file without its
                // record would be applied again from the start
                try {
                    Files.deleteIfExists(f);
                } catch (java.io.IOException e) {
                    continue;
                }
                db.delete(handle.writeOptions(), jk);
            } else if (mine && !journal.retireIfApplied(end)) {
                journal.applied(f, end);
            } else if (mine) {
                db.delete(handle.writeOptions(), jk);
            }
        }
        return any;
    }

    /** Whether any journal file exists (cheap: one directory listing). */
    boolean journalsExist() {
        return !Journal.list(journalDir).isEmpty();
    }

    /** The newest unapplied journal record of {@code key} as of the state {@code db} shows, or null. */
    private Records.Entry fromJournals(RocksDB db, Key key) throws RocksDBException {
        Records.Entry found = null;
        Path own = journal.file();
        for (Path f : Journal.list(journalDir)) {
            if (f.equals(own)) {
                continue; // this process's own commits are in journal.pending
            }
            long from = Journal.decodeOffset(db.get(Journal.appliedKey(f)));
            for (Journal.Frame fr : journal.read(f, from)) {
                if (fr.key().equals(key)) {
                    found = fr.entry();
                }
            }
        }
        return found;
    }

    /**
     * The entry under {@code key}, its blob files mapped and its key pinned until the entry is closed.
     * Read through the follower (another process holds the store), a blob may be deleted by the holder
     * between reading the record and mapping the file (the entry was replaced or evicted just then):
     * the read is then repeated on the newer state, so that only a file missing from an entry that
     * still names it counts as damage.
     */
    Optional<RocksEntry> open(Key key, SharedStore owner) {
        blobs.pin(key);
        RocksEntry entry = null;
        try {
            for (int attempt = 0; entry == null; attempt++) {
                boolean retry = attempt < FOLLOWER_RETRIES;
                // after that many, the store itself decides (a missing file there is damage)
                Object got = (retry ? handle.<Object>withReadableDbCall() : handle.<Object>withDbCall()).apply(db -> {
                    Records.Entry rec = find(db, key);
                    if (rec == null) {
                        return null;
                    }
                    Records.Stats st = Records.decodeStats(db.get(Records.dbKey(Records.STATS, key)));
                    Map<String, OpenPayload> buffers = new LinkedHashMap<>();
                    for (Records.Payload p : rec.payloads()) {
                        OpenPayload b = p.inline() != null
                                ? new OpenPayload.Bytes(ByteBuffer.wrap(p.inline()).asReadOnlyBuffer(), null)
                                : blobs.map(key, p);
                        if (b instanceof OpenPayload.Unreadable && retry && handle.isFollower(db)) {
                            handle.catchUpForThisRead();
                            journal.forget(key);
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
    /** Past this many own commits not known to be applied, a commit checks what the holder applied. */
    private static final int PENDING_PRUNE = 1000;

    private void prunePending(RocksDB db) throws RocksDBException {
        Path own = journal.file();
        if (own != null && handle.isFollower(db)) {
            journal.applied(own, Journal.decodeOffset(db.get(Journal.appliedKey(own))));
        }
    }
    /** Reads through the follower repeated when a blob vanished under them (see {@link #open}). */
    private static final int FOLLOWER_RETRIES = 5;

    boolean contains(Key key) {
        return handle.withReadableDb(db -> Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key))) != null
                || find(db, key) != null);
    }

    /**
     * The entry record of {@code key}: from the DB, else (committed by a process whose journal is not
     * applied yet) from the journals. The holder applies them then; a follower reads them.
     */
    private Records.Entry find(RocksDB db, Key key) throws RocksDBException {
        Records.Entry rec = Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, key)));
        if (rec != null) {
            return rec;
        }
        if (!handle.isFollower(db)) {
            return journalsExist() && applyJournals(db)
                    ? Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, key))) : null;
        }
        rec = journal.pending(key);
        if (rec != null) {
            return rec;
        }
        rec = fromJournals(db, key);
        if (rec == null && handle.catchUpForThisRead()) {
            prunePending(db);
            rec = Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, key)));
            if (rec == null) {
                rec = fromJournals(db, key);
            }
        }
        return rec;
    }

    boolean remove(Key key) {
        return handle.withWritableDb(db -> {
            applyJournals(db); // a commit still in a journal must not come back after the removal
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
                    deleteRecords(b, key, old.name());
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

    /** The entries named {@code name}, through the name index (a store not indexed yet is scanned). */
    List<EntryInfo> list(String name) {
        return handle.withReadableDb(db -> {
            if (!handle.isFollower(db)) {
                stats.apply(db);
            }
            if (!NameIndex.isBuilt(db)) {
                return scan(db, null).values().stream().filter(e -> e.name().equals(name)).toList();
            }
            List<EntryInfo> out = new ArrayList<>();
            for (Key key : NameIndex.keys(db, name)) {
                Records.Info i = Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key)));
                if (i != null && i.name().equals(name)) {
                    out.add(info(key, i, Records.decodeStats(db.get(Records.dbKey(Records.STATS, key)))));
                }
            }
            return out;
        });
    }

    static void deleteRecords(WriteBatch b, Key key, String name) throws RocksDBException {
        NameIndex.delete(b, key, name);
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
