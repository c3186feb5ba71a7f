package dev.cellar.store.rocksdb;

import dev.cellar.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Reads while another process holds the store: a RocksDB secondary instance on the same {@code db/},
 * which takes no lock, so readers never wait for the holder. It catches up with what the primary has
 * written (its manifest and write-ahead log) when its view is older than {@link #MAX_LAG_NANOS}, and
 * whenever a read finds nothing in it, so a miss sees every entry committed before the read began, in
 * whatever process. It never writes. Its own bookkeeping (RocksDB's info log)
 * lives in a private temp directory, removed at close.
 *
 * <p>Files the primary deletes (after a compaction) stay readable because a secondary keeps every table
 * file it uses open ({@code max_open_files = -1}, which RocksDB requires of secondaries).
 */
final class Follower {
    private final StoreDirectory dir;
    private Options options;
    private RocksDB db;
    private Path scratch;
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

    /**
     * Table options of the primary and the follower: a Bloom filter (10 bits per key) in every table, so
     * a get skips tables that cannot hold the key. Tables written before carry none and are read as
     * before. The filter is shared and lives as long as the JVM (RocksDB keeps a reference per options).
     */
    static BlockBasedTableConfig tableConfig() {
        return new BlockBasedTableConfig().setFilterPolicy(BLOOM);
    }

    private static final BloomFilter BLOOM;

    static {
        RocksDB.loadLibrary();
        BLOOM = new BloomFilter(10, false);
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
        scratch = Files.createTempDirectory("cellar-follower-");
        options = new Options().setMaxOpenFiles(-1).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(1).setTableFormatConfig(tableConfig());
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
        if (scratch == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(scratch)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a few bytes of log left in the temp directory
        }
        scratch = null;
    }
}
