package dev.cellar.store;

import dev.cellar.Key;

/**
 * An entry's metadata and usage: {@code sizeBytes} counts manifest and payloads; {@code hits} and
 * {@code savedNanos} survive restarts.
 */
public record EntryInfo(Key key, String name, long sizeBytes, long createdMillis, long lastUsedMillis,
        long computeNanos, long hits, long savedNanos) {}
