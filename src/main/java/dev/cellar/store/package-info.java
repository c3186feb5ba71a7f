/**
 * The storage SPI ({@link dev.cellar.store.DataStore}: entries of bytes under keys), the in-memory
 * store ({@link dev.cellar.store.InMemoryDataStore}), settings of persistent stores
 * ({@link dev.cellar.store.StoreOptions}) and store-independent policy: the eviction order
 * ({@link dev.cellar.store.Eviction}), the payload name rule ({@link dev.cellar.store.PayloadNames}) and
 * the content digest of large payloads computed beside the copy ({@link dev.cellar.store.PipelinedSha256}).
 * May import the vocabulary of {@code dev.cellar} and the JDK only. Implementations live in
 * sub-packages, each importing this one and never the API or the engine: {@code rocksdb} (the embedded
 * default store, the only place importing RocksDB), {@code shared} (the team's shared tier),
 * {@code postgres} and {@code s3} (its back ends). See docs/architecture.md.
 */
package dev.cellar.store;
