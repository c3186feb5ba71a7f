package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Parameters;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.engine.Config;
import dev.cellar.engine.Entries;
import dev.cellar.engine.SharedConfig;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared tier's servers fail mid-session (PostgreSQL stopped and restarted, S3Proxy stopped during
 * uploads and downloads): every call returns the right value, computing it if need be, with one
 * warning per session; writes to the shared tier resume once the servers are back; no torn entry.
 * These servers are this test's own, so stopping them disturbs no other test.
 */
class FaultTest {
    @TempDir
    Path tmp;

    private final AtomicInteger runs = new AtomicInteger();

    private Cellar machine(SharedServers servers, String schema, String dir, List<String> warnings, List<String> status) {
        Cellar c = servers.machine(tmp.resolve(dir), schema)
                .warnings(warnings::add).build();
        c.onStatus(status::add);
        return c;
    }

    private long[] value(int i) {
        long[] v = new long[150_000]; // 1.2 MB: an object on S3
        for (int j = 0; j < v.length; j++) {
            v[j] = (long) j * i;
        }
        return v;
    }

    private long[] get(Cellar c, int i) {
        return c.cached("k" + i, Parameters.of("i", i), () -> {
            runs.incrementAndGet();
            return value(i);
        });
    }

    private static void waitForRetry() throws InterruptedException {
        Thread.sleep(TieredStore.RETRY_NANOS / 1_000_000 + 500);
    }

    @Test
    void serversStoppedAndRestartedMidSession() throws Exception {
        SharedServers own = SharedServers.startOwn();
        try {
            String schema = own.freshSchema("fault");
            List<String> warnA = new ArrayList<>();
            List<String> statusA = new ArrayList<>();
            try (Cellar a = machine(own, schema, "a", warnA, statusA)) {
                assertArrayEquals(value(1), get(a, 1));

                own.control("stop-postgres");
                assertArrayEquals(value(2), get(a, 2));
                assertArrayEquals(value(3), get(a, 3));
                assertArrayEquals(value(1), get(a, 1)); // a local hit
                assertEquals(3, runs.get());
                assertEquals(1, warnA.size(), "one warning per session: " + warnA);
                assertTrue(warnA.get(0).contains("shared store is unreachable"), warnA.toString());
                assertTrue(!warnA.get(0).contains(own.password()), "no password in warnings");

                own.control("start-postgres");
                waitForRetry();
                assertArrayEquals(value(4), get(a, 4)); // written to both tiers again
                assertEquals(1, warnA.size(), warnA.toString());
            }
            List<String> statusB = new ArrayList<>();
            List<String> warnB = new ArrayList<>();
            try (Cellar b = machine(own, schema, "b", warnB, statusB)) {
                assertArrayEquals(value(4), get(b, 4));
                assertEquals(4, runs.get(), "B hit what A wrote after PostgreSQL came back");
                assertTrue(statusB.get(0).contains("from shared"), statusB.toString());
                assertEquals(List.of(), warnB);
            }

            own.control("stop-s3");
            List<String> warnC = new ArrayList<>();
            try (Cellar c = machine(own, schema, "c", warnC, new ArrayList<>())) {
                assertArrayEquals(value(5), get(c, 5)); // its upload fails
                assertEquals(5, runs.get());
                assertEquals(1, warnC.size(), warnC.toString());
                List<String> warnD = new ArrayList<>();
                try (Cellar d = machine(own, schema, "d", warnD, new ArrayList<>())) {
                    assertArrayEquals(value(1), get(d, 1)); // the index answers, the download fails
                    assertEquals(6, runs.get(), "computed, since its payload could not be fetched");
                    assertEquals(1, warnD.size(), warnD.toString());
                }
                own.control("start-s3");
                waitForRetry();
                assertArrayEquals(value(6), get(c, 6)); // written to both tiers again
                assertEquals(1, warnC.size(), warnC.toString());
            }

            // what the shared tier holds is whole: k1 (A, before), k4 (A, after), k6 (C, after); never k5
            try (DataStore shared = SharedConfig.openShared(SharedConfig.settings(own.url(schema), own.blobs(schema),
                    null, null, own.awsEnv()))) {
                List<String> names = shared.list().stream().map(EntryInfo::name).sorted().toList();
                assertEquals(List.of("k1", "k4", "k6"), names);
                Entries check = new Entries(shared, CodecRegistry.standard(), w -> { }, true);
                for (EntryInfo e : shared.list()) {
                    assertEquals(Optional.empty(), check.problem(e.key()), e.name());
                }
            }
        } finally {
            own.control("stop");
        }
    }
}
