/**
 * The storage SPI ({@link dev.cellar.store.DataStore}: entries of bytes under keys), the in-memory
 * store, and store-independent policy (eviction order). The subpackage {@code rocksdb} is the embedded
 * default store and the only place importing RocksDB.
 */
package dev.cellar.store;
