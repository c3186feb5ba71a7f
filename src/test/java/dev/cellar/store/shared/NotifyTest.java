package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import dev.cellar.engine.Entries;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A waiter is woken by the database's notification of the commit it waits for, not by its poll: with
 * the fallback poll set to ten minutes, a waiting machine still hits within moments of another
 * machine's commit of the key; also in a schema whose name leaves no room for a prefix in a channel
 * name.
 */
class NotifyTest {
    @TempDir
    Path tmp;

    private Cellar machine(SharedServers servers, String schema, String dir, boolean wait, List<String> status) {
        Cellar c = servers.machine(tmp.resolve(dir), schema)
                .sharedWait(wait).build();
        c.onStatus(status::add);
        return c;
    }

    @Test
    void aWaiterWakesOnTheCommitItWaitsFor() throws Exception {
        SharedServers servers = SharedServers.get();
        // a long schema name (near PostgreSQL's 63-byte limit): "cellar_" + it would be too long a channel
        String pid = Long.toString(ProcessHandle.current().pid());
        String schema = servers.freshSchema("notify_" + "n".repeat(46 - pid.length())); // prefix_pid_seq_base36
        assertTrue(schema.length() > 56 && schema.length() <= 63, schema);
        Component component = Component.of("awaited", Parameters.of("n", 3));
        AtomicInteger runs = new AtomicInteger();
        List<String> statusB = new CopyOnWriteArrayList<>();
        CountDownLatch bWaits = new CountDownLatch(1);
        long poll = SingleFlight.listeningPollMillis;
        SingleFlight.listeningPollMillis = 600_000;
        try (Cellar a = machine(servers, schema, "a", true, new CopyOnWriteArrayList<>());
                Cellar b = machine(servers, schema, "b", true, statusB);
                Cellar c = machine(servers, schema, "c", false, new CopyOnWriteArrayList<>())) {
            b.onStatus(l -> {
                statusB.add(l);
                if (l.contains("waiting for awaited")) {
                    bWaits.countDown(); // printed once B listens
                }
            });
            try (Entries.Turn held = a.entries().awaitTurn(a.derive(component).key(), "awaited", l -> { })) {
                CompletableFuture<long[]> got = CompletableFuture.supplyAsync(() -> b.cached(component, () -> {
                    runs.incrementAndGet();
                    return new long[] {-1};
                }));
                assertTrue(bWaits.await(2, TimeUnit.MINUTES), "B waits for A's lease: " + statusB);
                // C does not wait (sharedWait(false)): it computes and commits while A still holds the lease
                assertArrayEquals(new long[] {3}, c.cached(component, () -> {
                    runs.incrementAndGet();
                    return new long[] {3};
                }));
                // B's poll would come in ten minutes; the notification of C's commit wakes it now
                assertArrayEquals(new long[] {3}, got.get(2, TimeUnit.MINUTES));
            }
            assertEquals(1, runs.get(), "only C computed");
            assertTrue(statusB.stream().anyMatch(l -> l.contains("HIT awaited") && l.contains("from shared")),
                    statusB.toString());
        } finally {
            SingleFlight.listeningPollMillis = poll;
        }
    }
}
