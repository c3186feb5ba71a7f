package dev.cellar.store.rocksdb;

import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The store-wide totals record (entries, bytes, hits, misses, time saved) as last written, and the lock
 * under which every read-modify-write of records happens, so that commits, removals, evictions and
 * statistics never lose each other's updates. Lock order: after the DB handle, before the pins.
 */
final class Totals {
    private final ReentrantLock mutate = new ReentrantLock();
    private Records.Global global;

    void lock() {
        mutate.lock();
    }

    void unlock() {
        mutate.unlock();
    }

    /** The totals; only while the DB is open. */
    Records.Global get() {
        return global;
    }

    /** Records what a write batch just wrote. */
    void set(Records.Global g) {
        global = g;
    }

    /** Reads the totals of a database just opened (a new database has none yet). */
    void load(RocksDB db) throws RocksDBException {
        Records.Global g = Records.decodeGlobal(db.get(Records.GLOBAL_KEY));
        global = g != null ? g : Records.Global.EMPTY;
    }

    /** The database closed: the next holder may change the totals. */
    void forget() {
        global = null;
    }
}
