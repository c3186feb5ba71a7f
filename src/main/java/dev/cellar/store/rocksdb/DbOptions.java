package dev.cellar.store.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;

/** RocksDB's options for the primary ({@link DbHandle}) and for a {@link Follower}, with the reason for each. */
final class DbOptions {
    private DbOptions() {}

    /** The primary's options; the caller closes them after the database. */
    static Options primary() {
        return new Options().setCreateIfMissing(true).setKeepLogFileNum(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setMaxManifestFileSize(4L << 20)
                .setSkipStatsUpdateOnDbOpen(true).setSkipCheckingSstFileSizesOnDbOpen(true)
                // A small memtable keeps the write-ahead log short: a follower replays it when it opens
                // (every `cellar ls` does) and when it catches up. With 2 MB instead of 8 MB, `ls` while two
                // processes wrote took 85 instead of 157 ms of CPU (median of 24 each, same load); 3 writers
                // on one store showed no difference in throughput.
                .setWriteBufferSize(PRIMARY_MEMTABLE)
                // A large store's levels in small steps: with the defaults (256 MB level base, 64 MB files),
                // a store of a few hundred MB keeps everything in the last level, so every compaction of the
                // level-0 tables rewrites all of it (seconds of CPU, aborted when the store is released), and
                // level-0 tables pile up: a store of 1,000,000 entries had 12 of them, each probed by every
                // get. A 32 MB base and 8 MB files make each compaction small enough to finish between
                // releases (the 4 level-0 tables that trigger one hold 8 MB of memtables).
                .setMaxBytesForLevelBase(32L << 20).setTargetFileSizeBase(8L << 20)
                // a lookup in a store of a million entries reads one table per level, not every one
                .setTableFormatConfig(tableConfig())
                .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM).setMemtableWholeKeyFiltering(true);
    }

    /**
     * A follower's options ({@code max_open_files = -1} is required of a secondary instance). Every
     * `cellar ls` opens one, and while other processes write, opening it was most of the listing's CPU
     * (perf, ls under two writers): RocksDB's defaults sized each memtable it replays the log into for
     * 64 MB, whose Bloom filter (6.4 MB) was zeroed per memtable, and it started 15 threads twice per open
     * to open table files in parallel (a handful of small tables). With the primary's memtable size, no
     * memtable filter (a follower serves few lookups, and its memtables only hold the log's tail) and one
     * opening thread, the listing thread's CPU fell from 100-121 to 40-59 ms (median of 11, interleaved
     * fresh JVMs, load 9-10).
     */
    static Options follower() {
        return new Options().setMaxOpenFiles(-1).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(1).setTableFormatConfig(tableConfig()).setWriteBufferSize(PRIMARY_MEMTABLE)
                .setMaxFileOpeningThreads(1).setSkipStatsUpdateOnDbOpen(true)
                .setSkipCheckingSstFileSizesOnDbOpen(true);
    }

    /** The primary's memtable size (see {@link #primary}). */
    private static final long PRIMARY_MEMTABLE = 2L << 20;

    /**
     * A Bloom filter over each memtable's keys, 10 % of its size: every commit first looks up whether its key
     * exists (almost always not), and without the filter that miss searched the active and the immutable
     * memtables' skip lists, a quarter of the look-up's CPU in a small-entry loop.
     */
    private static final double MEMTABLE_BLOOM = 0.1;

    /**
     * Options of the hot reads (commit's existence check, an entry's record, statistics): cellar never writes
     * range deletions, so RocksDB need not look for their tombstones in every table it probes.
     */
    static final ReadOptions READ;

    /**
     * Table options of the primary and the follower: a Bloom filter (10 bits per key) in every table, so
     * a get skips tables that cannot hold the key. Tables written before carry none and are read as
     * before. The filter is shared and lives as long as the JVM (RocksDB keeps a reference per options).
     */
    private static BlockBasedTableConfig tableConfig() {
        return new BlockBasedTableConfig().setFilterPolicy(BLOOM);
    }

    private static final BloomFilter BLOOM;

    static {
        RocksDB.loadLibrary();
        BLOOM = new BloomFilter(10, false);
        READ = new ReadOptions().setIgnoreRangeDeletions(true);
    }
}
