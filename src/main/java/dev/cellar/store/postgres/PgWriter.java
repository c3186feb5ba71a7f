package dev.cellar.store.postgres;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.StagedWriter;
import java.util.ArrayList;
import java.util.List;

/** Streams payloads as they come; the commit is one transaction that writes the entry's rows. */
final class PgWriter extends StagedWriter<PayloadSink> {
    private final PostgresDataStore store;
    private final Key key;

    PgWriter(PostgresDataStore store, Key key) {
        this.store = store;
        this.key = key;
    }

    @Override
    protected PayloadSink newPayload(String name) {
        return new PayloadSink(store, name);
    }

    @Override
    protected void commitPayloads(byte[] manifest, EntryMetadata metadata, List<PayloadSink> sinks) {
        List<PayloadRef> refs = new ArrayList<>();
        for (PayloadSink s : sinks) {
            PayloadRef r = s.ref();
            if (r == null) {
                throw new StoreException("payload '" + s.name + "' was not stored; the entry is not committed");
            }
            refs.add(r);
        }
        store.commit(key, manifest, refs, metadata);
    }

    @Override
    protected void discard(List<PayloadSink> sinks) {
        sinks.forEach(PayloadSink::abort);
    }
}
