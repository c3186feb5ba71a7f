package dev.cellar.store;

import java.nio.channels.WritableByteChannel;

/**
 * Writes one entry. Payloads are streamed through channels (a payload can be larger than any byte
 * array); the manifest is given last, so it can describe what was written (sizes, checksums).
 */
public interface EntryWriter extends AutoCloseable {
    /**
     * A channel for the payload {@code name} (unique within the entry). Close it before opening the
     * next one or committing.
     *
     * @throws dev.cellar.StoreException if the store cannot be written
     */
    WritableByteChannel payload(String name);

    /**
     * Makes the entry visible atomically, with its manifest and metadata. If an entry with the same
     * key exists it is replaced or kept, but never mixed with this one.
     *
     * @throws dev.cellar.StoreException if the store cannot be written; nothing becomes visible then
     */
    void commit(byte[] manifest, EntryMetadata metadata);

    /** Discards the entry if it was not committed. Idempotent. */
    @Override
    void close();
}
