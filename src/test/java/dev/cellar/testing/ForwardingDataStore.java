package dev.cellar.testing;

import dev.cellar.Key;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreStats;
import dev.cellar.store.StoredEntry;
import java.util.List;
import java.util.Optional;

/**
 * A {@link DataStore} that passes every call to another: the base of the tests' fault-injecting
 * decorators, which override only the calls they break (and keep compiling when the interface grows).
 */
public abstract class ForwardingDataStore implements DataStore {
    protected final DataStore delegate;

    protected ForwardingDataStore(DataStore delegate) {
        this.delegate = delegate;
    }

    /** The store this one forwards to. */
    public DataStore delegate() {
        return delegate;
    }

    @Override
    public EntryWriter begin(Key key) {
        return delegate.begin(key);
    }

    @Override
    public Optional<StoredEntry> open(Key key) {
        return delegate.open(key);
    }

    @Override
    public boolean contains(Key key) {
        return delegate.contains(key);
    }

    @Override
    public boolean remove(Key key) {
        return delegate.remove(key);
    }

    @Override
    public List<EntryInfo> list() {
        return delegate.list();
    }

    @Override
    public void recordHit(Key key, long savedNanos) {
        delegate.recordHit(key, savedNanos);
    }

    @Override
    public void recordMiss() {
        delegate.recordMiss();
    }

    @Override
    public StoreStats stats() {
        return delegate.stats();
    }

    @Override
    public List<EntryInfo> evictTo(long maxBytes) {
        return delegate.evictTo(maxBytes);
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
