package dev.cellar.store.postgres;

import dev.cellar.StoreException;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoredEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An entry as read in one query: metadata, manifest and where each payload lives. Large payloads are
 * downloaded on first use into a temporary file, checked (size and SHA-256), memory-mapped and the file
 * deleted, so they occupy page cache rather than heap. The references taken at open stay valid after
 * the entry is replaced or removed, because unreferenced blobs live on for the grace period.
 */
final class PgEntry implements StoredEntry {
    private final PostgresDataStore store;
    private final EntryInfo info;
    private final byte[] manifest;
    private final Map<String, PayloadRef> refs;
    private final Map<String, ByteBuffer> loaded = new HashMap<>();
    private boolean closed;

    PgEntry(PostgresDataStore store, EntryInfo info, byte[] manifest, Map<String, PayloadRef> refs) {
        this.store = store;
        this.info = info;
        this.manifest = manifest;
        this.refs = new LinkedHashMap<>(refs);
    }

    @Override
    public EntryInfo info() {
        return info;
    }

    @Override
    public byte[] manifest() {
        return manifest.clone();
    }

    @Override
    public Set<String> payloadNames() {
        return Collections.unmodifiableSet(refs.keySet());
    }

    /** Where a payload lives, for {@code %cellar store} and status lines. */
    boolean usesObjects() {
        return refs.values().stream().anyMatch(r -> r.kind() == PayloadRef.OBJECT);
    }

    @Override
    public synchronized ByteBuffer payload(String name) {
        PayloadRef ref = refs.get(name);
        if (ref == null) {
            throw new NoSuchElementException("no payload '" + name + "' in entry " + info.key().shortHex());
        }
        if (closed) {
            throw new IllegalStateException("entry is closed");
        }
        ByteBuffer b = loaded.get(name);
        if (b == null) {
            b = load(ref);
            loaded.put(name, b);
        }
        return b.duplicate();
    }

    private ByteBuffer load(PayloadRef ref) {
        if (ref.kind() == PayloadRef.INLINE) {
            if (ref.bytes() == null || ref.bytes().length != ref.size()) {
                throw new DamagedPayloadException("payload '" + ref.name() + "' in the shared store is damaged:"
                        + " its recorded size does not match", null);
            }
            return ByteBuffer.wrap(ref.bytes()).asReadOnlyBuffer();
        }
        Path file = null;
        try {
            file = Files.createTempFile(store.spoolDir(), "download-", ".tmp");
            if (ref.kind() == PayloadRef.CHUNKS) {
                Chunks.download(store.pool(), ref, file);
            } else if (ref.kind() == PayloadRef.OBJECT && store.blobs() != null) {
                String sha = store.blobs().get(ref.blob(), file);
                if (sha == null) {
                    throw new DamagedPayloadException("payload '" + ref.name() + "' of the shared store is missing"
                            + " from " + store.blobs().location(), null);
                }
                Digests.check(ref, Files.size(file), sha);
            } else {
                throw new StoreException("payload '" + ref.name() + "' is in object storage, which is not configured"
                        + " here (set CELLAR_SHARED_BLOBS)");
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            }
        } catch (IOException e) {
            throw new StoreException("cannot spool payload '" + ref.name() + "': " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file); // the mapping stays valid; the disk space returns on unmap
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            loaded.clear();
            store.release(info.key());
        }
    }
}
