package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.StoreStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Hit and miss statistics. They are counted in memory and written in one batch when statistics are
 * read, when the DB is released or reopened, and at least every {@link #DELAY_NANOS}: writing them on
 * every hit cost two reads and a write batch, a third of a small entry's store+retrieve pair. A process
 * killed with SIGKILL loses at most that last second of counts, never an entry.
 */
final class UsageStats {
    private static final long DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DbHandle handle;
    private final Totals totals;
    /** Counts not yet written, guarded by this monitor. */
    private final Map<Key, long[]> hits = new HashMap<>(); // key -> {hits, savedNanos, lastUsedMillis}
    private long misses;
    private long sinceNanos;

    UsageStats(DbHandle handle, Totals totals) {
        this.handle = handle;
        this.totals = totals;
    }

    synchronized void recordHit(Key key, long savedNanos) {
        long[] p = hits.computeIfAbsent(key, k -> new long[3]);
        p[0]++;
        p[1] += savedNanos;
        p[2] = System.currentTimeMillis();
        touch();
    }

    synchronized void recordMiss() {
        misses++;
        touch();
    }

    private void touch() {
        if (sinceNanos == 0) {
            sinceNanos = System.nanoTime();
        }
    }

    /** Whether counts have waited long enough to be written. */
    synchronized boolean due() {
        return sinceNanos != 0 && System.nanoTime() - sinceNanos > DELAY_NANOS;
    }

    /** Whether counts wait to be written. */
    synchronized boolean pending() {
        return sinceNanos != 0;
    }

    /** Writes buffered statistics; the DB must be open and held. A failed write drops them. */
    void apply(RocksDB db) {
        Map<Key, long[]> todo;
        long missCount;
        synchronized (this) {
            if (hits.isEmpty() && misses == 0) {
                return;
            }
            todo = new HashMap<>(hits);
            missCount = misses;
            hits.clear();
            misses = 0;
            sinceNanos = 0;
        }
        totals.lock();
        try (WriteBatch b = new WriteBatch()) {
            long hitCount = 0;
            long saved = 0;
            // Every key's statistics record in one read. A statistics record exists only beside the entry's
            // info record (written and deleted in the same batches), so a readable one proves the entry is
            // live; only keys without one (none written yet, or unreadable) need the info record read.
            // (Two reads per key cost the background thread a quarter of what the hits themselves cost.)
            List<Key> keys = new ArrayList<>(todo.keySet());
            List<byte[]> statKeys = new ArrayList<>(keys.size());
            for (Key k : keys) {
                statKeys.add(Records.dbKey(Records.STATS, k));
            }
            List<byte[]> olds = keys.isEmpty() ? List.of() : db.multiGetAsList(DbOptions.READ, statKeys);
            for (int i = 0; i < keys.size(); i++) {
                long[] p = todo.get(keys.get(i));
                hitCount += p[0];
                saved += p[1];
                Records.Stats s = Records.decodeStats(olds.get(i));
                // statistics exist only beside a live entry: a hit on an entry removed since is only counted globally
                if (s != null || Records.decodeInfo(db.get(Records.dbKey(Records.INFO, keys.get(i)))) != null) {
                    b.put(statKeys.get(i), Records.encodeStats(new Records.Stats(
                            (s == null ? 0 : s.hits()) + p[0], (s == null ? 0 : s.savedNanos()) + p[1], p[2])));
                }
            }
            Records.Global global = totals.get();
            Records.Global g = new Records.Global(global.entries(), global.bytes(), global.hits() + hitCount,
                    global.misses() + missCount, global.savedNanos() + saved);
            b.put(Records.GLOBAL_KEY, Records.encodeGlobal(g));
            db.write(handle.writeOptions(), b);
            totals.set(g);
        } catch (RocksDBException | RuntimeException e) {
            // statistics only (a read-only store after a full disk, say); entries are untouched
        } finally {
            totals.unlock();
        }
    }

    /** The store-wide totals, with every count of this process written first. */
    StoreStats read() {
        return handle.withReadableDb(db -> {
            if (handle.isFollower(db)) {
                // another process holds the store: its totals plus what this process has not written yet
                Records.Global g = Records.decodeGlobal(db.get(Records.GLOBAL_KEY));
                g = g != null ? g : Records.Global.EMPTY;
                synchronized (this) {
                    long h = 0;
                    long saved = 0;
                    for (long[] p : hits.values()) {
                        h += p[0];
                        saved += p[1];
                    }
                    return new StoreStats(g.entries(), g.bytes(), g.hits() + h, g.misses() + misses,
                            g.savedNanos() + saved);
                }
            }
            apply(db);
            totals.lock();
            try {
                Records.Global g = totals.get();
                return new StoreStats(g.entries(), g.bytes(), g.hits(), g.misses(), g.savedNanos());
            } finally {
                totals.unlock();
            }
        });
    }
}
