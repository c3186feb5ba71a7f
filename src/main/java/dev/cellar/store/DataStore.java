package dev.cellar.store;

import dev.cellar.Key;
import java.util.List;
import java.util.Optional;

/**
 * The storage SPI: entries of opaque bytes under 256-bit keys. A store knows nothing of codecs,
 * components or manifests' contents; cellar's core does. Implementing a new back end means
 * implementing this interface and passing {@code DataStoreContract} (the shared test suite).
 *
 * <p>An entry is a manifest (bytes) plus named payloads (bytes, possibly large). It becomes visible
 * atomically when {@link EntryWriter#commit} returns: readers see all of it or nothing. Two writers of
 * the same key both succeed and one entry survives. Implementations are thread-safe and, where they
 * persist, safe to share between processes.
 */
public interface DataStore extends AutoCloseable {
    /**
     * Starts writing an entry. Nothing is visible until {@link EntryWriter#commit}; closing the writer
     * without committing discards everything written.
     *
     * @throws dev.cellar.StoreException if the store cannot be written (the store stays readable)
     */
    EntryWriter begin(Key key);

    /**
     * Opens an entry for reading. While the returned entry is open it is not evicted and its payload
     * buffers stay valid.
     *
     * @return empty if absent or not readable by this version
     * @throws dev.cellar.StoreException on an I/O failure
     */
    Optional<StoredEntry> open(Key key);

    boolean contains(Key key);

    /** Removes an entry; returns whether one was there. An open reader keeps its view until it closes. */
    boolean remove(Key key);

    /** Metadata of every entry (no payload bytes are read). */
    List<EntryInfo> list();

    /** Metadata of the entries named {@code name}; a store with an index by name overrides this scan. */
    default List<EntryInfo> list(String name) {
        return list().stream().filter(e -> e.name().equals(name)).toList();
    }

    /** Records that an entry was used to avoid a computation that took {@code savedNanos}. */
    void recordHit(Key key, long savedNanos);

    /** Records a miss (a computation that had to run), for statistics. */
    void recordMiss();

    /** Totals for {@code stats}. */
    StoreStats stats();

    /**
     * Evicts entries (least valuable first, never one open for reading) until the total payload and
     * manifest size is at most {@code maxBytes}; returns the entries evicted.
     */
    List<EntryInfo> evictTo(long maxBytes);

    /** A human-readable description of where the data lives, for {@code %cellar store}. */
    String location();

    /** Releases files, locks and native memory. Idempotent. */
    @Override
    void close();
}
