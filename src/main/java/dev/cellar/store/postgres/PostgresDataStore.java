package dev.cellar.store.postgres;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.BlobStore;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.Eviction;
import dev.cellar.store.StoreStats;
import dev.cellar.store.StoredEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared tier's store: entries indexed in PostgreSQL (key, manifest, metadata, usage, small
 * payloads inline); large payloads as chunk rows in PostgreSQL or, with a {@link BlobStore}, as
 * content-addressed objects. Safe for many processes on many machines: an entry becomes visible in one
 * transaction, after every byte it refers to is stored. Thread-safe.
 *
 * <p>Entries open for reading in this process are not evicted; readers in other processes keep their
 * view because unreferenced payloads are deleted only by {@link #collectGarbage} after a grace period.
 */
public final class PostgresDataStore implements DataStore {
    /** How often at most one process collects garbage by itself after a commit, and the grace it uses. */
    static final long AUTO_GC_EVERY_MILLIS = 3_600_000;
    static final long AUTO_GC_GRACE_MILLIS = 3_600_000;

    /** Payloads up to this size live in their row; the shared tier's index stays small and fast. */
    static final int INLINE_MAX = 64 * 1024;

    private final PgUrl url;
    private final Pool pool;
    private final BlobStore blobs;
    private final long maxBytes;
    private final Path spoolDir;
    private final String writer;
    private final Map<Key, Integer> openCounts = new HashMap<>();
    private final Leases leases;
    private final AtomicLong nextAutoGc = new AtomicLong(
            System.currentTimeMillis() + AUTO_GC_EVERY_MILLIS);
    private volatile long autoGcEvery = AUTO_GC_EVERY_MILLIS;
    private volatile long autoGcGrace = AUTO_GC_GRACE_MILLIS;

    private PostgresDataStore(PgUrl url, BlobStore blobs, long maxBytes, Path spoolDir) {
        this.url = url;
        this.pool = new Pool(url);
        this.blobs = blobs;
        this.maxBytes = maxBytes;
        this.spoolDir = spoolDir;
        this.writer = url.user() + " from " + hostName();
        this.leases = new Leases(pool, System.getProperty("user.name") + "@" + hostName());
    }

    /**
     * Connects, creating or checking the schema.
     *
     * @param databaseUrl {@code postgresql://...} or {@code jdbc:postgresql://...}
     * @param blobs where payloads larger than {@link #INLINE_MAX} go (the store takes it over and closes it);
     *     null keeps them in PostgreSQL
     * @param env the environment ({@code PGPASSWORD}, {@code PGPASSFILE}, {@code PGUSER})
     * @throws IllegalArgumentException if the URL is malformed
     * @throws StoreException if the database cannot be reached or has a newer schema
     */
    public static PostgresDataStore open(String databaseUrl, BlobStore blobs, long maxBytes, Map<String, String> env) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        PgUrl url = PgUrl.parse(databaseUrl, env);
        Path spool;
        try {
            spool = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "cellar-shared-spool"));
        } catch (IOException e) {
            throw new StoreException("cannot create a spool directory for downloads: " + e.getMessage(), e);
        }
        PostgresDataStore s = new PostgresDataStore(url, blobs, maxBytes, spool);
        try {
            Schema.ensure(s.pool, url.masked());
        } catch (RuntimeException e) {
            s.pool.close();
            throw e;
        }
        return s;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    Pool pool() {
        return pool;
    }

    BlobStore blobs() {
        return blobs;
    }

    Path spoolDir() {
        return spoolDir;
    }

    /** The database address with no password, for messages. */
    public String maskedUrl() {
        return url.masked();
    }

    /** Single-flight leases in this database. */
    public Leases leases() {
        return leases;
    }

    /** {@code "postgres"} or {@code "postgres+s3"}: where payloads go, for status lines. */
    public String kind() {
        return blobs == null ? "postgres" : "postgres+s3";
    }

    @Override
    public EntryWriter begin(Key key) {
        Objects.requireNonNull(key, "key");
        return new PgWriter(this, key);
    }

    /** Stores an object under its digest unless it is already there; its blob row protects it from collection. */
    void uploadObject(String digest, Path file, long size) {
        pool.tx("register a payload object", c -> {
            Chunks.touch(c, digest, PayloadRef.OBJECT, size);
            return null;
        });
        blobs.put(digest, file, size); // skipped if the object is there already
    }

    /** Makes the first real request fast: one pooled connection, the object store client's classes loaded. */
    public void warmUp() {
        try {
            contains(Key.of(new byte[Key.LENGTH]));
            if (blobs != null) {
                blobs.exists("0".repeat(64), -1);
            }
        } catch (RuntimeException e) {
            // the first real request reports it
        }
    }

    /** Deletes a payload object found damaged (see {@link DamagedPayloadException#object()}). */
    public void deleteObject(String name) {
        if (blobs != null && name != null) {
            blobs.delete(name);
        }
    }

    void commit(Key key, byte[] manifest, List<PayloadRef> refs, EntryMetadata meta) {
        long size = manifest.length + refs.stream().mapToLong(PayloadRef::size).sum();
        long now = System.currentTimeMillis();
        long total = pool.tx("commit an entry", c -> {
            List<String> blobIds = refs.stream().map(PayloadRef::blob).filter(Objects::nonNull).distinct().toList();
            if (!blobIds.isEmpty()) {
                // share-lock the blobs: garbage collection cannot delete them until this commits
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM (SELECT 1 FROM cellar_blobs WHERE blob = ANY (?) FOR SHARE) b")) {
                    s.setArray(1, c.createArrayOf("text", blobIds.toArray()));
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        if (r.getInt(1) != blobIds.size()) {
                            throw new StoreException("a payload of this entry was collected before the entry was"
                                    + " committed (upload slower than the grace period); not committed");
                        }
                    }
                }
            }
            // an upsert locks the row: a concurrent writer of the same key waits, then replaces this one
            try (PreparedStatement s = c.prepareStatement("INSERT INTO cellar_entries (key, name, manifest, size_bytes,"
                    + " created_millis, last_used_millis, compute_nanos, written_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, manifest = EXCLUDED.manifest,"
                    + " size_bytes = EXCLUDED.size_bytes, created_millis = EXCLUDED.created_millis,"
                    + " last_used_millis = EXCLUDED.last_used_millis, compute_nanos = EXCLUDED.compute_nanos,"
                    + " written_by = EXCLUDED.written_by")) {
                s.setBytes(1, key.bytes());
                s.setString(2, meta.name());
                s.setBytes(3, manifest);
                s.setLong(4, size);
                s.setLong(5, meta.createdMillis());
                s.setLong(6, now);
                s.setLong(7, meta.computeNanos());
                s.setString(8, writer);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM cellar_payloads WHERE key = ?")) {
                s.setBytes(1, key.bytes());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO cellar_payloads (key, name, size, kind, blob,"
                    + " sha256, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (PayloadRef p : refs) {
                    s.setBytes(1, key.bytes());
                    s.setString(2, p.name());
                    s.setLong(3, p.size());
                    s.setInt(4, p.kind());
                    s.setString(5, p.blob());
                    s.setString(6, p.sha256());
                    s.setBytes(7, p.bytes());
                    s.addBatch();
                }
                s.executeBatch();
            }
            Leases.notifyWaiters(c, key);
            return totalBytes(c);
        });
        if (total > maxBytes) {
            evictTo(maxBytes);
        }
        maybeCollectGarbage();
    }

    /**
     * Orphans (payloads of removed, replaced or evicted entries, uploads of killed writers) would
     * otherwise wait for someone to run {@code cellar --shared gc}: a writing process collects them by
     * itself on a background thread, at most once per {@link #AUTO_GC_EVERY_MILLIS}, with the same
     * grace period as the command's default. A failure is left for the next time.
     */
    private void maybeCollectGarbage() {
        long now = System.currentTimeMillis();
        long next = nextAutoGc.get();
        if (now < next || !nextAutoGc.compareAndSet(next, now + autoGcEvery)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                collectGarbage(autoGcGrace);
            } catch (RuntimeException e) {
                // the shared tier's next real operation reports an unreachable server
            }
        }, "cellar-shared-gc");
        t.setDaemon(true);
        t.start();
    }

    /** For tests: collect by itself every {@code everyMillis} with {@code graceMillis}, from now on. */
    void autoCollect(long everyMillis, long graceMillis) {
        autoGcEvery = everyMillis;
        autoGcGrace = graceMillis;
        nextAutoGc.set(System.currentTimeMillis());
    }

    /** The running total kept by the schema's trigger: one row, however many entries. */
    private static long totalBytes(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT bytes FROM cellar_totals");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public Optional<StoredEntry> open(Key key) {
        Objects.requireNonNull(key, "key");
        Optional<PgEntry> e = pool.tx("read an entry", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT e.name, e.manifest, e.size_bytes, e.created_millis,"
                    + " e.last_used_millis, e.compute_nanos, e.hits, e.saved_nanos,"
                    + " p.name, p.size, p.kind, p.blob, p.sha256, p.bytes"
                    + " FROM cellar_entries e LEFT JOIN cellar_payloads p ON p.key = e.key WHERE e.key = ?")) {
                s.setBytes(1, key.bytes());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    EntryInfo info = new EntryInfo(key, r.getString(1), r.getLong(3), r.getLong(4), r.getLong(5),
                            r.getLong(6), r.getLong(7), r.getLong(8));
                    byte[] manifest = r.getBytes(2);
                    Map<String, PayloadRef> refs = new LinkedHashMap<>();
                    do {
                        if (r.getString(9) != null) {
                            refs.put(r.getString(9), new PayloadRef(r.getString(9), r.getLong(10), r.getInt(11),
                                    r.getString(12), r.getString(13), r.getBytes(14)));
                        }
                    } while (r.next());
                    return Optional.of(new PgEntry(this, info, manifest, refs));
                }
            }
        });
        e.ifPresent(entry -> {
            synchronized (openCounts) {
                openCounts.merge(key, 1, Integer::sum);
            }
        });
        return e.map(x -> x);
    }

    void release(Key key) {
        synchronized (openCounts) {
            openCounts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    @Override
    public boolean contains(Key key) {
        return pool.tx("look up an entry", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM cellar_entries WHERE key = ?")) {
                s.setBytes(1, key.bytes());
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    @Override
    public boolean remove(Key key) {
        return pool.tx("remove an entry", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM cellar_entries WHERE key = ?")) {
                s.setBytes(1, key.bytes());
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<EntryInfo> list() {
        return pool.tx("list entries", c -> {
            List<EntryInfo> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT key, name, size_bytes, created_millis,"
                    + " last_used_millis, compute_nanos, hits, saved_nanos FROM cellar_entries ORDER BY key");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    byte[] k = r.getBytes(1);
                    if (k.length != Key.LENGTH) {
                        continue; // a damaged row is not an entry
                    }
                    out.add(new EntryInfo(Key.of(k), r.getString(2), r.getLong(3), r.getLong(4), r.getLong(5),
                            r.getLong(6), r.getLong(7), r.getLong(8)));
                }
            }
            return out;
        });
    }

    @Override
    public void recordHit(Key key, long savedNanos) {
        pool.tx("record a hit", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE cellar_entries SET hits = hits + 1,"
                    + " saved_nanos = saved_nanos + ?, last_used_millis = ? WHERE key = ?")) {
                s.setLong(1, savedNanos);
                s.setLong(2, System.currentTimeMillis());
                s.setBytes(3, key.bytes());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE cellar_totals SET hits = hits + 1, saved_nanos = saved_nanos + ?")) {
                s.setLong(1, savedNanos);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void recordMiss() {
        pool.tx("record a miss", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE cellar_totals SET misses = misses + 1")) {
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public StoreStats stats() {
        return pool.tx("read statistics", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT (SELECT count(*) FROM cellar_entries),"
                    + " bytes, hits, misses, saved_nanos"
                    + " FROM cellar_totals"); ResultSet r = s.executeQuery()) {
                r.next();
                return new StoreStats(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5));
            }
        });
    }

    @Override
    public List<EntryInfo> evictTo(long maxBytes) {
        List<EntryInfo> victims;
        synchronized (openCounts) {
            victims = Eviction.victims(list(), maxBytes, openCounts::containsKey);
        }
        for (EntryInfo v : victims) {
            remove(v.key());
        }
        return victims;
    }

    /**
     * Deletes payload blobs and objects that no entry refers to and that nobody touched for
     * {@code graceMillis}; returns how many were deleted.
     */
    public int collectGarbage(long graceMillis) {
        return Garbage.collect(this, graceMillis);
    }

    @Override
    public String location() {
        return url.masked() + (blobs == null ? " (payloads in PostgreSQL)" : " + " + blobs.location());
    }

    @Override
    public void close() {
        pool.close();
        if (blobs != null) {
            blobs.close();
        }
    }
}
