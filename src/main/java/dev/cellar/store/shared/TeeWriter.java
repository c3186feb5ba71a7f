package dev.cellar.store.shared;

import dev.cellar.StoreException;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes one entry to the local store and, while that works, to the shared one. The local entry is
 * committed first and never depends on the shared tier: a shared failure drops the shared half with
 * the tier's one warning.
 */
final class TeeWriter implements EntryWriter {
    private final TieredStore tiers;
    private final EntryWriter local;
    private EntryWriter shared;

    TeeWriter(TieredStore tiers, EntryWriter local, EntryWriter shared) {
        this.tiers = tiers;
        this.local = local;
        this.shared = shared;
    }

    private void dropShared(RuntimeException e) {
        if (shared != null) {
            try {
                shared.close();
            } catch (RuntimeException ignored) {
                // already failing
            }
            shared = null;
            tiers.failed(e);
        }
    }

    @Override
    public WritableByteChannel payload(String name) {
        WritableByteChannel l = local.payload(name);
        WritableByteChannel s = null;
        if (shared != null) {
            try {
                s = shared.payload(name);
            } catch (StoreException e) {
                dropShared(e);
            }
        }
        return new Tee(l, s);
    }

    @Override
    public void commit(byte[] manifest, EntryMetadata metadata) {
        local.commit(manifest, metadata);
        if (shared != null) {
            try {
                shared.commit(manifest, metadata);
            } catch (StoreException e) {
                dropShared(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            local.close();
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
    }

    private final class Tee implements WritableByteChannel {
        private final WritableByteChannel local;
        private WritableByteChannel shared;

        Tee(WritableByteChannel local, WritableByteChannel shared) {
            this.local = local;
            this.shared = shared;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer copy = src.duplicate();
            int n = local.write(src);
            if (shared != null && TeeWriter.this.shared != null) {
                copy.limit(copy.position() + n);
                try {
                    while (copy.hasRemaining()) {
                        shared.write(copy);
                    }
                } catch (IOException | RuntimeException e) {
                    shared = null;
                    dropShared(e instanceof RuntimeException r ? r : new StoreException(e.getMessage(), e));
                }
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return local.isOpen();
        }

        @Override
        public void close() throws IOException {
            try {
                local.close();
            } finally {
                if (shared != null && TeeWriter.this.shared != null) {
                    try {
                        shared.close(); // uploads an object payload
                    } catch (IOException | RuntimeException e) {
                        dropShared(e instanceof RuntimeException r ? r : new StoreException(e.getMessage(), e));
                    }
                }
            }
        }
    }
}
