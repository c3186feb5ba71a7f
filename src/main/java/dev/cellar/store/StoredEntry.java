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
     * Copies {@code dst.remaining()} bytes of payload {@code name}, from byte {@code offset} on, into
     * {@code dst}. A store whose payloads are files reads them ({@code pread}) instead of touching the
     * memory-mapped view: every first touch of a mapped page is a page fault, which on a virtual
     * machine with shadow paging (this one) made copying an 800 MB payload through a new mapping 3-5x
     * slower than reading it through a small buffer. By default: from {@link #payload}. Safe to call
     * from several threads at once (a large restore copies on two).
     *
     * @throws IndexOutOfBoundsException if the range is outside the payload
     * @throws dev.cellar.StoreException if the file cannot be read
     */
    default void read(String name, long offset, ByteBuffer dst) {
        ByteBuffer src = payload(name);
        if (offset < 0 || offset + dst.remaining() > src.remaining()) {
            throw new IndexOutOfBoundsException("bytes " + offset + "+" + dst.remaining() + " of a " + src.remaining()
                    + "-byte payload");
        }
        dst.put(src.slice(src.position() + (int) offset, dst.remaining()));
    }

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
