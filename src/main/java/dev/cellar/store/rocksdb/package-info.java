/**
 * The embedded default store, {@link dev.cellar.store.rocksdb.RocksDataStore}: RocksDB for entry
 * records, statistics and small payloads; immutable blob files, memory-mapped on read, for large
 * payloads; a cross-process lock so that several JVMs share one directory. The only package that
 * imports {@code org.rocksdb}; it may import {@code dev.cellar}, {@code dev.cellar.store} and the JDK.
 */
package dev.cellar.store.rocksdb;
