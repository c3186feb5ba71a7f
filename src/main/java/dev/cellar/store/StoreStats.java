package dev.cellar.store;

/** Totals over a store: its entries, their bytes, hits and misses, and compute time saved by hits. */
public record StoreStats(long entries, long bytes, long hits, long misses, long savedNanos) {}
