package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.StagedWriter;
import java.util.List;

/** Collects an entry's payloads; nothing touches RocksDB until commit, which is one write batch. */
final class RocksWriter extends StagedWriter<PayloadSink> {
    private final SharedStore shared;
    private final Key key;

    RocksWriter(SharedStore shared, Key key) {
        this.shared = shared;
        this.key = key;
    }

    @Override
    protected PayloadSink newPayload(String name) {
        return new PayloadSink(name, shared.dir);
    }

    @Override
    protected void commitPayloads(byte[] manifest, EntryMetadata metadata, List<PayloadSink> sinks) {
        try {
            for (PayloadSink s : sinks) {
                if (s.failed()) {
                    throw new StoreException("payload '" + s.name + "' of entry " + key.shortHex()
                            + " could not be written; nothing was stored");
                }
            }
            shared.commit(key, manifest, metadata, sinks);
        } finally {
            sinks.forEach(PayloadSink::discard);
        }
    }

    @Override
    protected void discard(List<PayloadSink> sinks) {
        sinks.forEach(PayloadSink::discard);
    }
}
