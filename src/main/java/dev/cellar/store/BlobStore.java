package dev.cellar.store;

import java.nio.file.Path;
import java.util.List;

/**
 * Content-addressed storage of large payloads, used by a store that keeps its index elsewhere (the
 * shared tier keeps its index in PostgreSQL and large payloads in object storage). An object's name is
 * the hex SHA-256 of its bytes, so an object never changes once written and identical payloads are
 * stored once. Implementations are thread-safe.
 */
public interface BlobStore extends AutoCloseable {
    /** Whether an object of that name and exactly {@code size} bytes exists. */
    boolean exists(String name, long size);

    /**
     * Uploads {@code file} ({@code size} bytes) as object {@code name} unless an object of that name and
     * size is there already. Where the server supports conditional writes the upload is one
     * ({@code If-None-Match: *}), so writers racing on the same content never replace each other's
     * finished object; an object of that name with another size (damaged) is replaced.
     *
     * @throws dev.cellar.StoreException if the upload fails (nothing of that name is then half written)
     */
    void put(String name, Path file, long size);

    /**
     * Downloads object {@code name} into {@code target} (created or truncated), computing the SHA-256 of
     * the bytes as they arrive (one pass instead of a second read of the file).
     *
     * @return the hex SHA-256 of what was downloaded, or null if there is no such object
     * @throws dev.cellar.StoreException if it cannot be read
     */
    String get(String name, Path target);

    /** Deletes an object; absent is fine. */
    void delete(String name);

    /** Objects last modified before {@code beforeMillis}, for garbage collection. */
    List<String> listOlderThan(long beforeMillis);

    /** Where the objects live, without credentials, e.g. {@code s3://bucket/prefix}. */
    String location();

    @Override
    void close();
}
