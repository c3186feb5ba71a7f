package dev.cellar.store.postgres;

import dev.cellar.store.DataStore;
import dev.cellar.store.DataStoreContract;
import dev.cellar.store.s3.S3BlobStore;
import dev.cellar.store.shared.SharedServers;
import java.util.Map;

/** The contract on real PostgreSQL with large payloads as objects on a real S3 server (S3Proxy). */
class PostgresS3DataStoreTest extends DataStoreContract {
    @Override
    protected DataStore newStore(long maxBytes) {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("pgs3");
        return PostgresDataStore.open(servers.url(schema), S3BlobStore.open(servers.blobs(schema), servers.awsEnv()),
                maxBytes, Map.of());
    }
}
