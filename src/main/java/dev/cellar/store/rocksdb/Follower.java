package dev.cellar.store.rocksdb;

import dev.cellar.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Reads while another process holds the store: a RocksDB secondary instance on the same {@code db/},
 * which takes no lock, so readers never wait for the holder. It catches up with what the primary has
 * written (its manifest and write-ahead log) when its view is older than {@link #MAX_LAG_NANOS}, and
 * whenever a read finds nothing in it, so a miss sees every entry committed before the read began, in
 * whatever process. It never writes. Its own bookkeeping (RocksDB's info log) lives in
 * {@code follower/<random>/} in the store directory, removed at close; the directory holds an
 * {@code owner} file that the follower keeps locked, so that the directory of a killed process can be
 * told from a live one and collected ({@link FollowerDirs}).
 *
 * <p>Files the primary deletes (after a compaction) stay readable because a secondary keeps every table
 * file it uses open ({@code max_open_files = -1}, which RocksDB requires of secondaries).
 */
final class Follower {
    private final StoreDirectory dir;
    private Options options;
    private RocksDB db;
    private volatile Path scratch;
    private FileChannel ownerChannel;
    private boolean closed;
    private long readStartNanos;
    private long caughtUpNanos;
    /**
     * A hit may be served from a view up to this old (an entry in it was committed; the value under a
     * key does not change), because catching up costs milliseconds while the primary writes (RocksDB
     * replays its log). A read that finds nothing catches up first: a miss is never stale.
     */
    private static final long MAX_LAG_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);

    Follower(StoreDirectory dir) {
        this.dir = dir;
    }

    /**
     * Runs {@code call} on an up-to-date secondary, or returns null without running it if there is no
     * database to follow yet (no primary ever created one): the caller then waits for the primary.
     */
    synchronized <T> Result<T> read(DbHandle.DbCall<T> call) {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        try {
            if (db == null && !open()) {
                return null;
            }
            readStartNanos = System.nanoTime();
            if (readStartNanos - caughtUpNanos > MAX_LAG_NANOS) {
                catchUp();
            }
            return new Result<>(call.run(db));
        } catch (RocksDBException e) {
            throw new StoreException("store " + dir.root + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("store " + dir.root + ": " + e, e);
        }
    }

    /**
     * Catches up with the primary unless it did since the current read began; returns whether it did.
     * Called inside a read's call, when the possibly stale view lacks what the read looks for.
     */
    synchronized boolean catchUpForThisRead() throws RocksDBException {
        if (db == null || caughtUpNanos - readStartNanos >= 0) {
            return false;
        }
        catchUp();
        return true;
    }

    private void catchUp() throws RocksDBException {
        long t = System.nanoTime();
        db.tryCatchUpWithPrimary();
        caughtUpNanos = t;
    }

    /** Whether {@code db} is this follower's (a read through it may lag a moment behind the primary). */
    synchronized boolean isFollower(RocksDB other) {
        return other != null && other == db;
    }

    /** What a call returned (possibly null), as opposed to "not run". */
    record Result<T>(T value) {}

    private boolean open() throws RocksDBException, IOException {
        if (!Files.exists(dir.db.resolve("CURRENT"))) {
            return false;
        }
        try {
            createScratch();
        } catch (java.nio.file.FileSystemException e) {
            if (e instanceof java.nio.file.NoSuchFileException) {
                throw e;
            }
            // a store this process cannot write (read-only file system, another user's files, full disk):
            // its entries can still be read, with the follower's few files in a private temp directory
            scratch = Files.createTempDirectory("cellar-follower-");
        }
        options = DbOptions.follower();
        try {
            db = RocksDB.openAsSecondary(options, dir.db.toString(), scratch.toString());
            caughtUpNanos = System.nanoTime();
            return true;
        } catch (RocksDBException e) {
            options.close();
            options = null;
            deleteScratch();
            throw e;
        }
    }

    /**
     * Creates {@code follower/<random>.new/}, locks its {@code owner} file, then renames it to its final
     * name: a directory under a final name is locked for as long as its owner lives, so an unlocked one
     * was left by a process that is gone (the lock belongs to the file, not the name). {@link #scratch}
     * is set before the rename, so a sweep in this process that lists the directory and then asks for
     * this follower's own one never probes (and so never drops) this process's lock.
     */
    private void createScratch() throws IOException {
        Path parent = dir.root.resolve(FollowerDirs.NAME);
        StoreDirectory.createPrivateDirectory(parent);
        String name = UUID.randomUUID().toString();
        Path temp = parent.resolve(name + FollowerDirs.NEW);
        Path fin = parent.resolve(name);
        StoreDirectory.createPrivateDirectory(temp);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(temp.resolve(FollowerDirs.OWNER), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            FileLock unused = ch.lock();
            scratch = fin;
            Files.move(temp, fin, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            ownerChannel = ch;
        } catch (IOException | RuntimeException e) {
            scratch = null;
            if (ch != null) {
                ch.close();
            }
            FollowerDirs.deleteTree(temp);
            if (e instanceof java.nio.channels.FileLockInterruptionException
                    || e instanceof java.nio.channels.ClosedByInterruptException) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while opening a reader of the store in " + dir.root, e);
            }
            throw e;
        }
    }

    /** This follower's own directory, or null (never probe it: see {@link #createScratch}). */
    Path scratchDir() {
        return scratch;
    }

    /** Closes the secondary (a later read opens it again); memory it replayed from the log is freed. */
    synchronized void release() {
        if (db != null) {
            db.close();
            db = null;
            options.close();
            options = null;
            deleteScratch();
        }
    }

    synchronized void close() {
        release();
        closed = true;
    }

    private void deleteScratch() {
        Path p = scratch;
        if (p == null) {
            return;
        }
        // the files first, the lock last: a sweep in another process may only take a directory whose
        // owner is gone, and here the owner is still alive until the tree is deleted
        FollowerDirs.deleteTree(p);
        try {
            if (ownerChannel != null) {
                ownerChannel.close();
            }
        } catch (IOException e) {
            // closing drops the lock anyway
        }
        ownerChannel = null;
        scratch = null;
    }
}
