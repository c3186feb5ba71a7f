package dev.cellar.store;

/**
 * What a store keeps about an entry besides its bytes, for listing, statistics and eviction:
 * the entry's name (a cell or computation name), when it was created, how long computing it took.
 */
public record EntryMetadata(String name, long createdMillis, long computeNanos) {}
