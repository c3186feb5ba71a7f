package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Parameters;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage in the shared tier: bytes of an object flipped or cut on S3Proxy's disk, a manifest row
 * overwritten in PostgreSQL. Each is a miss with one warning and the right value, never a wrong one.
 */
class CorruptionTest {
    @TempDir
    Path tmp;

    private final AtomicInteger runs = new AtomicInteger();
    private int machines;

    private Cellar machine(SharedServers servers, String schema, List<String> warnings) {
        return servers.machine(tmp.resolve("m" + machines++), schema)
                .warnings(warnings::add).build();
    }

    private double[] compute(int n) {
        runs.incrementAndGet();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = Math.sin(i) * n;
        }
        return d;
    }

    private static Path onlyObject(SharedServers servers, String schema) throws Exception {
        try (Stream<Path> s = Files.walk(servers.dir().resolve("s3/cellar/" + schema))) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            assertEquals(1, files.size(), files.toString());
            return files.get(0);
        }
    }

    private void damagedObjectIsAMissWithOneWarning(boolean truncate) throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema(truncate ? "cut" : "flip");
        int n = 150_000;
        try (Cellar a = machine(servers, schema, new ArrayList<>())) {
            a.cached("spikes", Parameters.of("n", n), () -> compute(n));
        }
        Path object = onlyObject(servers, schema);
        try (FileChannel ch = FileChannel.open(object, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (truncate) {
                ch.truncate(ch.size() / 2);
            } else {
                ByteBuffer b = ByteBuffer.allocate(1);
                ch.read(b, 5000);
                b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
                ch.write(b, 5000);
            }
        }
        List<String> warnings = new ArrayList<>();
        try (Cellar b = machine(servers, schema, warnings)) {
            assertArrayEquals(compute(n), b.cached("spikes", Parameters.of("n", n), () -> compute(n)));
            assertEquals(1 + 1 + 1, runs.get(), "B recomputed (runs: A, B, and the expected value above)");
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("corrupt shared entry spikes"), warnings.toString());
        }
        // B replaced the damaged entry: a third machine hits a sound one
        List<String> warningsC = new ArrayList<>();
        try (Cellar c = machine(servers, schema, warningsC)) {
            assertArrayEquals(compute(n), c.cached("spikes", Parameters.of("n", n), () -> compute(n)));
            assertEquals(4, runs.get(), "C hit (only the expected value was computed)");
            assertEquals(List.of(), warningsC);
        }
    }

    @Test
    void flippedObjectBytes() throws Exception {
        damagedObjectIsAMissWithOneWarning(false);
    }

    @Test
    void truncatedObject() throws Exception {
        damagedObjectIsAMissWithOneWarning(true);
    }

    @Test
    void damagedManifestRow() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("manifest");
        try (Cellar a = machine(servers, schema, new ArrayList<>())) {
            a.cached("alpha", Parameters.of("x", 1), () -> "the value " + runs.incrementAndGet());
        }
        try (Connection c = servers.jdbc(schema); Statement s = c.createStatement()) {
            // overwrite bytes inside the manifest (JSON) with garbage
            assertEquals(1, s.executeUpdate("UPDATE cellar_entries SET manifest = overlay(manifest placing"
                    + " '\\x00ff00ff00ff'::bytea from 20)"));
        }
        List<String> warnings = new ArrayList<>();
        try (Cellar b = machine(servers, schema, warnings)) {
            String v = b.cached("alpha", Parameters.of("x", 1), () -> "the value " + runs.incrementAndGet());
            assertEquals("the value 2", v, "recomputed, not the damaged entry's value");
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("corrupt entry alpha"), warnings.toString());
        }
    }
}
