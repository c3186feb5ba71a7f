/**
 * The storage SPI ({@link dev.cellar.store.DataStore}: entries of bytes under keys), the in-memory
 * store ({@link dev.cellar.store.InMemoryDataStore}), settings of persistent stores
 * ({@link dev.cellar.store.StoreOptions}) and store-independent policy: the eviction order
 * ({@link dev.cellar.store.Eviction}) and the payload name rule ({@link dev.cellar.store.PayloadNames}).
 * May import {@code dev.cellar} and the JDK only. The subpackage {@code rocksdb} is the embedded
 * default store and the only place importing RocksDB.
 */
package dev.cellar.store;
