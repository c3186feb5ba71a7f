package dev.cellar.store.shared;

import dev.cellar.store.postgres.PostgresDataStore;
import dev.cellar.store.s3.S3BlobStore;

/** Opens the shared store itself (for {@code --shared} management and {@code push}/{@code pull}). */
public final class SharedTier {
    private SharedTier() {}

    /**
     * @throws IllegalArgumentException if a URL is malformed
     * @throws dev.cellar.StoreException if the database cannot be reached or has a newer schema
     */
    public static PostgresDataStore open(SharedSettings s) {
        S3BlobStore blobs = s.blobs() == null || s.blobs().isBlank() ? null : S3BlobStore.open(s.blobs(), s.env());
        try {
            return PostgresDataStore.open(s.url(), blobs, s.maxBytes(), s.env());
        } catch (RuntimeException e) {
            if (blobs != null) {
                blobs.close();
            }
            throw e;
        }
    }
}
