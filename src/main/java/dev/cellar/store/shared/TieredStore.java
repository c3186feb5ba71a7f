package dev.cellar.store.shared;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreStats;
import dev.cellar.store.StoredEntry;
import dev.cellar.store.postgres.DamagedPayloadException;
import dev.cellar.store.postgres.PostgresDataStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local store in front of the team's shared store. Lookups go local, then shared; a shared hit is
 * copied into the local store, so the next one is local. Writes go to both (read-only mode: local
 * only). The shared tier is never needed for correctness: when it fails, this warns once per session,
 * serves from the local store, and tries the shared store again after {@link #RETRY_NANOS}.
 *
 * <p>Listing, statistics and eviction are the local store's; the shared store is managed on its own
 * ({@code cellar --shared ...}). Removal removes from both (a damaged entry must not be fetched again).
 */
public final class TieredStore implements DataStore {
    /** After a failure, the shared store is left alone this long; then the next operation tries again. */
    static final long RETRY_NANOS = 5_000_000_000L;

    private final DataStore local;
    private final SharedSettings settings;
    private final Consumer<String> warnings;
    private PostgresDataStore shared;
    private boolean down;
    private long retryAt;
    private boolean warned;

    /** Takes over {@code local} (closes it when closed); connects to the shared store on first use. */
    public TieredStore(DataStore local, SharedSettings settings, Consumer<String> warnings) {
        this.local = Objects.requireNonNull(local, "local");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        // connecting (JDBC, schema check, the S3 client's first request) takes a second or more in a fresh
        // JVM; doing it now, in the background, keeps it out of the first lookup
        Thread t = new Thread(this::connectQuietly, "cellar-shared-connect");
        t.setDaemon(true);
        t.start();
    }

    public boolean readOnly() {
        return settings.readOnly();
    }

    /** The shared store if it is usable now, else null (a failure was warned about). */
    synchronized PostgresDataStore shared() {
        if (down && System.nanoTime() < retryAt) {
            return null;
        }
        if (shared == null) {
            try {
                shared = SharedTier.open(settings);
            } catch (StoreException | IllegalArgumentException e) {
                failed(e); // a malformed URL too: the local tier still works, the warning says what is wrong
                return null;
            }
        }
        down = false;
        return shared;
    }

    /** Connects ahead of use; a failure here is left for the first real operation to report. */
    private void connectQuietly() {
        PostgresDataStore sh;
        synchronized (this) {
            if (shared == null) {
                try {
                    shared = SharedTier.open(settings);
                } catch (RuntimeException e) {
                    return;
                }
            }
            sh = shared;
        }
        sh.warmUp();
    }

    /** The shared store if this process may write it now. */
    PostgresDataStore sharedForWrite() {
        return settings.readOnly() ? null : shared();
    }

    /** Records a failure of the shared tier: one warning per session, then local only for a while. */
    synchronized void failed(RuntimeException e) {
        down = true;
        retryAt = System.nanoTime() + RETRY_NANOS;
        if (!warned) {
            warned = true;
            warnings.accept("the shared store is unreachable (" + e.getMessage() + "); working with the local"
                    + " store only, and writing to the shared one again once it is back");
        }
    }

    @Override
    public EntryWriter begin(Key key) {
        EntryWriter l = local.begin(key);
        EntryWriter s = null;
        PostgresDataStore sh = sharedForWrite();
        if (sh != null) {
            s = sh.begin(key);
        }
        return new TeeWriter(this, l, s);
    }

    @Override
    public Optional<StoredEntry> open(Key key) {
        Optional<StoredEntry> l = local.open(key);
        if (l.isPresent()) {
            return l;
        }
        PostgresDataStore sh = shared();
        if (sh == null) {
            return Optional.empty();
        }
        StoredEntry remote;
        List<ByteBuffer> buffers = new ArrayList<>();
        List<String> names;
        try {
            Optional<StoredEntry> r = sh.open(key);
            if (r.isEmpty()) {
                return Optional.empty();
            }
            remote = r.get();
        } catch (StoreException e) {
            failed(e);
            return Optional.empty();
        }
        String from = "shared (" + sh.kind() + ")";
        try {
            names = new ArrayList<>(remote.payloadNames());
            for (String n : names) {
                buffers.add(remote.payload(n)); // downloads and checks size and SHA-256
            }
        } catch (DamagedPayloadException e) {
            remote.close();
            warnings.accept("corrupt shared entry " + remote.info().name() + " [" + key.shortHex() + "]: "
                    + e.getMessage() + (settings.readOnly() ? "; recomputing" : "; removed, recomputing"));
            removeShared(sh, key);
            if (!settings.readOnly()) {
                try {
                    sh.deleteObject(e.object());
                } catch (StoreException ex) {
                    failed(ex);
                }
            }
            return Optional.empty();
        } catch (StoreException e) {
            remote.close();
            failed(e);
            return Optional.empty();
        }
        try {
            copyToLocal(key, remote, names, buffers);
        } catch (StoreException | IOException e) {
            // the local store cannot take it (disk full): serve the shared copy itself
            return Optional.of(new Fetched(remote, from));
        }
        if (!settings.readOnly()) {
            try {
                sh.recordHit(key, remote.info().computeNanos());
            } catch (StoreException e) {
                failed(e);
            }
        }
        remote.close();
        return local.open(key).map(e -> new Fetched(e, from));
    }

    private void copyToLocal(Key key, StoredEntry remote, List<String> names, List<ByteBuffer> buffers)
            throws IOException {
        EntryInfo info = remote.info();
        try (EntryWriter w = local.begin(key)) {
            for (int i = 0; i < names.size(); i++) {
                try (WritableByteChannel ch = w.payload(names.get(i))) {
                    ByteBuffer b = buffers.get(i).duplicate();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
            }
            w.commit(remote.manifest(), new EntryMetadata(info.name(), info.createdMillis(), info.computeNanos()));
        }
    }

    private void removeShared(PostgresDataStore sh, Key key) {
        if (settings.readOnly()) {
            return;
        }
        try {
            sh.remove(key);
        } catch (StoreException e) {
            failed(e);
        }
    }

    @Override
    public boolean contains(Key key) {
        if (local.contains(key)) {
            return true;
        }
        PostgresDataStore sh = shared();
        try {
            return sh != null && sh.contains(key);
        } catch (StoreException e) {
            failed(e);
            return false;
        }
    }

    @Override
    public boolean remove(Key key) {
        boolean removed = local.remove(key);
        PostgresDataStore sh = sharedForWrite();
        if (sh != null) {
            try {
                removed |= sh.remove(key);
            } catch (StoreException e) {
                failed(e);
            }
        }
        return removed;
    }

    @Override
    public List<EntryInfo> list() {
        return local.list();
    }

    @Override
    public void recordHit(Key key, long savedNanos) {
        local.recordHit(key, savedNanos);
    }

    @Override
    public void recordMiss() {
        local.recordMiss();
    }

    @Override
    public StoreStats stats() {
        return local.stats();
    }

    @Override
    public List<EntryInfo> evictTo(long maxBytes) {
        return local.evictTo(maxBytes);
    }

    /** Both tiers, without credentials. */
    @Override
    public synchronized String location() {
        String s = shared != null ? shared.location() : "not connected yet";
        return local.location() + "; shared" + (settings.readOnly() ? " (read-only)" : "") + ": " + s;
    }

    @Override
    public synchronized void close() {
        try {
            local.close();
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
    }

    /** A local entry that was just fetched from the shared tier. */
    private record Fetched(StoredEntry entry, String fetchedFrom) implements StoredEntry {
        @Override
        public EntryInfo info() {
            return entry.info();
        }

        @Override
        public byte[] manifest() {
            return entry.manifest();
        }

        @Override
        public java.util.Set<String> payloadNames() {
            return entry.payloadNames();
        }

        @Override
        public ByteBuffer payload(String name) {
            return entry.payload(name);
        }

        @Override
        public void read(String name, long offset, ByteBuffer dst) {
            entry.read(name, offset, dst); // the local store's file read, not the default through the mapping
        }

        @Override
        public void close() {
            entry.close();
        }
    }
}
