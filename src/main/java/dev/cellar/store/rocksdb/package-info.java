/**
 * The embedded default store, {@link dev.cellar.store.rocksdb.RocksDataStore}. The only package that
 * imports {@code org.rocksdb}; it may import the vocabulary of {@code dev.cellar}, {@code
 * dev.cellar.store} and the JDK. Inside, {@code SharedStore} (one per directory and JVM) wires parts
 * with one job each: {@code DbHandle} (open, hand over, release, reopen), {@code EntryRecords},
 * {@code UsageStats}, {@code BlobFiles}, {@code Evictor}, {@code Follower}, {@code Journal} and
 * {@code NameIndex} (with {@code EntryScan}, one pass over every entry for listing and eviction). Options are bound once per directory and
 * JVM: a second open with other options is a {@code StoreException}.
 *
 * <p>Layout ({@code StoreDirectory}): {@code FORMAT}; {@code lock}; {@code db/} (RocksDB: per entry an
 * entry record with metadata, manifest and payloads of up to 64 KiB inline, an info record for listing
 * and eviction, a statistics record; plus store-wide totals); {@code blobs/xx/<random id>.blob} (larger
 * payloads, immutable, memory-mapped on read); {@code tmp/} (payloads being written); {@code journal/}
 * (commits of processes that do not hold the store); {@code follower/} (one directory per reading
 * process, collected once its owner is gone).
 *
 * <p>Commit: payload files are renamed from {@code tmp/} into {@code blobs/}, then one RocksDB write
 * batch makes the entry visible. Removal and eviction delete the records in one batch first and the
 * files after. A process killed at any point leaves either the old state or the new one, plus at most
 * unreferenced files, which the next holder deletes after a holder was killed, and gc always (temp
 * files only when older than a minute and not locked by a live writer).
 *
 * <p>Durability: no fsync (see {@code SharedStore}): a killed process loses no committed entry; a
 * machine crash may lose recent ones, and a payload damaged by it is caught by its recorded length or
 * by the core's checksum, so it is a miss, never a wrong value.
 *
 * <p>Processes: RocksDB admits one process at a time for writing, so each JVM opens it on demand under
 * a lock on {@code lock}, keeps it while busy, and hands it over when another process waits (after a
 * 30 ms slice) or after {@code idleRelease} without use. Only removal, eviction and gc wait for it (and
 * fail with a {@code StoreException} after {@code lockTimeout}): reads in a process that does not hold
 * it go through a RocksDB secondary instance ({@code Follower}), and commits to the process's
 * {@code Journal}, which the holder applies (docs/architecture.md, "Several processes on one store").
 *
 * <p>A store this process cannot write (a read-only file system, another user's store) opens all the
 * same: {@code ProcessLock} finds it cannot open {@code lock} for writing, reads go through the
 * follower, and every write is refused with a {@code StoreException} that says why.
 */
package dev.cellar.store.rocksdb;
