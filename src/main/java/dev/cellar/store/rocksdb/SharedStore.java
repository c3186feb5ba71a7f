package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoreStats;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * One store directory as seen by this JVM: every {@link RocksDataStore} on the directory shares it,
 * because POSIX locks are per process. It binds the directory's {@link StoreOptions} once (a second
 * open with other options is an error, not silently ignored) and wires the parts, each with one job:
 * {@link DbHandle} (open, hand over, release and reopen RocksDB), {@link EntryRecords} (commit, open,
 * remove and list entries), {@link UsageStats} (batched hit and miss counts), {@link BlobFiles} (large
 * payload files, pins and deferred deletes) and {@link Evictor} (eviction and leftovers of killed
 * processes).
 *
 * <p>Lock order: the DB handle, then the {@link Totals}, then the pins.
 *
 * <p>Durability: records go through RocksDB's write-ahead log without fsync and blob files are not
 * fsynced. A killed process loses nothing that was committed (the kernel holds the written pages). A
 * machine crash may lose recent entries, or leave a record whose blob is short or holds stale pages:
 * the recorded length makes a short blob an error on read, and the core's checksum of every payload
 * turns wrong bytes into a miss; it is never returned as a value. Fsyncing every 800 MB blob would
 * double the cost of a store for a protection a cache does not need.
 */
final class SharedStore implements DbHandle.Lifecycle {
    private static final Map<Path, SharedStore> OPEN = new HashMap<>();

    final StoreDirectory dir;
    final StoreOptions options;
    /** All null for a directory of a newer format, which is read as empty and never opened. */
    private final DbHandle handle;
    private final Totals totals = new Totals();
    private final BlobFiles blobs;
    private final UsageStats stats;
    private final Evictor evictor;
    private final EntryRecords records;
    private boolean tempCleaned;
    /** How often the holder looks for journals of other processes to apply. */
    private static final long JOURNAL_CHECK_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10);
    private volatile long journalsCheckedNanos;
    private int refs;

    private SharedStore(StoreDirectory dir, StoreOptions options) {
        this.dir = dir;
        this.options = options;
        if (dir.isNewer()) {
            handle = null;
            blobs = null;
            stats = null;
            evictor = null;
            records = null;
        } else {
            handle = new DbHandle(dir, options.idleRelease(), options.lockTimeout(), this);
            blobs = new BlobFiles(dir);
            stats = new UsageStats(handle, totals);
            Journal journal = new Journal(dir.journal);
            evictor = new Evictor(dir, journal, handle, totals, blobs, stats);
            records = new EntryRecords(dir, journal, handle, totals, blobs, stats, evictor, options.maxBytes());
        }
    }

    /**
     * The shared state of {@code dir}, opened with {@code options} if this JVM has not opened it yet.
     *
     * @throws StoreException if this JVM has the directory open with other options: the cap, the lock
     *     timeout and the idle release belong to the directory, and silently keeping the first opener's
     *     would make the second opener's settings a lie
     */
    static SharedStore acquire(StoreDirectory dir, StoreOptions options) {
        synchronized (OPEN) {
            SharedStore s = OPEN.get(dir.root);
            if (s == null) {
                s = new SharedStore(dir, options);
                OPEN.put(dir.root, s);
            } else if (!s.options.equals(options)) {
                throw new StoreException("store " + dir.root + " is already open in this process with " + s.options
                        + "; it cannot be opened again with " + options + " (options belong to the directory:"
                        + " open it with the same options, or close the other handle first)");
            }
            s.refs++;
            return s;
        }
    }

    void unref() {
        synchronized (OPEN) {
            if (--refs > 0) {
                return;
            }
            OPEN.remove(dir.root);
        }
        if (handle != null) {
            if (stats.pending()) {
                try {
                    // a process that only read never held the store: its counts are written now
                    handle.withDb(db -> {
                        stats.apply(db);
                        return null;
                    });
                } catch (StoreException e) {
                    // statistics only: another process kept the store past the timeout
                }
            }
            handle.close();
            records.journal.close(); // unapplied commits stay in the file for the next holder
        }
    }

    boolean isNewer() {
        return dir.isNewer();
    }

    // ---- the database's life (called by the handle) ---------------------------------------------

    @Override
    public void opened(RocksDB db) throws RocksDBException {
        totals.load(db);
        stats.apply(db); // counts left from before the last release
        records.journals.apply(db);
        if (!tempCleaned) {
            tempCleaned = true;
            dir.cleanTemp(); // temp files of dead writers: one directory, cheap
            FollowerDirs.sweep(dir.root, handle::followerDir); // and killed readers' follower directories
        }
        // Leftover blob files (a holder killed between renaming them in and its batch) need a scan of
        // every entry: only after a holder did not release cleanly, never on an ordinary open.
        boolean clean = Records.isClean(db.get(Records.CLEAN_KEY));
        if (!handle.isReadOnly()) {
            db.put(handle.writeOptions(), Records.CLEAN_KEY, Records.encodeClean(false));
        }
        if (!clean) {
            evictor.cleanup(db);
        }
        if (!handle.isReadOnly()) {
            NameIndex.buildIfMissing(db, handle.writeOptions());
        }
    }

    @Override
    public void closing(RocksDB db) {
        try {
            records.journals.apply(db);
        } catch (RocksDBException | RuntimeException e) {
            // left for the next holder
        }
        stats.apply(db);
        if (!handle.isReadOnly()) {
            try {
                db.put(handle.writeOptions(), Records.CLEAN_KEY, Records.encodeClean(true));
            } catch (RocksDBException e) {
                // the next holder cleans up as after a kill
            }
        }
        totals.forget();
    }

    @Override
    public boolean periodicDue() {
        long now = System.nanoTime();
        if (now - journalsCheckedNanos > JOURNAL_CHECK_NANOS) {
            journalsCheckedNanos = now;
            if (records.journals.exist()) {
                return true;
            }
        }
        return stats.due();
    }

    @Override
    public boolean needsHolder() {
        return stats.due() || records.journal.file() != null;
    }

    @Override
    public void periodic(RocksDB db) {
        try {
            records.journals.apply(db);
        } catch (RocksDBException | RuntimeException e) {
            // applied at the next tick, or by the next holder
        }
        stats.apply(db);
    }

    // ---- operations ----------------------------------------------------------------------------

    void commit(Key key, byte[] manifest, EntryMetadata md, List<PayloadSink> sinks) {
        handle.checkWritable();
        records.commit(key, manifest, md, sinks);
    }

    /** Refuses writes to a store this process can only read (see {@link DbHandle#checkWritable}). */
    void checkWritable() {
        handle.checkWritable();
    }

    Optional<RocksEntry> open(Key key) {
        return records.open(key, this);
    }

    void unpin(Key key) {
        blobs.unpin(key);
    }

    boolean contains(Key key) {
        return records.contains(key);
    }

    boolean remove(Key key) {
        return records.remove(key);
    }

    List<EntryInfo> list() {
        return records.list();
    }

    List<EntryInfo> list(String name) {
        return records.list(name);
    }

    void recordHit(Key key, long savedNanos) {
        stats.recordHit(key, savedNanos);
    }

    void recordMiss() {
        stats.recordMiss();
    }

    StoreStats stats() {
        return stats.read();
    }

    List<EntryInfo> evictTo(long maxBytes) {
        handle.withWritableDb(db -> records.journals.apply(db));
        return evictor.evictTo(maxBytes);
    }
}
