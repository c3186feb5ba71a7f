package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.engine.SharedConfig;
import dev.cellar.store.DataStore;
import dev.cellar.testing.ChildJvm;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A writer SIGKILLed mid-upload (chunks streaming into PostgreSQL; an object uploaded but not yet
 * committed) leaves no entry; what it left is kept through the grace period and collected after it.
 */
class KilledWriterTest {
    private static ChildJvm start(SharedServers servers, String schema, String mode) throws Exception {
        List<String> args = new ArrayList<>(List.of(mode, "CELLAR_SHARED=" + servers.url(schema),
                "CELLAR_SHARED_BLOBS=" + servers.blobs(schema)));
        for (Map.Entry<String, String> e : servers.awsEnv().entrySet()) {
            args.add(e.getKey() + "=" + e.getValue());
        }
        return ChildJvm.start(KilledWriterChild.class, "256m", args.toArray(String[]::new));
    }

    private static void killAfter(ChildJvm child, String line) throws Exception {
        while (true) {
            String l = child.next(120);
            if (l == null || l.equals(ChildJvm.EOF)) {
                throw new AssertionError("child ended before " + line);
            }
            if (l.equals(line)) {
                break;
            }
        }
        child.process.destroyForcibly();
        child.process.waitFor();
    }

    private static long count(SharedServers servers, String schema, String sql) throws Exception {
        try (Connection c = servers.jdbc(schema); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void killedWritersLeaveNoEntryAndTheirLeftoversAreCollectedAfterTheGracePeriod() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("killed");
        killAfter(start(servers, schema, "chunks"), "PROGRESS");
        killAfter(start(servers, schema, "object"), "UPLOADED");

        assertEquals(0, count(servers, schema, "SELECT count(*) FROM cellar_entries"), "no entry");
        assertTrue(count(servers, schema, "SELECT count(*) FROM cellar_chunks") >= 16, "chunks were streamed and committed");
        assertEquals(2, count(servers, schema, "SELECT count(*) FROM cellar_blobs"));
        assertEquals(1, TwoMachinesTest.objectFiles(servers, schema), "the object was uploaded");

        try (DataStore shared = SharedConfig.openShared(SharedConfig.settings(servers.url(schema),
                servers.blobs(schema), null, null, servers.awsEnv()))) {
            assertEquals(0, SharedConfig.collectGarbage(shared, 3_600_000), "within the grace period: kept");
            assertEquals(1, TwoMachinesTest.objectFiles(servers, schema));
            Thread.sleep(1500);
            assertEquals(2, SharedConfig.collectGarbage(shared, 1000), "after the grace period: collected");
        }
        assertEquals(0, count(servers, schema, "SELECT count(*) FROM cellar_chunks"));
        assertEquals(0, count(servers, schema, "SELECT count(*) FROM cellar_blobs"));
        assertEquals(0, TwoMachinesTest.objectFiles(servers, schema), "the orphan object was deleted");
    }
}
