package dev.cellar.store.postgres;

import dev.cellar.store.DataStore;
import dev.cellar.store.DataStoreContract;
import dev.cellar.store.shared.SharedServers;
import java.util.Map;

/** The contract on real PostgreSQL with payloads in chunk rows (no object storage). */
class PostgresDataStoreTest extends DataStoreContract {
    @Override
    protected DataStore newStore(long maxBytes) {
        SharedServers servers = SharedServers.get();
        return PostgresDataStore.open(servers.url(servers.freshSchema("chunks")), null, maxBytes, Map.of());
    }
}
