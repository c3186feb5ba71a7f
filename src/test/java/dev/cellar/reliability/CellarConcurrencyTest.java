package dev.cellar.reliability;

import dev.cellar.engine.Entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Key;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.rocksdb.RocksDataStore;
import dev.cellar.testing.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs use one store through the public {@link Cellar} API ({@link CellarChild}), with
 * overlapping keys, while the test SIGKILLs a random one of them now and then (and starts another in
 * its place). Afterwards: every durable entry acknowledged by any child (including killed ones) is
 * present and right, every shared entry is right, and no child saw a wrong value, a warning or an
 * exception (a lock error would be one of those). The store-level version of this test is
 * {@code RocksProcessTest}; this one adds codecs, manifests, checksums and Cellar's error handling.
 */
class CellarConcurrencyTest {
    private static final int KEYS = 30;

    @TempDir
    Path tmp;

    @Test
    void threeProcessesThroughCellarWithOneKill() throws Exception {
        run(3, 150, 1);
    }

    @Test
    @Tag("slow")
    void tortureCellarConcurrency() throws Exception {
        run(Integer.getInteger("cellar.torture.procs", 4), Integer.getInteger("cellar.torture.ops", 2000),
                Integer.getInteger("cellar.torture.concurrentKills", 10));
    }

    private void run(int procs, int ops, int kills) throws Exception {
        Path dir = tmp.resolve("store");
        RocksDataStore.open(dir, StoreOptions.defaults()).close();
        List<ChildJvm> live = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> acked = new HashSet<>();
        Set<String> evicted = new HashSet<>();
        long[] opsDone = {0};
        int nextId = 0;
        for (; nextId < procs; nextId++) {
            live.add(ChildJvm.start(CellarChild.class, "768m", "mixed", dir.toString(), "" + nextId, "" + ops, "" + KEYS));
            ids.add(nextId);
        }
        Random r = new Random(11);
        for (int k = 0; k < kills; k++) {
            // kill a random child once it is well into its work, then start another in its place
            int victim = r.nextInt(live.size());
            for (int tries = 0; tries < live.size() && !live.get(victim).process.isAlive(); tries++) {
                victim = (victim + 1) % live.size();
            }
            ChildJvm c = live.get(victim);
            int progress = 0;
            int target = 1 + r.nextInt(Math.max(1, ops / 50 - 1));
            while (progress < target) {
                String l = c.next(300);
                if (l == null || l.equals(ChildJvm.EOF)) {
                    break;
                }
                collect(ids.get(victim), l, acked, evicted, problems, opsDone);
                if (l.startsWith("PROGRESS")) {
                    progress++;
                }
            }
            Thread.sleep(r.nextInt(300));
            c.kill();
            for (String l : c.lines(60)) {
                collect(ids.get(victim), l, acked, evicted, problems, opsDone);
            }
            System.out.println("killed child " + ids.get(victim) + " (" + (k + 1) + "/" + kills + ")");
            live.set(victim, ChildJvm.start(CellarChild.class, "768m", "mixed", dir.toString(), "" + nextId,
                    "" + Math.max(50, ops / 4), "" + KEYS));
            ids.set(victim, nextId++);
        }
        int finished = 0;
        for (int i = 0; i < live.size(); i++) {
            ChildJvm c = live.get(i);
            List<String> out = c.lines(1800);
            for (String l : out) {
                collect(ids.get(i), l, acked, evicted, problems, opsDone);
            }
            if (c.exitValue() != 0 || out.stream().noneMatch(l -> l.startsWith("DONE"))) {
                problems.add("child " + ids.get(i) + " exited " + c.exitValue() + ": "
                        + out.subList(Math.max(0, out.size() - 30), out.size()));
            } else {
                finished++;
            }
        }
        int checked = 0;
        try (Cellar cellar = Cellar.builder().store(RocksDataStore.open(dir, StoreOptions.defaults()))
                .warnings(w -> problems.add("warning while verifying: " + w)).build()) {
            for (String a : acked) {
                String[] p = a.split(" ");
                int child = Integer.parseInt(p[0]);
                int j = Integer.parseInt(p[1]);
                Key key = cellar.keyOf(CellarChild.WORK.durable(child, j));
                if (evicted.contains(key.hex())) {
                    // gc caps leave room for every durable entry, and they are the most valuable
                    problems.add("durable " + a + " was evicted by gc");
                    continue;
                }
                Optional<Entries.Hit> h = cellar.entries().lookup(cellar.derive(CellarChild.WORK.durable(child, j)), "durable",
                        getClass().getClassLoader());
                if (h.isEmpty()) {
                    problems.add("LOST acknowledged entry durable " + a);
                } else if (!Values.same(CellarChild.WORK.durableValue(child, j), h.get().values().get("value"))) {
                    problems.add("WRONG durable " + a);
                }
                checked++;
            }
            for (int i = 0; i < KEYS; i++) {
                int n = i;
                Object v = cellar.cached(CellarChild.WORK.shared(i), () -> CellarChild.WORK.sharedValue(n));
                if (!Values.same(CellarChild.WORK.sharedValue(i), v)) {
                    problems.add("WRONG shared " + i);
                }
                cellar.retrieve(CellarChild.WORK.attr(i), "v", Object.class).ifPresent(x -> {
                    if (!Values.same(CellarChild.WORK.attrValue(n), x)) {
                        problems.add("WRONG attr " + n);
                    }
                });
            }
            List<EntryInfo> all = cellar.entries().list();
            assertEquals(all.size(), cellar.entries().stats().entries(), "entry count matches the listing");
        }
        String summary = "TORTURE cellar-concurrency: processes=" + nextId + " kills=" + kills + " ops=" + opsDone[0]
                + " acknowledged=" + acked.size() + " verified=" + checked + " evicted=" + evicted.size()
                + " failures=" + problems.size();
        System.out.println(summary);
        assertTrue(problems.isEmpty(), summary + "\n" + String.join("\n", problems));
        assertTrue(acked.size() > 0 && finished == live.size(), summary);
        assertTrue(problems.stream().noneMatch(p -> p.toLowerCase(Locale.ROOT).contains("lock")));
    }

    private static void collect(int child, String line, Set<String> acked, Set<String> evicted, List<String> problems,
            long[] ops) {
        if (line.startsWith("ACK ")) {
            acked.add(line.substring(4));
        } else if (line.startsWith("EVICTED ")) {
            evicted.add(line.substring(8));
        } else if (line.startsWith("PROGRESS ")) {
            ops[0] += 50;
        } else if (line.startsWith("DONE ")) {
            String n = line.replaceAll(".*ops=(\\d+).*", "$1");
            ops[0] += Long.parseLong(n) % 50;
        } else if (line.startsWith("WARN") || line.startsWith("WRONG") || line.startsWith("FAILED")) {
            problems.add("child " + child + ": " + line);
        }
    }
}
