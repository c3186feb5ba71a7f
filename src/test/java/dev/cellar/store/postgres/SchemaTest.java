package dev.cellar.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.DataStoreContract;
import dev.cellar.store.shared.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shared database's schema: the running total of entry sizes stays equal to the sum of the entries
 * through inserts, replacements, removals and evictions; a version 1 database is migrated with its
 * total computed once; a newer version is refused and left alone.
 */
class SchemaTest {
    private static long query(SharedServers servers, String schema, String sql) throws Exception {
        try (Connection c = servers.jdbc(schema); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void exec(SharedServers servers, String schema, String... sql) throws Exception {
        try (Connection c = servers.jdbc(schema); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static Key key(int i) {
        byte[] b = new byte[Key.LENGTH];
        b[0] = (byte) i;
        return Key.of(b);
    }

    private static long sum(SharedServers servers, String schema) throws Exception {
        return query(servers, schema, "SELECT coalesce(sum(size_bytes), 0) FROM cellar_entries");
    }

    @Test
    void runningTotalFollowsEveryChange() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("total");
        try (PostgresDataStore s = PostgresDataStore.open(servers.url(schema), null, Long.MAX_VALUE, Map.of())) {
            for (int i = 0; i < 5; i++) {
                DataStoreContract.put(s, key(i), "e" + i, 10, new byte[] {1, 2}, Map.of("p", new byte[1000 * (i + 1)]));
            }
            assertEquals(2 * 5 + 1000 * 15, s.stats().bytes());
            assertEquals(sum(servers, schema), s.stats().bytes());
            DataStoreContract.put(s, key(2), "e2", 10, new byte[] {1}, Map.of("p", new byte[70_000])); // replaced
            assertEquals(sum(servers, schema), s.stats().bytes());
            s.remove(key(0));
            assertEquals(sum(servers, schema), s.stats().bytes());
            s.evictTo(10_000);
            assertTrue(s.stats().bytes() <= 10_000, "evicted to the cap: " + s.stats().bytes());
            assertEquals(sum(servers, schema), s.stats().bytes());
            exec(servers, schema, "DELETE FROM cellar_entries"); // by hand, as an administrator might
            assertEquals(0, s.stats().bytes());
        }
    }

    @Test
    void versionOneIsMigratedAndNewerIsRefused() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("migrate");
        exec(servers, schema, "CREATE TABLE cellar_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)");
        exec(servers, schema, Schema.V1);
        exec(servers, schema, "INSERT INTO cellar_schema VALUES (1, 1)",
                "INSERT INTO cellar_entries (key, name, manifest, size_bytes, created_millis, last_used_millis,"
                        + " compute_nanos, written_by) VALUES ('\\x01', 'old', '\\x00', 1234, 0, 0, 0, 'v1')");
        try (PostgresDataStore s = PostgresDataStore.open(servers.url(schema), null, Long.MAX_VALUE, Map.of())) {
            assertEquals(Schema.VERSION, query(servers, schema, "SELECT version FROM cellar_schema"));
            assertEquals(1234, s.stats().bytes(), "the total of what version 1 wrote");
            DataStoreContract.put(s, key(9), "new", 10, new byte[] {1}, Map.of("p", new byte[100]));
            assertEquals(1234 + 101, s.stats().bytes());
        }

        exec(servers, schema, "UPDATE cellar_schema SET version = " + (Schema.VERSION + 1));
        StoreException e = assertThrows(StoreException.class,
                () -> PostgresDataStore.open(servers.url(schema), null, Long.MAX_VALUE, Map.of()));
        assertTrue(e.getMessage().contains("newer than this cellar understands"), e.getMessage());
        assertEquals(Schema.VERSION + 1, query(servers, schema, "SELECT version FROM cellar_schema"), "left alone");
    }
}
