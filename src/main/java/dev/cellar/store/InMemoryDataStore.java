package dev.cellar.store;

import dev.cellar.Key;
import dev.cellar.StoreException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A store in the heap, for tests and for sessions that need no persistence. Thread-safe (one monitor:
 * operations are short, payload bytes are copied outside it). Payloads are held as byte arrays, so a
 * single payload is limited to about 2 GB. Statistics live as long as the store.
 */
public final class InMemoryDataStore implements DataStore {
    private final long maxBytes;
    private final Map<Key, Entry> entries = new HashMap<>();
    private final Map<Key, Integer> openCounts = new HashMap<>();
    private long bytes;
    private long hits;
    private long misses;
    private long savedNanos;
    private boolean closed;

    /** A store without a size cap. */
    public InMemoryDataStore() {
        this(Long.MAX_VALUE);
    }

    /** @throws IllegalArgumentException if {@code maxBytes} is negative */
    public InMemoryDataStore(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Immutable once committed; usage counters are replaced, never mutated in place. */
    private record Entry(byte[] manifest, Map<String, byte[]> payloads, EntryMetadata metadata, long sizeBytes,
            long lastUsedMillis, long hits, long savedNanos) {
        EntryInfo info(Key key) {
            return new EntryInfo(key, metadata.name(), sizeBytes, metadata.createdMillis(), lastUsedMillis,
                    metadata.computeNanos(), hits, savedNanos);
        }
    }

    @Override
    public EntryWriter begin(Key key) {
        Objects.requireNonNull(key, "key");
        synchronized (this) {
            checkOpen();
        }
        return new Writer(key);
    }

    @Override
    public Optional<StoredEntry> open(Key key) {
        Objects.requireNonNull(key, "key");
        synchronized (this) {
            checkOpen();
            Entry e = entries.get(key);
            if (e == null) {
                return Optional.empty();
            }
            openCounts.merge(key, 1, Integer::sum);
            return Optional.of(new Reader(key, e));
        }
    }

    @Override
    public synchronized boolean contains(Key key) {
        checkOpen();
        return entries.containsKey(key);
    }

    @Override
    public synchronized boolean remove(Key key) {
        checkOpen();
        Entry e = entries.remove(key);
        if (e != null) {
            bytes -= e.sizeBytes;
        }
        return e != null;
    }

    @Override
    public synchronized List<EntryInfo> list() {
        checkOpen();
        List<EntryInfo> out = new ArrayList<>(entries.size());
        entries.forEach((k, e) -> out.add(e.info(k)));
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    @Override
    public synchronized void recordHit(Key key, long savedNanos) {
        checkOpen();
        hits++;
        this.savedNanos += savedNanos;
        Entry e = entries.get(key);
        if (e != null) {
            entries.put(key, new Entry(e.manifest, e.payloads, e.metadata, e.sizeBytes, System.currentTimeMillis(),
                    e.hits + 1, e.savedNanos + savedNanos));
        }
    }

    @Override
    public synchronized void recordMiss() {
        checkOpen();
        misses++;
    }

    @Override
    public synchronized StoreStats stats() {
        checkOpen();
        return new StoreStats(entries.size(), bytes, hits, misses, savedNanos);
    }

    @Override
    public synchronized List<EntryInfo> evictTo(long maxBytes) {
        checkOpen();
        List<EntryInfo> victims = Eviction.victims(list(), maxBytes, openCounts::containsKey);
        for (EntryInfo v : victims) {
            remove(v.key());
        }
        return victims;
    }

    @Override
    public String location() {
        return "in memory (not persisted)";
    }

    @Override
    public synchronized void close() {
        closed = true;
        entries.clear();
        bytes = 0;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    private synchronized void commit(Key key, byte[] manifest, Map<String, byte[]> payloads, EntryMetadata metadata) {
        checkOpen();
        long size = manifest.length;
        for (byte[] p : payloads.values()) {
            size += p.length;
        }
        Entry old = entries.get(key);
        long keptHits = old == null ? 0 : old.hits;
        long keptSaved = old == null ? 0 : old.savedNanos;
        Entry fresh = new Entry(manifest, payloads, metadata, size, System.currentTimeMillis(), keptHits, keptSaved);
        entries.put(key, fresh);
        bytes += size - (old == null ? 0 : old.sizeBytes);
        if (bytes > maxBytes) {
            evictTo(maxBytes);
        }
    }

    private synchronized void release(Key key) {
        openCounts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    private final class Writer extends StagedWriter<PayloadBuffer> {
        private final Key key;

        Writer(Key key) {
            this.key = key;
        }

        @Override
        protected PayloadBuffer newPayload(String name) {
            return new PayloadBuffer(name);
        }

        @Override
        protected void commitPayloads(byte[] manifest, EntryMetadata metadata, List<PayloadBuffer> buffers) {
            Map<String, byte[]> payloads = new LinkedHashMap<>();
            for (PayloadBuffer b : buffers) {
                payloads.put(b.name, b.bytes());
            }
            InMemoryDataStore.this.commit(key, manifest, Collections.unmodifiableMap(payloads), metadata);
        }

        @Override
        protected void discard(List<PayloadBuffer> buffers) {
            buffers.forEach(PayloadBuffer::close);
        }
    }

    /** A growable byte buffer behind a channel. */
    private static final class PayloadBuffer extends StagedPayload {
        private byte[] buf = new byte[256];
        private int size;

        PayloadBuffer(String name) {
            super(name);
        }

        @Override
        protected int accept(ByteBuffer src) {
            int n = src.remaining();
            if ((long) size + n > Integer.MAX_VALUE - 16) {
                throw new StoreException("payload '" + name + "' is too large for the in-memory store");
            }
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(size + n, 2L * buf.length)));
            }
            src.get(buf, size, n);
            size += n;
            return n;
        }

        @Override
        protected void finish() {
            // the bytes are complete in memory
        }

        synchronized byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }
    }

    private final class Reader implements StoredEntry {
        private final Key key;
        private final Entry entry;
        private boolean closed;

        Reader(Key key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        @Override
        public EntryInfo info() {
            return entry.info(key);
        }

        @Override
        public byte[] manifest() {
            return entry.manifest.clone();
        }

        @Override
        public Set<String> payloadNames() {
            return entry.payloads.keySet();
        }

        @Override
        public ByteBuffer payload(String name) {
            byte[] p = entry.payloads.get(name);
            if (p == null) {
                throw new NoSuchElementException("no payload '" + name + "' in entry " + key.shortHex());
            }
            return ByteBuffer.wrap(p).asReadOnlyBuffer();
        }

        @Override
        public void close() {
            synchronized (InMemoryDataStore.this) {
                if (!closed) {
                    closed = true;
                    release(key);
                }
            }
        }
    }
}
