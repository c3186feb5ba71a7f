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
    /** This process's journal: its commits while another process holds the store. */
    final Journal journal;
    /** Applies and reads every process's journal. */
    final JournalApplier journals;

    EntryRecords(StoreDirectory dir, Journal journal, DbHandle handle, Totals totals, BlobFiles blobs,
            UsageStats stats, Evictor evictor, long maxBytes) {
        this.journal = journal;
        this.journals = new JournalApplier(dir.journal, journal, handle, totals, this);
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
                    applyLocked(db, List.of(new Journal.Frame(key, now, entry(manifest, md, sinks, moved), 0)), null);
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
                        journals.prunePending(db);
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
     * Writes the records of {@code frames} (commits, in order), the new totals and, for frames read
     * from a journal, how far that journal is applied ({@code journalKey}: up to the last frame's end),
     * in one batch; called with the totals locked. One batch for many frames is what makes applying
     * other processes' journals cheap (one log write, one lookup of every key at once). Blob files of a
     * replaced entry are deleted after (those the new record shares with it are kept: a journal record
     * may be applied twice).
     */
    void applyLocked(RocksDB db, List<Journal.Frame> frames, byte[] journalKey) throws RocksDBException {
        List<byte[]> infoKeys = new ArrayList<>(frames.size());
        for (Journal.Frame f : frames) {
            infoKeys.add(Records.dbKey(Records.INFO, f.key()));
        }
        // One key (every direct commit): a get, which for an absent key probes the same filters as
        // multiGet without its per-call set-up (sorting, contexts, arrays of results across JNI).
        List<byte[]> olds = infoKeys.size() == 1 ? java.util.Collections.singletonList(db.get(DbOptions.READ,
                infoKeys.get(0))) : db.multiGetAsList(DbOptions.READ, infoKeys);
        Map<Key, Records.Info> current = new java.util.HashMap<>();
        Map<Key, Records.Stats> stats = new java.util.HashMap<>();
        List<byte[]> statKeys = new ArrayList<>();
        List<Key> withStats = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            Records.Info old = Records.decodeInfo(olds.get(i));
            Key k = frames.get(i).key();
            if (old != null && current.putIfAbsent(k, old) == null) {
                // statistics exist only beside an entry (recordHit never creates them): a new key needs no read
                statKeys.add(Records.dbKey(Records.STATS, k));
                withStats.add(k);
            }
        }
        List<byte[]> oldStats = statKeys.isEmpty() ? List.of() : db.multiGetAsList(DbOptions.READ, statKeys);
        for (int i = 0; i < withStats.size(); i++) {
            stats.put(withStats.get(i), Records.decodeStats(oldStats.get(i)));
        }
        Records.Global g = totals.get();
        Map<Key, List<byte[]>> replaced = new LinkedHashMap<>();
        try (WriteBatch b = new WriteBatch()) {
            for (Journal.Frame f : frames) {
                Records.Info old = current.get(f.key());
                Records.Stats os = stats.get(f.key());
                Records.Info info = f.entry().info();
                g = new Records.Global(g.entries() + (old == null ? 1 : 0),
                        g.bytes() + info.sizeBytes() - (old == null ? 0 : old.sizeBytes()), g.hits(), g.misses(),
                        g.savedNanos());
                b.put(Records.dbKey(Records.ENTRY, f.key()), Records.encodeEntry(f.entry()));
                b.put(Records.dbKey(Records.INFO, f.key()), Records.encodeInfo(info));
                b.put(Records.dbKey(Records.STATS, f.key()), Records.encodeStats(new Records.Stats(
                        os == null ? 0 : os.hits(), os == null ? 0 : os.savedNanos(), f.committedMillis())));
                NameIndex.put(b, f.key(), info.name(), old == null ? null : old.name());
                if (old != null) {
                    List<byte[]> gone = replaced.computeIfAbsent(f.key(), k -> new ArrayList<>());
                    gone.addAll(old.blobIds());
                }
                current.put(f.key(), info);
            }
            b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
            if (journalKey != null) {
                b.put(journalKey, Journal.encodeOffset(frames.get(frames.size() - 1).end()));
            }
            db.write(handle.writeOptions(), b);
        }
        totals.set(g);
        for (Map.Entry<Key, List<byte[]>> r : replaced.entrySet()) {
            List<byte[]> kept = current.get(r.getKey()).blobIds();
            List<byte[]> gone = new ArrayList<>();
            for (byte[] id : r.getValue()) {
                if (kept.stream().noneMatch(n -> java.util.Arrays.equals(n, id))) {
                    gone.add(id);
                }
            }
            blobs.delete(r.getKey(), gone);
        }
    }

    void evictIfOver(RocksDB db) throws RocksDBException {
        if (totals.get().bytes() > maxBytes) {
            evictor.evictLocked(db, maxBytes);
        }
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
            Records.Entry own = journal.pending(key);
            if (own != null) {
                // this process's own commit, not known to be applied yet: read from memory, without asking
                // the follower (which would catch up with the holder's writes for nothing)
                entry = build(key, own, owner, true);
                if (entry == null) {
                    journal.forget(key); // replaced or removed since: the store decides below
                }
            }
            for (int attempt = 0; entry == null; attempt++) {
                boolean retry = attempt < FOLLOWER_RETRIES;
                // after that many, the store itself decides (a missing file there is damage)
                Object got = (retry ? handle.<Object>withReadableDbCall() : handle.<Object>withDbCall()).apply(db -> {
                    Records.Entry rec = find(db, key);
                    if (rec == null) {
                        return null;
                    }
                    RocksEntry e = build(key, rec, owner, retry && handle.isFollower(db));
                    if (e == null) {
                        handle.catchUpForThisRead();
                        journal.forget(key);
                        return RETRY;
                    }
                    return e;
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

    /** The entry of {@code rec} with its blobs mapped, or null if one is gone and {@code nullIfGone}. */
    private RocksEntry build(Key key, Records.Entry rec, SharedStore owner, boolean nullIfGone) {
        Map<String, OpenPayload> buffers = new LinkedHashMap<>();
        for (Records.Payload p : rec.payloads()) {
            OpenPayload b = p.inline() != null
                    ? new OpenPayload.Bytes(ByteBuffer.wrap(p.inline()).asReadOnlyBuffer(), null)
                    : blobs.map(key, p);
            if (b instanceof OpenPayload.Unreadable && nullIfGone) {
                return null;
            }
            buffers.put(p.name(), b);
        }
        return new RocksEntry(owner, key, () -> info(key, rec.info(), statsOf(key)), rec.manifest(), buffers);
    }

    /** The statistics of {@code key} as the store shows them now (none if it cannot be read). */
    private Records.Stats statsOf(Key key) {
        try {
            return handle.withReadableDb(db -> Records.decodeStats(db.get(Records.dbKey(Records.STATS, key))));
        } catch (RuntimeException e) {
            return null; // closed, or unreadable: statistics only
        }
    }

    private static final Object RETRY = new Object();
    /** Past this many own commits not known to be applied, a commit checks what the holder applied. */
    private static final int PENDING_PRUNE = 1000;

    /** Reads through the follower repeated when a blob vanished under them (see {@link #open}). */
    private static final int FOLLOWER_RETRIES = 5;

    boolean contains(Key key) {
        return journal.pending(key) != null
                || handle.withReadableDb(db -> Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key))) != null
                || find(db, key) != null);
    }

    /**
     * The entry record of {@code key}: from the DB, else (committed by a process whose journal is not
     * applied yet) from the journals. The holder applies them then; a follower reads them.
     */
    private Records.Entry find(RocksDB db, Key key) throws RocksDBException {
        Records.Entry rec = readEntry(db, key);
        if (rec != null) {
            return rec;
        }
        if (!handle.isFollower(db)) {
            return journals.exist() && journals.apply(db)
                    ? Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, key))) : null;
        }
        rec = journal.pending(key);
        if (rec != null) {
            return rec;
        }
        rec = journals.find(db, key);
        if (rec == null && handle.catchUpForThisRead()) {
            journals.prunePending(db);
            rec = Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, key)));
            if (rec == null) {
                rec = journals.find(db, key);
            }
        }
        return rec;
    }

    /**
     * Per thread, the buffer an entry record is read into: its decoding copies everything out, so a new
     * array per read (RocksDB's {@code get} returning one) was only garbage, a twelfth of a small pair's.
     */
    private static final ThreadLocal<byte[]> RECORD_BUFFERS = ThreadLocal.withInitial(() -> new byte[16 << 10]);

    /** The entry record of {@code key} in {@code db}, or null; a record larger than the buffer is read whole. */
    private static Records.Entry readEntry(RocksDB db, Key key) throws RocksDBException {
        byte[] k = Records.dbKey(Records.ENTRY, key);
        byte[] buf = RECORD_BUFFERS.get();
        int n = db.get(DbOptions.READ, k, buf);
        if (n == RocksDB.NOT_FOUND) {
            return null;
        }
        return n <= buf.length ? Records.decodeEntry(buf, n) : Records.decodeEntry(db.get(DbOptions.READ, k));
    }

    boolean remove(Key key) {
        return handle.withWritableDb(db -> {
            journals.apply(db); // a commit still in a journal must not come back after the removal
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

    /** Every readable entry with its statistics (see {@link EntryScan}). */
    static Map<Key, EntryInfo> scan(RocksDB db, Map<Key, Records.Info> infos) throws RocksDBException {
        return EntryScan.scan(db, infos, true);
    }

    static EntryInfo info(Key key, Records.Info i, Records.Stats st) {
        return new EntryInfo(key, i.name(), i.sizeBytes(), i.createdMillis(),
                st == null ? i.createdMillis() : st.lastUsedMillis(), i.computeNanos(),
                st == null ? 0 : st.hits(), st == null ? 0 : st.savedNanos());
    }
}
