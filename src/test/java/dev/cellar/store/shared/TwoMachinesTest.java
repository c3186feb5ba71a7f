package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machines with separate local stores sharing one PostgreSQL + S3Proxy: what one computes the others
 * hit, first from the shared tier and then locally; a read-only machine never writes the shared tier.
 */
class TwoMachinesTest {
    @TempDir
    Path tmp;

    private Cellar machine(SharedServers servers, String schema, String localDir, boolean readOnly, List<String> status) {
        Cellar c = Cellar.builder()
                .store(dev.cellar.engine.Config.fromEnvironment().openStore(tmp.resolve(localDir)))
                .shared(servers.url(schema))
                .sharedBlobs(servers.blobs(schema))
                .sharedReadOnly(readOnly)
                .sharedEnvironment(servers.awsEnv())
                .build();
        c.onStatus(status::add);
        return c;
    }

    private static double[] spikes(int n, AtomicInteger runs) {
        runs.incrementAndGet();
        double[] d = new double[n];
        Random r = new Random(n);
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian();
        }
        return d;
    }

    @Test
    void oneComputesTheOthersHitFromSharedThenLocallyAndReadOnlyNeverWrites() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("machines");
        AtomicInteger runs = new AtomicInteger();
        int n = 200_000; // 1.6 MB: a payload object on S3, not an inline row
        List<String> statusA = new ArrayList<>();
        List<String> statusB = new ArrayList<>();
        List<String> statusC = new ArrayList<>();
        try (Cellar a = machine(servers, schema, "a", false, statusA);
                Cellar b = machine(servers, schema, "b", false, statusB);
                Cellar c = machine(servers, schema, "c", true, statusC)) {
            double[] va = a.cached("spikes", Parameters.of("n", n), () -> spikes(n, runs));
            assertEquals(1, runs.get());
            assertTrue(statusA.get(0).startsWith("cellar: MISS spikes"), statusA.toString());

            double[] vb = b.cached("spikes", Parameters.of("n", n), () -> spikes(n, runs));
            assertEquals(1, runs.get(), "B hit what A computed");
            assertArrayEquals(va, vb);
            assertTrue(statusB.get(0).contains("HIT spikes") && statusB.get(0).contains("from shared (postgres+s3)"),
                    statusB.toString());
            double[] vb2 = b.cached("spikes", Parameters.of("n", n), () -> spikes(n, runs));
            assertArrayEquals(va, vb2);
            assertTrue(statusB.get(1).contains("HIT spikes") && !statusB.get(1).contains("from shared"),
                    "second hit is local: " + statusB);

            // C reads what others computed...
            double[] vc = c.cached("spikes", Parameters.of("n", n), () -> spikes(n, runs));
            assertArrayEquals(va, vc);
            assertEquals(1, runs.get());
            // ...and computes its own misses without writing the shared tier
            long objectsBefore = objectFiles(servers, schema);
            long rowsBefore = rows(servers, schema);
            c.cached("spikes", Parameters.of("n", n + 1), () -> spikes(n + 1, runs));
            c.cached("small", Parameters.of("x", 1), () -> "tiny");
            assertEquals(2, runs.get(), "C computed its miss");
            assertEquals(rowsBefore, rows(servers, schema), "read-only C wrote no row");
            assertEquals(objectsBefore, objectFiles(servers, schema), "read-only C wrote no object");
            // a read-write machine does not see C's result in the shared tier
            b.cached("small", Parameters.of("x", 1), () -> "tiny-b");
            assertTrue(statusB.get(2).startsWith("cellar: MISS small"), statusB.toString());
        }
    }

    /** Rows in every cellar table of the schema (entries, payloads, blobs, chunks, leases). */
    private static long rows(SharedServers servers, String schema) throws Exception {
        try (Connection c = servers.jdbc(schema); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM cellar_entries) + (SELECT count(*) FROM"
                        + " cellar_payloads) + (SELECT count(*) FROM cellar_blobs) + (SELECT count(*) FROM cellar_chunks)"
                        + " + (SELECT count(*) FROM cellar_leases)")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Object files S3Proxy holds under the schema's prefix. */
    static long objectFiles(SharedServers servers, String prefix) throws IOException {
        Path dir = servers.dir().resolve("s3/cellar/" + prefix);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
