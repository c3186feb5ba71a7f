package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four processes (separate local stores) miss the same key at once: one computes, the others wait and
 * hit. In a second round the holder is SIGKILLed mid-computation; its lease expires and a waiter
 * computes instead.
 */
class SingleFlightTest {
    @TempDir
    Path tmp;

    private static final long EXPECTED_SUM_PER_ROUND = 99_999L * 100_000 / 2;

    private List<ChildJvm> start(SharedServers servers, String schema, Path counter, int round) throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<String> args = new ArrayList<>(List.of(tmp.resolve("m" + i).toString(), counter.toString(),
                    Integer.toString(round), "CELLAR_SHARED=" + servers.url(schema),
                    "CELLAR_SHARED_BLOBS=" + servers.blobs(schema)));
            for (Map.Entry<String, String> e : servers.awsEnv().entrySet()) {
                args.add(e.getKey() + "=" + e.getValue());
            }
            children.add(ChildJvm.start(SharedChild.class, "256m", args.toArray(String[]::new)));
        }
        return children;
    }

    private static long computations(Path counter, int round) throws Exception {
        return Files.readAllLines(counter).stream().filter(l -> l.startsWith("round " + round + " ")).count();
    }

    @Test
    void oneComputesOthersWaitAndAKilledHolderIsTakenOver() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("flight");
        Path counter = tmp.resolve("counter");

        List<ChildJvm> round1 = start(servers, schema, counter, 1);
        List<String> all = new ArrayList<>();
        for (ChildJvm c : round1) {
            List<String> out = c.lines(180);
            all.addAll(out);
            assertTrue(out.contains("RESULT " + EXPECTED_SUM_PER_ROUND), out.toString());
        }
        assertEquals(1, computations(counter, 1), "one computation for four processes: " + all);
        assertTrue(all.stream().anyMatch(l -> l.matches("cellar: waiting for slow: being computed by .+@.+ \\(pid \\d+\\)"
                + " for \\d+ s")), all.toString());
        assertEquals(3, all.stream().filter(l -> l.contains("HIT slow") && l.contains("from shared")).count(),
                all.toString());

        List<ChildJvm> round2 = start(servers, schema, counter, 2);
        ChildJvm holder = null;
        while (holder == null) {
            for (ChildJvm c : round2) {
                if (c.queue.contains("COMPUTING")) {
                    holder = c;
                }
            }
            Thread.sleep(50);
        }
        holder.process.destroyForcibly(); // SIGKILL: no lease release, no heartbeat
        holder.process.waitFor();
        List<String> survivors = new ArrayList<>();
        for (ChildJvm c : round2) {
            if (c != holder) {
                List<String> out = c.lines(180);
                survivors.addAll(out);
                assertTrue(out.contains("RESULT " + EXPECTED_SUM_PER_ROUND * 2), out.toString());
            }
        }
        assertEquals(2, computations(counter, 2), "the killed holder's and one taker-over's: " + survivors);
    }
}
