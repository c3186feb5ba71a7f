package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoreStats;
import dev.cellar.store.StoredEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded default store: a directory holding RocksDB for records and small payloads, and
 * immutable files, memory-mapped on read, for large payloads. Several processes may use one directory
 * at once; they take turns transparently (see {@link SharedStore}). Every method may throw
 * {@link StoreException} if another process keeps the directory longer than
 * {@link StoreOptions#lockTimeout()}, or on an I/O failure.
 *
 * <p>A directory whose FORMAT is newer than this version reads as an empty store: {@code open} finds
 * nothing, and {@code begin} throws, so nothing is ever written into it.
 */
public final class RocksDataStore implements DataStore {
    private final SharedStore shared;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RocksDataStore(SharedStore shared) {
        this.shared = shared;
    }

    /**
     * Opens (creating it, mode 0700, if absent) the store in {@code dir}. Cheap: RocksDB itself is
     * opened on first use. Opening the same directory twice in one JVM shares the underlying state, so
     * the options belong to the directory: every open in one JVM must give equal ones.
     *
     * @throws StoreException if the directory cannot be created, is writable by group or others, or
     *     is not a cellar store, or if this JVM has it open with other options
     */
    public static RocksDataStore open(Path dir, StoreOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        return new RocksDataStore(SharedStore.acquire(StoreDirectory.prepare(dir), options));
    }

    /** {@link #open(Path, StoreOptions)} with {@link StoreOptions#defaults()}. */
    public static RocksDataStore open(Path dir) {
        return open(dir, StoreOptions.defaults());
    }

    /** The store directory. */
    public Path directory() {
        return shared.dir.root;
    }

    /** Whether the directory was written by a newer cellar (and is therefore read as empty). */
    public boolean isNewerFormat() {
        return shared.isNewer();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("store is closed");
        }
    }

    @Override
    public EntryWriter begin(Key key) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        if (shared.isNewer()) {
            throw new StoreException("store " + directory() + " was written by a newer version of cellar (format "
                    + shared.dir.format + "); this version does not write to it");
        }
        shared.checkWritable();
        return new RocksWriter(shared, key);
    }

    @Override
    public Optional<StoredEntry> open(Key key) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        if (shared.isNewer()) {
            return Optional.empty();
        }
        return shared.open(key).map(e -> e);
    }

    @Override
    public boolean contains(Key key) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        return !shared.isNewer() && shared.contains(key);
    }

    @Override
    public boolean remove(Key key) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        return !shared.isNewer() && shared.remove(key);
    }

    @Override
    public List<EntryInfo> list() {
        checkOpen();
        return shared.isNewer() ? List.of() : shared.list();
    }

    @Override
    public List<EntryInfo> list(String name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        return shared.isNewer() ? List.of() : shared.list(name);
    }

    @Override
    public void recordHit(Key key, long savedNanos) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        if (!shared.isNewer()) {
            shared.recordHit(key, savedNanos);
        }
    }

    @Override
    public void recordMiss() {
        checkOpen();
        if (!shared.isNewer()) {
            shared.recordMiss();
        }
    }

    @Override
    public StoreStats stats() {
        checkOpen();
        return shared.isNewer() ? new StoreStats(0, 0, 0, 0, 0) : shared.stats();
    }

    @Override
    public List<EntryInfo> evictTo(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        checkOpen();
        return shared.isNewer() ? List.of() : shared.evictTo(maxBytes);
    }

    @Override
    public String location() {
        return directory() + " (RocksDB + blob files, cap " + shared.options.maxBytes() + " bytes"
                + (shared.isNewer() ? ", written by a newer cellar: read as empty" : "") + ")";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            shared.unref();
        }
    }
}
