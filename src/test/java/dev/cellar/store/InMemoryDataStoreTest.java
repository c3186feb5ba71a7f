package dev.cellar.store;

class InMemoryDataStoreTest extends DataStoreContract {
    @Override
    protected DataStore newStore(long maxBytes) {
        return new InMemoryDataStore(maxBytes);
    }
}
