package dev.cellar.store.rocksdb;

import dev.cellar.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * This JVM's handle on one directory's RocksDB. RocksDB admits one process at a time, so the handle
 * opens it on demand under the {@link ProcessLock}, keeps it while this process is busy, and closes it
 * after {@code idleRelease} without use, or after a short time slice when another process waits:
 * several processes take turns, and nobody sees a lock error. A database that cannot be written (disk
 * full, read-only file system) is opened read-only and reopened before the next write.
 *
 * <p>Locks: {@code handle} (read: an operation uses the open DB; write: open or close it) comes before
 * every other lock of the store.
 */
final class DbHandle {
    private static final ScheduledExecutorService RELEASER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cellar-store-release");
        t.setDaemon(true);
        return t;
    });
    /** Once another process waits, hand over after at least this long: opening RocksDB costs milliseconds. */
    private static final long MIN_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    /** After handing over, wait this long before asking again, so that the waiter gets its turn. */
    private static final long YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    static {
        // Once per JVM, from a copy cached across starts rather than a new temporary copy each time.
        NativeLibrary.load();
    }

    /** What the rest of the store does when the database opens, before it closes, and between uses. */
    interface Lifecycle {
        /** Just opened, with the write lock held; an exception fails the open (and releases the DB). */
        void opened(RocksDB db) throws RocksDBException;

        /** About to close, with the write lock held; must not throw. */
        void closing(RocksDB db);

        /** Whether {@link #periodic} has work: asked without any lock, so it must be cheap. */
        boolean periodicDue();

        /** Whether this process, not holding the DB, has work that needs it (asked without any lock; cheap). */
        boolean needsHolder();

        /** Periodically while open and {@link #periodicDue}, with a read lock held; must not throw. */
        void periodic(RocksDB db);
    }

    @FunctionalInterface
    interface DbCall<T> {
        T run(RocksDB db) throws RocksDBException, IOException;
    }

    private final StoreDirectory dir;
    private final Lifecycle lifecycle;
    private final long idleReleaseNanos;
    private final long lockTimeoutNanos;
    private final ProcessLock processLock;
    private final ReentrantReadWriteLock handle = new ReentrantReadWriteLock();
    private final ScheduledFuture<?> releaseTask;
    private volatile RocksDB db;
    private Options dbOptions;
    private WriteOptions writeOptions;
    private volatile long lastUseNanos;
    private volatile long lastFollowNanos;
    private final Follower follower;
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
    private boolean closed;

    /** Starts the release timer; nothing is opened yet. */
    DbHandle(StoreDirectory dir, Duration idleRelease, Duration lockTimeout, Lifecycle lifecycle) {
        this.dir = dir;
        this.lifecycle = lifecycle;
        this.idleReleaseNanos = idleRelease.toNanos();
        this.lockTimeoutNanos = lockTimeout.toNanos();
        this.handedOverNanos = System.nanoTime() - YIELD_NANOS;
        this.processLock = new ProcessLock(dir.lockFile);
        this.follower = new Follower(dir);
        long period = Math.max(1, Math.min(5, idleRelease.toMillis() / 4));
        this.releaseTask = RELEASER.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** Refuses a write, saying why, if this process can only read the store (see {@link ProcessLock}). */
    void checkWritable() {
        processLock.checkWritable();
    }

    /** Whether the open DB could only be opened read-only (disk full, read-only file system). */
    boolean isReadOnly() {
        return readOnlyReason != null;
    }

    /** The write options of the open DB; only while a call holds it. */
    WriteOptions writeOptions() {
        return writeOptions;
    }

    /** Runs {@code call} with the DB open and held by this process (waiting for other processes if need be). */
    <T> T withDb(DbCall<T> call) {
        return run(call, Mode.WAIT);
    }

    /**
     * Runs a call that only reads: on the DB if this process holds it, else on the {@link Follower} (a
     * secondary instance), without waiting for the process that holds it and without opening RocksDB
     * for writing (which costs more than following it).
     */
    <T> T withReadableDb(DbCall<T> call) {
        return run(call, Mode.FOLLOW);
    }

    /**
     * Runs a writing call if this process holds the DB or can take it without waiting; returns false
     * without running it if another process holds it (the caller then journals its commit).
     */
    boolean tryWritableDb(DbCall<Void> call) {
        if (reopenForWrite) {
            reopenIfUnwritable();
        }
        try {
            return run(call, Mode.TRY) != NOT_RUN;
        } catch (StoreException e) {
            if (e.getCause() instanceof RocksDBException) {
                reopenForWrite = true;
            }
            throw e;
        }
    }

    private enum Mode { WAIT, FOLLOW, TRY }

    private static final Object NOT_RUN = new Object();

    <T> java.util.function.Function<DbCall<T>, T> withReadableDbCall() {
        return this::withReadableDb;
    }

    <T> java.util.function.Function<DbCall<T>, T> withDbCall() {
        return this::withDb;
    }

    /** Inside a follower's call: catches up unless it did during this read (see {@link Follower}). */
    boolean catchUpForThisRead() throws RocksDBException {
        return follower.catchUpForThisRead();
    }

    /** This process's follower directory, or null: a sweep must never probe it (see {@link FollowerDirs}). */
    java.nio.file.Path followerDir() {
        return follower.scratchDir();
    }

    /** Whether {@code db}, passed to a call, is the follower's rather than the primary held here. */
    boolean isFollower(RocksDB db) {
        return follower.isFollower(db);
    }

    @SuppressWarnings("unchecked")
    private <T> T run(DbCall<T> call, Mode mode) {
        ReentrantReadWriteLock.ReadLock r = handle.readLock();
        boolean reading = false;
        boolean follow = false;
        try {
            r.lock();
            reading = true;
            if (db == null) {
                r.unlock();
                reading = false;
                handle.writeLock().lock();
                try {
                    checkNotClosed();
                    if (db == null) {
                        if (mode == Mode.FOLLOW) {
                            follow = true;
                        } else if (mode == Mode.TRY && !processLock.tryAcquire()) {
                            return (T) NOT_RUN;
                        } else {
                            openDb();
                        }
                    }
                    if (!follow) {
                        r.lock();
                        reading = true;
                    }
                } finally {
                    handle.writeLock().unlock();
                }
            }
            if (follow) {
                lastFollowNanos = System.nanoTime();
                Follower.Result<T> res = follower.read(call);
                // null: no database exists yet, so there is nothing to follow; wait for the primary
                return res != null ? res.value() : run(call, Mode.WAIT);
            }
            return call.run(db);
        } catch (RocksDBException e) {
            throw new StoreException("store " + dir.root + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("store " + dir.root + ": " + e, e);
        } finally {
            if (!follow) {
                lastUseNanos = System.nanoTime();
            }
            if (reading) {
                r.unlock();
            }
        }
    }

    /** {@link #withDb} for an operation that writes: first reopens a database that cannot write (see {@link #reopenForWrite}). */
    <T> T withWritableDb(DbCall<T> call) {
        if (reopenForWrite) {
            reopenIfUnwritable();
        }
        try {
            return withDb(call);
        } catch (StoreException e) {
            if (e.getCause() instanceof RocksDBException) {
                reopenForWrite = true;
            }
            throw e;
        }
    }

    /** Before a write: reopens a database that could not write, or fails if it still cannot. */
    private void reopenIfUnwritable() {
        handle.writeLock().lock();
        try {
            checkNotClosed();
            if (reopenForWrite) {
                closeDb();
                openDb();
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

    /** Runs {@code call} with the DB open and no other thread of this process using it (the write lock). */
    void exclusive(DbCall<Void> call) {
        handle.writeLock().lock();
        try {
            checkNotClosed();
            if (db == null) {
                openDb();
            }
            call.run(db);
        } catch (RocksDBException | IOException e) {
            throw new StoreException("store " + dir.root + ": " + e.getMessage(), e);
        } finally {
            lastUseNanos = System.nanoTime();
            handle.writeLock().unlock();
        }
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    /** Called with the handle's write lock. */
    private void openDb() {
        long deadline = System.nanoTime() + lockTimeoutNanos;
        long sinceHandOver = System.nanoTime() - handedOverNanos;
        if (sinceHandOver < YIELD_NANOS) {
            sleepNanos(YIELD_NANOS - sinceHandOver);
        }
        processLock.acquire(deadline);
        Options o = DbOptions.primary();
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
            dbOptions = o;
            writeOptions = w;
            lifecycle.opened(opened);
            db = opened;
            acquiredNanos = System.nanoTime();
            lastUseNanos = acquiredNanos;
        } catch (RocksDBException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            w.close();
            o.close();
            dbOptions = null;
            writeOptions = null;
            processLock.release();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("cannot open the store database in " + dir.db + ": " + e.getMessage(), e);
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
        lifecycle.closing(db);
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
        processLock.release();
    }

    /** Periodic: batched work, then release the DB when idle, or when another process waits and our slice is over. */
    private void tick() {
        try {
            if (follower != null && System.nanoTime() - lastFollowNanos > idleReleaseNanos) {
                follower.release();
            }
            if (db == null) {
                if (lifecycle.needsHolder() && handle.writeLock().tryLock()) {
                    try {
                        // counts of a process that only read, or its journal: written when nobody holds the store
                        if (!closed && db == null && processLock.tryAcquire()) {
                            openDb();
                        }
                    } finally {
                        handle.writeLock().unlock();
                    }
                }
                if (db == null) {
                    return;
                }
            }
            if (lifecycle.periodicDue() && handle.readLock().tryLock()) {
                try {
                    if (db != null) {
                        lifecycle.periodic(db);
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

    /** Stops the timer, closes the DB and releases the process lock; later calls fail. */
    void close() {
        releaseTask.cancel(false);
        handle.writeLock().lock();
        try {
            closed = true;
            follower.close();
            closeDb();
            processLock.close();
        } finally {
            handle.writeLock().unlock();
        }
    }
}
