package dev.cellar.store.shared;

import java.util.Map;
import java.util.Objects;

/**
 * Where the team's shared tier is and how this process uses it.
 *
 * @param url the PostgreSQL database ({@code postgresql://...} or {@code jdbc:postgresql://...})
 * @param blobs {@code s3://bucket/prefix} for large payloads, or null to keep them in PostgreSQL
 * @param readOnly read what others computed, never write the shared tier
 * @param maxBytes size cap of the shared tier
 * @param env where passwords and S3 settings are looked up ({@code PGPASSWORD}, {@code AWS_*})
 */
public record SharedSettings(String url, String blobs, boolean readOnly, long maxBytes, Map<String, String> env) {
    public SharedSettings {
        Objects.requireNonNull(url, "url");
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
    }

    /** {@code read-write} (default) or {@code read-only}. @throws IllegalArgumentException otherwise */
    public static boolean parseReadOnly(String mode) {
        if (mode == null || mode.isBlank() || mode.trim().equals("read-write")) {
            return false;
        }
        if (mode.trim().equals("read-only")) {
            return true;
        }
        throw new IllegalArgumentException("CELLAR_SHARED_MODE must be read-write or read-only, got '"
                + mode.replaceAll("[^\\p{Graph} ]", "?") + "'");
    }
}
