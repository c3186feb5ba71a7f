package dev.cellar.store.postgres;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.PayloadNames;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Streams payloads as they come; the commit is one transaction that writes the entry's rows. */
final class PgWriter implements EntryWriter {
    private final PostgresDataStore store;
    private final Key key;
    private final List<PayloadSink> sinks = new ArrayList<>();
    private boolean done;

    PgWriter(PostgresDataStore store, Key key) {
        this.store = store;
        this.key = key;
    }

    @Override
    public synchronized WritableByteChannel payload(String name) {
        PayloadNames.check(name);
        if (done) {
            throw new IllegalStateException("writer is closed");
        }
        checkChannelsClosed();
        for (PayloadSink s : sinks) {
            if (s.name.equals(name)) {
                throw new IllegalArgumentException("payload '" + name + "' was already written");
            }
        }
        PayloadSink sink = new PayloadSink(store, name);
        sinks.add(sink);
        return sink;
    }

    private void checkChannelsClosed() {
        for (PayloadSink s : sinks) {
            if (s.isOpen()) {
                throw new IllegalStateException("close the channel of payload '" + s.name + "' first");
            }
        }
    }

    @Override
    public synchronized void commit(byte[] manifest, EntryMetadata metadata) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(metadata, "metadata");
        if (done) {
            throw new IllegalStateException("writer is closed");
        }
        checkChannelsClosed();
        List<PayloadRef> refs = new ArrayList<>();
        for (PayloadSink s : sinks) {
            PayloadRef r = s.ref();
            if (r == null) {
                throw new StoreException("payload '" + s.name + "' was not stored; the entry is not committed");
            }
            refs.add(r);
        }
        done = true;
        store.commit(key, manifest.clone(), refs, metadata);
    }

    @Override
    public synchronized void close() {
        done = true;
        for (PayloadSink s : sinks) {
            if (s.isOpen()) {
                s.abort();
            }
        }
    }
}
