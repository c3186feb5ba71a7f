package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.Eviction;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoreStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One store directory as seen by this JVM (every {@link RocksDataStore} on the directory shares it,
 * because POSIX locks are per process). RocksDB is opened on demand under the {@link ProcessLock},
 * kept while this process is busy, and closed after {@code idleRelease} without use, or after a short
 * time slice when another process waits: several processes take turns, and nobody sees a lock error.
 *
 * <p>Locks, in order: {@code handle} (read: an operation uses the open DB; write: open or close it),
 * then {@code mutate} (one read-modify-write of records at a time), then {@code pins}.
 *
 * <p>Durability: records go through RocksDB's write-ahead log without fsync and blob files are not
 * fsynced. A killed process loses nothing that was committed (the kernel holds the written pages). A
 * machine crash may lose recent entries, or leave a record whose blob is short or holds stale pages:
 * the recorded length makes a short blob an error on read, and the core's checksum of every payload
 * turns wrong bytes into a miss; it is never returned as a value. Fsyncing every 800 MB blob would
 * double the cost of a store for a protection a cache does not need.
 */
final class SharedStore {
    private static final Map<Path, SharedStore> OPEN = new HashMap<>();
    private static final ScheduledExecutorService RELEASER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cellar-store-release");
        t.setDaemon(true);
        return t;
    });
    /** Once another process waits, hand over after at least this long: opening RocksDB costs milliseconds. */
    private static final long MIN_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    /** After handing over, wait this long before asking again, so that the waiter gets its turn. */
    private static final long YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final HexFormat HEX = HexFormat.of();

    static {
        RocksDB.loadLibrary();
    }

    final StoreDirectory dir;
    private final long idleReleaseNanos;
    private final ProcessLock processLock;
    private final ReentrantReadWriteLock handle = new ReentrantReadWriteLock();
    private final ReentrantLock mutate = new ReentrantLock();
    private final Map<Key, Integer> pins = new HashMap<>();
    private final Map<Key, List<Path>> deferredDeletes = new HashMap<>();
    private final ScheduledFuture<?> releaseTask;
    private volatile RocksDB db;
    private Options dbOptions;
    private WriteOptions writeOptions;
    private Records.Global global;
    private volatile long lastUseNanos;
    private volatile long acquiredNanos;
    private volatile long handedOverNanos;
    /**
     * Set when a write failed or the database could only be opened read-only (disk full, read-only file
     * system). RocksDB refuses every write after a failed log append until it is reopened, so the next
     * write reopens it: writes resume as soon as space returns, without waiting for an idle release.
     */
    private volatile boolean reopenForWrite;
    /** Why the open database is read-only, or null if it is writable. */
    private volatile String readOnlyReason;
    private boolean cleaned;
    private boolean closed;
    private int refs;

    private SharedStore(StoreDirectory dir, StoreOptions options) {
        this.dir = dir;
        this.idleReleaseNanos = options.idleRelease().toNanos();
        this.handedOverNanos = System.nanoTime() - YIELD_NANOS;
        if (dir.isNewer()) {
            processLock = null;
            releaseTask = null;
        } else {
            processLock = new ProcessLock(dir.lockFile);
            long period = Math.max(1, Math.min(5, options.idleRelease().toMillis() / 4));
            releaseTask = RELEASER.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
    }

    static SharedStore acquire(StoreDirectory dir, StoreOptions options) {
        synchronized (OPEN) {
            SharedStore s = OPEN.get(dir.root);
            if (s == null) {
                s = new SharedStore(dir, options);
                OPEN.put(dir.root, s);
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
        if (releaseTask != null) {
            releaseTask.cancel(false);
        }
        handle.writeLock().lock();
        try {
            closed = true;
            closeDb();
            if (processLock != null) {
                processLock.close();
            }
        } finally {
            handle.writeLock().unlock();
        }
    }

    boolean isNewer() {
        return dir.isNewer();
    }

    @FunctionalInterface
    private interface DbCall<T> {
        T run(RocksDB db) throws RocksDBException, IOException;
    }

    /** Runs {@code call} with the DB open and held by this process. */
    private <T> T withDb(StoreOptions options, DbCall<T> call) {
        ReentrantReadWriteLock.ReadLock r = handle.readLock();
        boolean reading = false;
        try {
            r.lock();
            reading = true;
            if (db == null) {
                r.unlock();
                reading = false;
                handle.writeLock().lock();
                try {
                    if (closed) {
                        throw new IllegalStateException("store is closed");
                    }
                    if (db == null) {
                        openDb(options.lockTimeout().toNanos());
                    }
                    r.lock();
                    reading = true;
                } finally {
                    handle.writeLock().unlock();
                }
            }
            return call.run(db);
        } catch (RocksDBException e) {
            throw new StoreException("store " + dir.root + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("store " + dir.root + ": " + e, e);
        } finally {
            lastUseNanos = System.nanoTime();
            if (reading) {
                r.unlock();
            }
        }
    }

    /** {@link #withDb} for an operation that writes: first reopens a database that cannot write (see {@link #reopenForWrite}). */
    private <T> T withWritableDb(StoreOptions options, DbCall<T> call) {
        if (reopenForWrite) {
            handle.writeLock().lock();
            try {
                if (closed) {
                    throw new IllegalStateException("store is closed");
                }
                if (reopenForWrite) {
                    closeDb();
                    openDb(options.lockTimeout().toNanos());
                }
                String why = readOnlyReason;
                if (why != null) {
                    throw new StoreException("store " + dir.root + " cannot be written (" + why
                            + "); entries can still be read");
                }
            } finally {
                handle.writeLock().unlock();
            }
        }
        try {
            return withDb(options, call);
        } catch (StoreException e) {
            if (e.getCause() instanceof RocksDBException) {
                reopenForWrite = true;
            }
            throw e;
        }
    }

    /** Called with the handle's write lock. */
    private void openDb(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        long sinceHandOver = System.nanoTime() - handedOverNanos;
        if (sinceHandOver < YIELD_NANOS) {
            sleepNanos(YIELD_NANOS - sinceHandOver);
        }
        processLock.acquire(deadline);
        Options o = new Options().setCreateIfMissing(true).setKeepLogFileNum(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setMaxManifestFileSize(4L << 20)
                .setSkipStatsUpdateOnDbOpen(true).setSkipCheckingSstFileSizesOnDbOpen(true);
        WriteOptions w = new WriteOptions();
        RocksDB opened = null;
        try {
            String readOnly = null;
            while (opened == null) {
                try {
                    opened = RocksDB.open(o, dir.db.toString());
                } catch (RocksDBException e) {
                    String m = String.valueOf(e.getMessage());
                    // RocksDB says "While lock file: <dir>/LOCK: ..." or "lock hold by current process"; matching on
                    // a bare "lock" would also match store paths such as ~/blocks and stall other errors.
                    boolean lock = m.contains("lock file") || m.contains("lock hold");
                    if (lock && System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    if (!lock) {
                        // Opening for writing writes files (recovering the log into a table): on a full
                        // disk or a read-only file system it fails, yet every entry can still be read.
                        opened = RocksDB.openReadOnly(o, dir.db.toString());
                        readOnly = m;
                        break;
                    }
                    sleepNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
            readOnlyReason = readOnly;
            reopenForWrite = readOnly != null;
            Records.Global g = Records.decodeGlobal(opened.get(Records.GLOBAL_KEY));
            dbOptions = o;
            writeOptions = w;
            db = opened;
            global = g != null ? g : Records.Global.EMPTY;
            acquiredNanos = System.nanoTime();
            lastUseNanos = acquiredNanos;
        } catch (RocksDBException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            w.close();
            o.close();
            processLock.release();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("cannot open the store database in " + dir.db + ": " + e.getMessage(), e);
        }
        applyPending(db); // counts left from before the last release
        if (!cleaned) {
            cleaned = true;
            cleanup(db);
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store", e);
        }
    }

    /** Called with the handle's write lock. */
    private void closeDb() {
        if (db == null) {
            return;
        }
        applyPending(db);
        // Flushing here, on the releaser thread, spares the next opener (often this process, on its next
        // cell) replaying the write-ahead log, which costs tens to hundreds of milliseconds.
        try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
            db.flush(f);
        } catch (RocksDBException e) {
            // the WAL still has every committed batch
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            // the WAL already has every committed batch; nothing to recover here
        }
        writeOptions.close();
        dbOptions.close();
        db = null;
        global = null;
        processLock.release();
    }

    /** Periodic: release the DB when idle, or when another process waits and our slice is over. */
    private void tick() {
        try {
            if (db == null) {
                return;
            }
            boolean due;
            synchronized (pending) {
                due = pending.due();
            }
            if (due && handle.readLock().tryLock()) {
                try {
                    if (db != null) {
                        applyPending(db);
                    }
                } finally {
                    handle.readLock().unlock();
                }
            }
            long now = System.nanoTime();
            boolean idle = now - lastUseNanos > idleReleaseNanos;
            boolean handOver = !idle && now - acquiredNanos > MIN_SLICE_NANOS && processLock.othersWaiting();
            if (!idle && !handOver) {
                return;
            }
            if (!handle.writeLock().tryLock(100, TimeUnit.MILLISECONDS)) {
                return;
            }
            try {
                if (db != null) {
                    if (handOver) {
                        handedOverNanos = System.nanoTime();
                    } else if (System.nanoTime() - lastUseNanos <= idleReleaseNanos) {
                        return;
                    }
                    closeDb();
                }
            } finally {
                handle.writeLock().unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // never let the shared releaser thread die; the next tick tries again
        }
    }

    // ---------------------------------------------------------------- operations

    void commit(Key key, byte[] manifest, EntryMetadata md, List<PayloadSink> sinks, StoreOptions options) {
        withWritableDb(options, db -> {
            mutate.lock();
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
                        byte[] id = StoreDirectory.newBlobId();
                        Path target = dir.blob(id);
                        StoreDirectory.createPrivateDirectory(target.getParent());
                        Files.move(s.tempFile(), target, StandardCopyOption.ATOMIC_MOVE);
                        moved.add(target);
                        blobIds.add(id);
                        payloads.add(new Records.Payload(s.name, s.length(), null, id));
                    }
                }
                long now = System.currentTimeMillis();
                Records.Info info = new Records.Info(md.name(), md.createdMillis(), md.computeNanos(), size, blobIds);
                Records.Stats stats = new Records.Stats(oldStats == null ? 0 : oldStats.hits(),
                        oldStats == null ? 0 : oldStats.savedNanos(), now);
                Records.Global g = new Records.Global(global.entries() + (old == null ? 1 : 0),
                        global.bytes() + size - (old == null ? 0 : old.sizeBytes()), global.hits(), global.misses(),
                        global.savedNanos());
                try (WriteBatch b = new WriteBatch()) {
                    b.put(Records.dbKey(Records.ENTRY, key), Records.encodeEntry(new Records.Entry(info, manifest, payloads)));
                    b.put(Records.dbKey(Records.INFO, key), Records.encodeInfo(info));
                    b.put(Records.dbKey(Records.STATS, key), Records.encodeStats(stats));
                    b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
                    db.write(writeOptions, b);
                }
                global = g;
                moved.clear();
                if (old != null) {
                    deleteBlobs(key, old.blobIds());
                }
                if (global.bytes() > options.maxBytes()) {
                    evictLocked(db, options.maxBytes());
                }
                return null;
            } finally {
                for (Path p : moved) {
                    Files.deleteIfExists(p);
                }
                mutate.unlock();
            }
        });
    }

    Optional<RocksEntry> open(Key key, StoreOptions options) {
        pin(key);
        RocksEntry entry = null;
        try {
            entry = withDb(options, db -> {
                Records.Entry rec = Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, key)));
                if (rec == null) {
                    return null;
                }
                Records.Stats st = Records.decodeStats(db.get(Records.dbKey(Records.STATS, key)));
                Map<String, Object> buffers = new LinkedHashMap<>();
                for (Records.Payload p : rec.payloads()) {
                    buffers.put(p.name(), p.inline() != null ? ByteBuffer.wrap(p.inline()).asReadOnlyBuffer() : map(key, p));
                }
                return new RocksEntry(this, info(key, rec.info(), st), rec.manifest(), buffers);
            });
            return Optional.ofNullable(entry);
        } finally {
            if (entry == null) {
                unpin(key);
            }
        }
    }

    /** Maps a blob while the store is held (so no other process can delete it meanwhile). */
    private Object map(Key key, Records.Payload p) {
        Path f = dir.blob(p.blobId());
        String what = "payload '" + p.name() + "' of entry " + key.shortHex();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != p.length()) {
                return what + " is damaged: its file " + f + " has " + size + " bytes, " + p.length() + " were stored";
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            return what + " is missing: its file " + f + " was deleted";
        } catch (ClosedByInterruptException e) {
            // not damage: the entry must not be reported as corrupt (the core would delete it)
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while opening " + what, e);
        } catch (IOException e) {
            return what + " cannot be read: " + e;
        }
    }

    boolean contains(Key key, StoreOptions options) {
        return withDb(options, db -> Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key))) != null);
    }

    boolean remove(Key key, StoreOptions options) {
        return withWritableDb(options, db -> {
            mutate.lock();
            try {
                Records.Info old = Records.decodeInfo(db.get(Records.dbKey(Records.INFO, key)));
                if (old == null) {
                    return false;
                }
                Records.Global g = new Records.Global(global.entries() - 1, global.bytes() - old.sizeBytes(),
                        global.hits(), global.misses(), global.savedNanos());
                try (WriteBatch b = new WriteBatch()) {
                    deleteRecords(b, key);
                    b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
                    db.write(writeOptions, b);
                }
                global = g;
                deleteBlobs(key, old.blobIds());
                return true;
            } finally {
                mutate.unlock();
            }
        });
    }

    List<EntryInfo> list(StoreOptions options) {
        return withDb(options, db -> {
            applyPending(db);
            return new ArrayList<>(scan(db, null).values());
        });
    }

    /**
     * Hits and misses are counted in memory and written in one batch when statistics are read, when
     * the DB is released or reopened, and at least every {@link #STATS_DELAY_NANOS}: writing them on every
     * hit cost two reads and a write batch, a third of a small entry's store+retrieve pair. A process
     * killed with SIGKILL loses at most that last second of counts, never an entry.
     */
    void recordHit(Key key, long savedNanos, StoreOptions options) {
        synchronized (pending) {
            long[] p = pending.hits.computeIfAbsent(key, k -> new long[3]);
            p[0]++;
            p[1] += savedNanos;
            p[2] = System.currentTimeMillis();
            pending.touch();
        }
    }

    void recordMiss(StoreOptions options) {
        synchronized (pending) {
            pending.misses++;
            pending.touch();
        }
    }

    /** Statistics not yet written, guarded by its own monitor. */
    private static final class Pending {
        final Map<Key, long[]> hits = new HashMap<>(); // key -> {hits, savedNanos, lastUsedMillis}
        long misses;
        long sinceNanos;

        void touch() {
            if (sinceNanos == 0) {
                sinceNanos = System.nanoTime();
            }
        }

        boolean due() {
            return sinceNanos != 0 && System.nanoTime() - sinceNanos > STATS_DELAY_NANOS;
        }
    }

    private static final long STATS_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final Pending pending = new Pending();

    /** Writes buffered statistics; the DB must be open and held (handle lock). A failed write drops them. */
    private void applyPending(RocksDB db) {
        Map<Key, long[]> hits;
        long misses;
        synchronized (pending) {
            if (pending.hits.isEmpty() && pending.misses == 0) {
                return;
            }
            hits = new HashMap<>(pending.hits);
            misses = pending.misses;
            pending.hits.clear();
            pending.misses = 0;
            pending.sinceNanos = 0;
        }
        mutate.lock();
        try (WriteBatch b = new WriteBatch()) {
            long hitCount = 0;
            long saved = 0;
            for (Map.Entry<Key, long[]> e : hits.entrySet()) {
                long[] p = e.getValue();
                hitCount += p[0];
                saved += p[1];
                // statistics exist only beside a live entry: a hit on an entry removed since is only counted globally
                if (Records.decodeInfo(db.get(Records.dbKey(Records.INFO, e.getKey()))) != null) {
                    Records.Stats s = Records.decodeStats(db.get(Records.dbKey(Records.STATS, e.getKey())));
                    b.put(Records.dbKey(Records.STATS, e.getKey()), Records.encodeStats(new Records.Stats(
                            (s == null ? 0 : s.hits()) + p[0], (s == null ? 0 : s.savedNanos()) + p[1], p[2])));
                }
            }
            Records.Global g = new Records.Global(global.entries(), global.bytes(), global.hits() + hitCount,
                    global.misses() + misses, global.savedNanos() + saved);
            b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
            db.write(writeOptions, b);
            global = g;
        } catch (RocksDBException | RuntimeException e) {
            // statistics only (a read-only store after a full disk, say); entries are untouched
        } finally {
            mutate.unlock();
        }
    }

    StoreStats stats(StoreOptions options) {
        return withDb(options, db -> {
            applyPending(db);
            mutate.lock();
            try {
                return new StoreStats(global.entries(), global.bytes(), global.hits(), global.misses(),
                        global.savedNanos());
            } finally {
                mutate.unlock();
            }
        });
    }

    /** Explicit eviction (gc): also recounts the totals and removes leftovers of killed processes. */
    List<EntryInfo> evictTo(long maxBytes, StoreOptions options) {
        List<EntryInfo> evicted = withWritableDb(options, db -> {
            applyPending(db);
            mutate.lock();
            try {
                return evictLocked(db, maxBytes);
            } finally {
                mutate.unlock();
            }
        });
        handle.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            if (db == null) {
                openDb(options.lockTimeout().toNanos());
            }
            cleanup(db);
            lastUseNanos = System.nanoTime();
        } finally {
            handle.writeLock().unlock();
        }
        return evicted;
    }

    /** Called with {@code mutate} held. Deletes records in one batch first, files after: a kill between leaves only unreferenced files. */
    private List<EntryInfo> evictLocked(RocksDB db, long maxBytes) throws RocksDBException, IOException {
        Map<Key, Records.Info> infos = new HashMap<>();
        Map<Key, EntryInfo> all = scan(db, infos);
        long bytes = 0;
        for (EntryInfo e : all.values()) {
            bytes += e.sizeBytes();
        }
        List<EntryInfo> victims;
        synchronized (pins) {
            victims = Eviction.victims(new ArrayList<>(all.values()), maxBytes, pins::containsKey);
        }
        for (EntryInfo v : victims) {
            bytes -= v.sizeBytes();
        }
        Records.Global g = new Records.Global(all.size() - victims.size(), bytes, global.hits(), global.misses(),
                global.savedNanos());
        if (victims.isEmpty() && g.equals(global)) {
            return victims;
        }
        try (WriteBatch b = new WriteBatch()) {
            for (EntryInfo v : victims) {
                deleteRecords(b, v.key());
            }
            b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
            db.write(writeOptions, b);
        }
        global = g;
        for (EntryInfo v : victims) {
            deleteBlobs(v.key(), infos.get(v.key()).blobIds());
        }
        return victims;
    }

    private static void deleteRecords(WriteBatch b, Key key) throws RocksDBException {
        b.delete(Records.dbKey(Records.ENTRY, key));
        b.delete(Records.dbKey(Records.INFO, key));
        b.delete(Records.dbKey(Records.STATS, key));
    }

    /**
     * Every readable entry in key order. {@code infos}, if given, receives the decoded info records;
     * if an info record cannot be decoded (a newer cellar's entry) its key maps to null there.
     */
    private Map<Key, EntryInfo> scan(RocksDB db, Map<Key, Records.Info> infos) throws RocksDBException {
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

    /**
     * Removes what killed processes left: temp files of dead writers, and blob files that no record
     * references (renamed just before a commit that never happened, or left by an interrupted
     * eviction). Runs with the handle's write lock and the process lock: no commit is between its
     * rename and its batch anywhere. Skips blobs entirely if some entry cannot be decoded (a newer
     * cellar's), since its blobs cannot be told apart.
     */
    private void cleanup(RocksDB db) {
        dir.cleanTemp();
        try {
            Map<Key, Records.Info> infos = new HashMap<>();
            scan(db, infos);
            Set<String> referenced = new HashSet<>();
            for (Records.Info i : infos.values()) {
                if (i == null) {
                    return;
                }
                for (byte[] id : i.blobIds()) {
                    referenced.add(HEX.formatHex(id));
                }
            }
            try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir.blobs)) {
                for (Path shard : shards) {
                    if (!Files.isDirectory(shard)) {
                        continue;
                    }
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                        for (Path f : files) {
                            byte[] id = StoreDirectory.idOf(f);
                            if (id != null && !referenced.contains(HEX.formatHex(id)) && !isDeferred(f)) {
                                Files.deleteIfExists(f);
                            }
                        }
                    }
                }
            }
        } catch (IOException | RocksDBException | RuntimeException e) {
            // best effort: leftovers waste space, they never make an entry wrong
        }
    }

    private boolean isDeferred(Path f) {
        synchronized (pins) {
            for (List<Path> l : deferredDeletes.values()) {
                if (l.contains(f)) {
                    return true;
                }
            }
            return false;
        }
    }

    private void pin(Key key) {
        synchronized (pins) {
            pins.merge(key, 1, Integer::sum);
        }
    }

    void unpin(Key key) {
        List<Path> todo = null;
        synchronized (pins) {
            Integer n = pins.get(key);
            if (n == null) {
                return;
            }
            if (n > 1) {
                pins.put(key, n - 1);
            } else {
                pins.remove(key);
                todo = deferredDeletes.remove(key);
            }
        }
        if (todo != null) {
            todo.forEach(SharedStore::deleteQuietly);
        }
    }

    /** Deletes the files of a replaced or removed entry, or, while this process reads it, when the last reader closes. */
    private void deleteBlobs(Key key, List<byte[]> ids) {
        List<Path> paths = new ArrayList<>(ids.size());
        for (byte[] id : ids) {
            paths.add(dir.blob(id));
        }
        synchronized (pins) {
            if (pins.containsKey(key)) {
                deferredDeletes.computeIfAbsent(key, k -> new ArrayList<>()).addAll(paths);
                return;
            }
        }
        paths.forEach(SharedStore::deleteQuietly);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // an unreferenced blob is removed by the next cleanup
        }
    }
}
