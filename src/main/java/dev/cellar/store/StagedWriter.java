package dev.cellar.store;

import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The {@link EntryWriter} contract once, for every store: payload names are valid and unique, one
 * channel is open at a time, commit needs every channel closed, and a writer is used once. A store
 * supplies where payloads go ({@link #newPayload}), what commit does with them and how an abandoned
 * entry's payloads are thrown away.
 */
public abstract class StagedWriter<P extends StagedPayload> implements EntryWriter {
    private final List<P> payloads = new ArrayList<>();
    private boolean done;

    protected abstract P newPayload(String name);

    /** Makes the entry visible; called once, after every payload channel was closed. */
    protected abstract void commitPayloads(byte[] manifest, EntryMetadata metadata, List<P> payloads);

    /** Throws away the payloads of an entry that will not be committed. */
    protected abstract void discard(List<P> payloads);

    @Override
    public final synchronized WritableByteChannel payload(String name) {
        PayloadNames.check(name);
        checkUsable();
        for (P p : payloads) {
            if (p.name.equals(name)) {
                throw new IllegalArgumentException("payload '" + name + "' was already written");
            }
        }
        P p = newPayload(name);
        payloads.add(p);
        return p;
    }

    @Override
    public final synchronized void commit(byte[] manifest, EntryMetadata metadata) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(metadata, "metadata");
        checkUsable();
        done = true;
        commitPayloads(manifest.clone(), metadata, Collections.unmodifiableList(payloads));
    }

    @Override
    public final synchronized void close() {
        if (!done) {
            done = true;
            discard(Collections.unmodifiableList(payloads));
        }
    }

    private void checkUsable() {
        if (done) {
            throw new IllegalStateException("writer is closed");
        }
        for (P p : payloads) {
            if (p.isOpen()) {
                throw new IllegalStateException("close the channel of payload '" + p.name + "' first");
            }
        }
    }
}
