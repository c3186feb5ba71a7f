package dev.cellar;

import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoredEntry;
import dev.cellar.testing.ForwardingDataStore;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;

/**
 * A store decorator that injects faults the real stores cannot produce on demand in a unit test:
 * flipped or missing payload bytes, garbage manifests, an unwritable store. Real-file corruption and
 * real disk-full are covered by the store and reliability suites.
 */
final class FaultyStore extends ForwardingDataStore {
    enum Fault { NONE, FLIP_PAYLOAD_BYTE, TRUNCATE_PAYLOAD, GARBAGE_MANIFEST, UNWRITABLE }

    volatile Fault fault = Fault.NONE;

    FaultyStore(DataStore delegate) {
        super(delegate);
    }

    @Override
    public EntryWriter begin(Key key) {
        if (fault == Fault.UNWRITABLE) {
            throw new StoreException("No space left on device");
        }
        return delegate.begin(key);
    }

    @Override
    public Optional<StoredEntry> open(Key key) {
        return delegate.open(key).map(e -> fault == Fault.NONE ? e : new Faulty(e));
    }

    private final class Faulty implements StoredEntry {
        private final StoredEntry e;

        Faulty(StoredEntry e) {
            this.e = e;
        }

        @Override
        public EntryInfo info() {
            return e.info();
        }

        @Override
        public byte[] manifest() {
            return fault == Fault.GARBAGE_MANIFEST ? "{\"format\": 1, \"name\": [".getBytes() : e.manifest();
        }

        @Override
        public Set<String> payloadNames() {
            return e.payloadNames();
        }

        @Override
        public ByteBuffer payload(String name) {
            ByteBuffer src = e.payload(name);
            ByteBuffer copy = ByteBuffer.allocate(src.remaining());
            copy.put(src.duplicate()).flip();
            if (fault == Fault.FLIP_PAYLOAD_BYTE) {
                int at = copy.limit() / 2;
                copy.put(at, (byte) (copy.get(at) ^ 0x10));
            } else if (fault == Fault.TRUNCATE_PAYLOAD) {
                copy.limit(copy.limit() - 1);
            }
            return copy.asReadOnlyBuffer();
        }

        @Override
        public void close() {
            e.close();
        }
    }

    @Override
    public String location() {
        return "faulty(" + delegate.location() + ")";
    }
}
