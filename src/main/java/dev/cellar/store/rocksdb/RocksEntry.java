package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoredEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open entry. Its record was read and its blob files mapped while the store was held, so it needs
 * neither RocksDB nor the lock any more; it pins its key against eviction in this process until closed.
 * The mappings are not unmapped at close (the JDK has no safe way): a buffer used after close still
 * reads the old bytes instead of crashing the JVM, and the garbage collector releases it.
 */
final class RocksEntry implements StoredEntry {
    private final SharedStore shared;
    private final Key key;
    /** The info with statistics, read on first use: a hit does not need them (one lookup less per hit). */
    private final java.util.function.Supplier<EntryInfo> infoSource;
    private volatile EntryInfo info;
    private final byte[] manifest;
    /** A read-only buffer per payload, or why it cannot be read (missing, truncated). */
    private final Map<String, OpenPayload> payloads;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Blob files opened for {@link #read}, by payload name; closed with the entry. */
    private final Map<String, FileChannel> channels = new HashMap<>();

    RocksEntry(SharedStore shared, Key key, java.util.function.Supplier<EntryInfo> info, byte[] manifest,
            Map<String, OpenPayload> payloads) {
        this.shared = shared;
        this.key = key;
        this.infoSource = info;
        this.manifest = manifest;
        this.payloads = payloads;
    }

    @Override
    public EntryInfo info() {
        EntryInfo i = info;
        if (i == null) {
            i = infoSource.get();
            info = i;
        }
        return i;
    }

    @Override
    public byte[] manifest() {
        return manifest.clone();
    }

    @Override
    public Set<String> payloadNames() {
        return Collections.unmodifiableSet(payloads.keySet());
    }

    @Override
    public ByteBuffer payload(String name) {
        OpenPayload p = payloads.get(name);
        if (p == null) {
            throw new NoSuchElementException("no payload '" + name + "' in entry " + key.shortHex());
        }
        return p.read();
    }

    /**
     * Reads a blob's bytes with {@code pread} rather than through its mapping (see
     * {@link StoredEntry#read}). The mapping stays the ground truth: if the file cannot be opened or read
     * (another process's cleanup deleted it after this entry was opened; blob ids are never reused), the
     * bytes come from the mapping, which still holds them.
     */
    @Override
    public void read(String name, long offset, ByteBuffer dst) {
        OpenPayload p = payloads.get(name);
        if (!(p instanceof OpenPayload.Bytes b) || b.file() == null || closed.get()) {
            StoredEntry.super.read(name, offset, dst);
            return;
        }
        long size = b.buffer().capacity();
        if (offset < 0 || offset + dst.remaining() > size) {
            throw new IndexOutOfBoundsException("bytes " + offset + "+" + dst.remaining() + " of a " + size + "-byte payload");
        }
        int start = dst.position();
        try {
            FileChannel ch;
            synchronized (channels) {
                ch = channels.get(name);
                if (ch == null) {
                    ch = FileChannel.open(b.file(), StandardOpenOption.READ);
                    channels.put(name, ch);
                }
            }
            long at = offset;
            while (dst.hasRemaining()) {
                int n = ch.read(dst, at);
                if (n < 0) {
                    throw new IOException("the file ends early");
                }
                at += n;
            }
        } catch (IOException e) {
            dst.position(start);
            StoredEntry.super.read(name, offset, dst);
        }
    }

    Key key() {
        return key;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            shared.unpin(key);
            synchronized (channels) {
                for (FileChannel ch : channels.values()) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // read-only: nothing is lost
                    }
                }
                channels.clear();
            }
        }
    }
}
