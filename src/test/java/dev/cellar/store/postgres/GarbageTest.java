package dev.cellar.store.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cellar.Key;
import dev.cellar.store.DataStoreContract;
import dev.cellar.store.StoredEntry;
import dev.cellar.store.shared.SharedServers;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The grace period of an unreferenced payload counts from when it lost its last reference, not from
 * when it was written: a reader that opened an old entry just before another process removed it (or
 * replaced it) and collected garbage still reads the bytes; after the grace period they are collected.
 */
class GarbageTest {
    private static final long GRACE = 1000;

    private static long blobs(SharedServers servers, String schema) throws Exception {
        try (Connection c = servers.jdbc(schema); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM cellar_blobs")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Key key(int i) {
        byte[] b = new byte[Key.LENGTH];
        b[1] = (byte) i;
        return Key.of(b);
    }

    private static byte[] payload(int fill) {
        byte[] b = new byte[300_000]; // over the inline limit: a blob of chunks
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private static byte[] read(StoredEntry e) {
        ByteBuffer b = e.payload("p");
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void graceCountsFromTheRemovalOfTheLastReference() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("grace");
        try (PostgresDataStore s = PostgresDataStore.open(servers.url(schema), null, Long.MAX_VALUE, Map.of())) {
            DataStoreContract.put(s, key(1), "removed", 1, new byte[] {1}, Map.of("p", payload(1)));
            DataStoreContract.put(s, key(2), "replaced", 1, new byte[] {1}, Map.of("p", payload(2)));
            Thread.sleep(GRACE + 500); // both payloads are now older than the grace period

            try (StoredEntry reader1 = s.open(key(1)).orElseThrow(); StoredEntry reader2 = s.open(key(2)).orElseThrow()) {
                s.remove(key(1));
                DataStoreContract.put(s, key(2), "replaced", 1, new byte[] {1}, Map.of("p", payload(3)));
                assertEquals(0, s.collectGarbage(GRACE), "just released: kept for the readers");
                assertArrayEquals(payload(1), read(reader1));
                assertArrayEquals(payload(2), read(reader2));
            }
            assertEquals(3, blobs(servers, schema));
            Thread.sleep(GRACE + 500);
            assertEquals(2, s.collectGarbage(GRACE), "released longer ago than the grace period: collected");
            assertEquals(1, blobs(servers, schema), "the payload still referenced stays");
            try (StoredEntry e = s.open(key(2)).orElseThrow()) {
                assertArrayEquals(payload(3), read(e));
            }
        }
    }

    @Test
    void aWritingProcessCollectsOrphansByItself() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("autogc");
        try (PostgresDataStore s = PostgresDataStore.open(servers.url(schema), null, Long.MAX_VALUE, Map.of())) {
            DataStoreContract.put(s, key(1), "orphaned", 1, new byte[] {1}, Map.of("p", payload(1)));
            s.remove(key(1));
            Thread.sleep(GRACE + 500);
            assertEquals(1, blobs(servers, schema), "nobody ran gc");
            s.autoCollect(3_600_000, GRACE); // as after an hour without collection
            DataStoreContract.put(s, key(2), "kept", 1, new byte[] {1}, Map.of("p", payload(2)));
            long deadline = System.nanoTime() + 60_000_000_000L; // a background thread: wait for it
            while (blobs(servers, schema) > 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, blobs(servers, schema), "the orphan was collected after the next commit");
            try (StoredEntry e = s.open(key(2)).orElseThrow()) {
                assertArrayEquals(payload(2), read(e));
            }
        }
    }
}
