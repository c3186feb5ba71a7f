package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import dev.cellar.engine.Entries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Cellar.builder().sharedWait(false)}: a miss computes at once even while another process holds
 * the key's lease (it would otherwise wait as long as the holder keeps its lease alive), and its result
 * is stored in both tiers like any other.
 */
class NoWaitTest {
    @TempDir
    Path tmp;

    private Cellar machine(SharedServers servers, String schema, String dir, boolean wait, List<String> status) {
        Cellar c = servers.machine(tmp.resolve(dir), schema)
                .sharedWait(wait).build();
        c.onStatus(status::add);
        return c;
    }

    @Test
    void noWaitComputesWhileAnotherHoldsTheLease() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("nowait");
        Component component = Component.of("busy", Parameters.of("n", 7));
        AtomicInteger runs = new AtomicInteger();
        List<String> statusB = new ArrayList<>();
        try (Cellar a = machine(servers, schema, "a", true, new ArrayList<>());
                Cellar b = machine(servers, schema, "b", false, statusB)) {
            try (Entries.Turn held = a.entries().awaitTurn(a.derive(component).key(), "busy", l -> { })) {
                assertFalse(held.waited(), "A holds the lease");
                CompletableFuture<long[]> got = CompletableFuture.supplyAsync(() -> b.cached(component, () -> {
                    runs.incrementAndGet();
                    return new long[] {7, 7};
                }));
                // with waiting, B would sit here until A released its lease (renewed while A runs)
                assertArrayEquals(new long[] {7, 7}, got.get(2, TimeUnit.MINUTES));
                assertEquals(1, runs.get(), "B computed while A still held the lease");
                assertTrue(statusB.stream().noneMatch(l -> l.contains("waiting for")), statusB.toString());
            }
            long[] fromShared = a.cached(component, () -> {
                throw new IllegalStateException("B's result is in the shared tier");
            });
            assertArrayEquals(new long[] {7, 7}, fromShared);
        }
    }
}
