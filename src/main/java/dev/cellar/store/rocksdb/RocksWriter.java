package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.PayloadNames;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Collects an entry's payloads; nothing touches RocksDB until commit, which is one write batch. */
final class RocksWriter implements EntryWriter {
    private final SharedStore shared;
    private final Key key;
    private final List<PayloadSink> sinks = new ArrayList<>();
    private boolean done;

    RocksWriter(SharedStore shared, Key key) {
        this.shared = shared;
        this.key = key;
    }

    @Override
    public synchronized WritableByteChannel payload(String name) {
        PayloadNames.check(name);
        if (done) {
            throw new IllegalStateException("writer is closed");
        }
        for (PayloadSink s : sinks) {
            if (s.isOpen()) {
                throw new IllegalStateException("close the channel of payload '" + s.name + "' first");
            }
            if (s.name.equals(name)) {
                throw new IllegalArgumentException("payload '" + name + "' was already written");
            }
        }
        PayloadSink sink = new PayloadSink(name, shared.dir);
        sinks.add(sink);
        return sink;
    }

    @Override
    public synchronized void commit(byte[] manifest, EntryMetadata metadata) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(metadata, "metadata");
        if (done) {
            throw new IllegalStateException("writer is closed");
        }
        for (PayloadSink s : sinks) {
            if (s.isOpen()) {
                throw new IllegalStateException("close the channel of payload '" + s.name + "' first");
            }
        }
        done = true;
        try {
            for (PayloadSink s : sinks) {
                if (s.failed()) {
                    throw new StoreException("payload '" + s.name + "' of entry " + key.shortHex()
                            + " could not be written; nothing was stored");
                }
            }
            shared.commit(key, manifest.clone(), metadata, sinks);
        } finally {
            sinks.forEach(PayloadSink::discard);
        }
    }

    @Override
    public synchronized void close() {
        if (!done) {
            done = true;
            sinks.forEach(PayloadSink::discard);
        }
    }
}
