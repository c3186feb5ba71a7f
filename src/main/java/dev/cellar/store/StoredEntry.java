package dev.cellar.store;

import java.nio.ByteBuffer;
import java.util.Set;

/** An entry open for reading. Buffers it returns are valid until {@link #close()}. */
public interface StoredEntry extends AutoCloseable {
    EntryInfo info();

    byte[] manifest();

    Set<String> payloadNames();

    /**
     * A read-only view of a payload's bytes (possibly memory-mapped), positioned at 0.
     *
     * @throws java.util.NoSuchElementException if there is no such payload
     * @throws dev.cellar.StoreException if the payload is missing or shorter than recorded
     */
    ByteBuffer payload(String name);

    /**
     * Where this entry was fetched from when a store fronts another tier (e.g. {@code "shared
     * (postgres+s3)"}), for status lines; null when it was already in the store that returned it.
     */
    default String fetchedFrom() {
        return null;
    }

    /** Idempotent. */
    @Override
    void close();
}
