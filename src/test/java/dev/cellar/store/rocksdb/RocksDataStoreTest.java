package dev.cellar.store.rocksdb;

import dev.cellar.store.DataStore;
import dev.cellar.store.DataStoreContract;
import dev.cellar.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class RocksDataStoreTest extends DataStoreContract {
    @TempDir
    Path tmp;
    private final AtomicInteger n = new AtomicInteger();

    @Override
    protected DataStore newStore(long maxBytes) {
        return RocksDataStore.open(tmp.resolve("store" + n.incrementAndGet()),
                StoreOptions.builder().maxBytes(maxBytes).idleRelease(Duration.ofMillis(200)).build());
    }
}
