package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Key;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import dev.cellar.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child JVMs on one store directory: concurrent use by several processes, and SIGKILL at random
 * moments. The default run uses small counts; the {@code slow} tests take theirs from system properties
 * ({@code cellar.torture.kills}, {@code .maxSize}, {@code .procs}, {@code .ops}) with issue 6's
 * figures as defaults, so that {@code scripts/torture} can run the long profile.
 */
class RocksProcessTest {
    @TempDir
    Path tmp;

    @Test
    void severalProcessesShareOneStore() throws Exception {
        concurrent(3, 250, 1);
    }

    @Test
    void killedWritersNeverLeaveTornOrLostEntries() throws Exception {
        crash(5, 2 << 20);
    }

    @Test
    @Tag("slow")
    void tortureConcurrency() throws Exception {
        concurrent(Integer.getInteger("cellar.torture.procs", 4), Integer.getInteger("cellar.torture.ops", 2000),
                Integer.getInteger("cellar.torture.concurrentKills", 10));
    }

    @Test
    @Tag("slow")
    void tortureCrash() throws Exception {
        crash(Integer.getInteger("cellar.torture.kills", 200), Integer.getInteger("cellar.torture.maxSize", 200 << 20));
    }

    @Test
    void aStuckProcessMakesRemovalsFailClearlyAfterTheTimeoutWhileReadsAndCommitsGoOn() throws Exception {
        Path dir = tmp.resolve("stuck");
        Key before = TestValues.key("before");
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            TestValues.put(s, before, 100_000);
        }
        ChildJvm holder = start("hold", dir.toString());
        Key during = TestValues.key("during");
        Key big = TestValues.key("during-big");
        try {
            assertEquals("READY", holder.next(60));
            StoreOptions quick = StoreOptions.builder().lockTimeout(java.time.Duration.ofMillis(300)).build();
            try (RocksDataStore s = RocksDataStore.open(dir, quick)) {
                // reads never wait for the holder: they go through a secondary instance of the database
                assertTrue(s.contains(before));
                try (StoredEntry e = s.open(before).orElseThrow()) {
                    assertNull(TestValues.check(before, e));
                }
                assertEquals(1, s.list().size());
                assertEquals(1, s.stats().entries());
                // commits do not wait either: they go to this process's journal, and are visible at once
                TestValues.put(s, during, 1000);
                TestValues.put(s, big, 200_000);
                for (Key k : List.of(during, big)) {
                    try (StoredEntry e = s.open(k).orElseThrow()) {
                        assertNull(TestValues.check(k, e));
                    }
                }
                // removal needs the store itself
                dev.cellar.StoreException e = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.cellar.StoreException.class, () -> s.remove(before));
                assertTrue(e.getMessage().contains("busy"), e.getMessage());
                // a notebook interrupt while waiting: the wait ends, and the store keeps working afterwards
                Thread.currentThread().interrupt();
                try {
                    org.junit.jupiter.api.Assertions.assertThrows(dev.cellar.StoreException.class,
                            () -> s.remove(before));
                } finally {
                    Thread.interrupted();
                }
                holder.kill();
                assertTrue(s.remove(before), "usable once the holder is gone");
                assertEquals(2, s.stats().entries(), "the journaled commits were applied");
            }
            // and they survive the process
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                for (Key k : List.of(during, big)) {
                    try (StoredEntry e = s.open(k).orElseThrow()) {
                        assertNull(TestValues.check(k, e));
                    }
                }
                assertTrue(s.open(before).isEmpty());
            }
        } finally {
            holder.kill();
        }
    }

    @Test
    void writersKilledWhileJournalingLoseNothingTheyAcknowledged() throws Exception {
        Path dir = tmp.resolve("journaling");
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            TestValues.put(s, TestValues.key("first"), 1000); // a real holder has created the database
        }
        ChildJvm holder = start("hold", dir.toString());
        Set<Key> acked = new HashSet<>();
        Random r = new Random(5);
        try {
            assertEquals("READY", holder.next(60));
            // the store is held all along, so these writers journal every commit; each is killed mid-way
            for (int run = 0; run < 3; run++) {
                ChildJvm w = start("crash", dir.toString(), "j" + run, "300000");
                assertEquals("READY", w.next(60));
                Thread.sleep(r.nextInt(300, 1500));
                w.kill();
                for (String line : w.lines(120)) {
                    if (line.matches("ACK [0-9a-f]{64}")) {
                        acked.add(Key.fromHex(line.substring(4)));
                    }
                }
            }
            assertTrue(!acked.isEmpty(), "the writers stored nothing before being killed");
            // readers see them before any holder applied them
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                for (Key k : acked) {
                    try (StoredEntry e = s.open(k).orElseThrow(() -> new AssertionError("journaled " + k.shortHex()))) {
                        assertNull(TestValues.check(k, e));
                    }
                }
            }
        } finally {
            holder.kill();
        }
        // the next holder applies the journals of the dead writers, deletes them, and cleans their leftovers
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            s.evictTo(Long.MAX_VALUE);
            Set<Key> visible = verifyAll(s);
            assertTrue(visible.containsAll(acked), "acknowledged entries lost");
            assertEquals(blobEntries(s), blobFiles(dir), "blob files are exactly the referenced ones");
        }
        try (Stream<Path> j = Files.list(dir.resolve("journal"))) {
            assertEquals(List.of(), j.toList(), "applied journals of dead writers are deleted");
        }
    }

    @Test
    void readersInOtherProcessesSeeEveryEntryAWriterCommittedWithoutWaitingForIt() throws Exception {
        Path dir = tmp.resolve("follow");
        RocksDataStore.open(dir, StoreOptions.defaults()).close();
        ChildJvm writer = start("crash", dir.toString(), "w", "300000");
        try {
            assertEquals("READY", writer.next(60));
            // the writer holds the store all along: with a lock timeout this short, a read that waited for
            // it would fail
            StoreOptions quick = StoreOptions.builder().lockTimeout(java.time.Duration.ofMillis(1)).build();
            try (RocksDataStore s = RocksDataStore.open(dir, quick)) {
                for (int i = 0; i < 300; i++) {
                    String line = writer.next(60);
                    assertTrue(line != null && line.startsWith("ACK "), String.valueOf(line));
                    Key k = Key.fromHex(line.substring(4));
                    try (StoredEntry e = s.open(k).orElseThrow(() -> new AssertionError("committed entry "
                            + k.shortHex() + " not visible"))) {
                        assertNull(TestValues.check(k, e));
                    }
                }
                assertTrue(s.list().size() >= 300);
            }
        } finally {
            writer.kill();
        }
    }

    @Test
    void cleanupNeverDeletesTheTempFileOfAWriterInAnotherProcess() throws Exception {
        Path dir = tmp.resolve("midwrite");
        RocksDataStore.open(dir, StoreOptions.defaults()).close();
        ChildJvm writer = start("slow", dir.toString());
        try {
            assertEquals("WRITING", writer.next(60));
            List<Path> temps;
            try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
                temps = s.toList();
            }
            assertEquals(1, temps.size());
            // as if the writer had been busy computing for an hour: only its lock protects the file now
            Files.setLastModifiedTime(temps.get(0),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                s.evictTo(Long.MAX_VALUE); // runs cleanup
                assertTrue(Files.exists(temps.get(0)), "a live writer's temp file was deleted");
            }
            writer.send("");
            assertEquals("COMMITTED", writer.next(60));
            assertTrue(writer.process.waitFor(60, TimeUnit.SECONDS));
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                Key k = TestValues.key("slow");
                try (StoredEntry e = s.open(k).orElseThrow()) {
                    assertNull(TestValues.check(k, e));
                }
            }
        } finally {
            writer.kill();
        }
    }

    @Test
    void journaledReplacementsAppliedInOneBatchKeepTotalsAndBlobsExact() throws Exception {
        Path dir = tmp.resolve("batch");
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            TestValues.put(s, TestValues.key("old"), 200_000); // replaced below: its blob must go
        }
        ChildJvm holder = start("hold", dir.toString());
        Key old = TestValues.key("old");
        Key other = TestValues.key("other");
        try {
            assertEquals("READY", holder.next(60));
            // the store is held: every commit below goes to this process's journal, and the next holder
            // applies them together, the same key three times among them
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                TestValues.put(s, old, 300_000);
                TestValues.put(s, other, 100_000);
                TestValues.put(s, old, 400_000);
                TestValues.put(s, old, 1_000);
            }
        } finally {
            holder.kill();
        }
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            assertTrue(!s.remove(TestValues.key("never-stored"))); // takes the store: applies the journal
            try (StoredEntry e = s.open(old).orElseThrow()) {
                assertNull(TestValues.check(old, e));
                assertEquals(1_000, e.payload("value").remaining(), "the last commit of a key wins");
            }
            assertEquals(2, s.stats().entries());
            assertEquals(s.list().stream().mapToLong(EntryInfo::sizeBytes).sum(), s.stats().bytes(),
                    "totals count each key once, at its last size");
            assertEquals(1, blobFiles(dir), "only the other entry's blob is left; replaced ones are deleted");
            s.evictTo(Long.MAX_VALUE); // gc recounts: nothing changes
            assertEquals(2, s.stats().entries());
            assertEquals(1, blobFiles(dir));
        }
    }

    @Test
    void followerDirectoriesOfKilledReadersAreCollectedAndLiveOnesKept() throws Exception {
        Path dir = tmp.resolve("followers");
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            TestValues.put(s, TestValues.key("followed"), 1000);
        }
        ChildJvm first = start("follow", dir.toString());
        ChildJvm second = start("follow", dir.toString());
        try {
            assertEquals("READY", first.next(60));
            assertEquals("READY", second.next(60));
            List<Path> live = followerDirs(dir);
            assertEquals(2, live.size(), "each reader keeps its follower's files under the store: " + live);
            // gc (and every open) spares the directories of readers that live
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                s.evictTo(Long.MAX_VALUE);
            }
            assertEquals(live, followerDirs(dir));
            first.kill();
            // the first process that takes the store after the kill collects the dead reader's directory
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                assertTrue(!s.remove(TestValues.key("never-stored")));
            }
            List<Path> after = followerDirs(dir);
            assertEquals(1, after.size(), "the killed reader's directory is collected: " + after);
            assertTrue(live.contains(after.get(0)));
            second.kill();
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                s.evictTo(Long.MAX_VALUE); // gc collects it too
            }
            assertEquals(List.of(), followerDirs(dir));
        } finally {
            first.kill();
            second.kill();
        }
    }

    private static List<Path> followerDirs(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("follower"))) {
            return s.sorted().toList();
        }
    }

    // ------------------------------------------------------------------ child processes

    private static ChildJvm start(String... args) throws Exception {
        return ChildJvm.start(StoreChild.class, "1g", args);
    }

    // ------------------------------------------------------------------ scenarios

    private void concurrent(int procs, int ops, int kills) throws Exception {
        Path dir = tmp.resolve("shared");
        RocksDataStore.open(dir, StoreOptions.defaults()).close();
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < procs; i++) {
            children.add(start("mixed", dir.toString(), String.valueOf(i), String.valueOf(ops), "40"));
        }
        // meanwhile, writers killed while they may hold the store must not block the others
        Random r = new Random(7);
        for (int k = 0; k < kills; k++) {
            ChildJvm victim = start("crash", dir.toString(), "concurrent-" + k, "500000");
            victim.next(60);
            Thread.sleep(200 + r.nextInt(800));
            victim.kill();
        }
        for (int i = 0; i < procs; i++) {
            List<String> out = children.get(i).lines(1800);
            assertTrue(children.get(i).process.waitFor(10, TimeUnit.MINUTES));
            String all = String.join("\n", out);
            assertEquals(0, children.get(i).exitValue(), "child " + i + ":\n" + all);
            assertTrue(out.stream().anyMatch(l -> l.startsWith("DONE")), all);
            assertTrue(!all.toLowerCase(Locale.ROOT).contains("lock"), all);
            System.out.println("concurrency child " + i + ": " + out.get(out.size() - 1));
        }
        try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
            verifyAll(s);
        }
    }

    private void crash(int kills, int maxSize) throws Exception {
        Path dir = tmp.resolve("crash");
        Random r = new Random(42);
        Set<Key> acked = new HashSet<>();
        int totalAcks = 0;
        for (int run = 0; run < kills; run++) {
            ChildJvm p = start("crash", dir.toString(), String.valueOf(run), String.valueOf(maxSize));
            assertEquals("READY", p.next(60), "child did not start");
            Thread.sleep(r.nextInt(30, 900));
            p.kill();
            for (String line : p.lines(120)) {
                if (line.matches("ACK [0-9a-f]{64}")) {
                    acked.add(Key.fromHex(line.substring(4)));
                    totalAcks++;
                }
            }
            try (RocksDataStore s = RocksDataStore.open(dir, StoreOptions.defaults())) {
                Set<Key> visible = verifyAll(s);
                for (Key k : acked) {
                    assertTrue(visible.contains(k), "acknowledged entry " + k.shortHex() + " lost after kill " + run);
                }
                // reads follow the store without taking it; the first process to take it after a kill cleans
                assertTrue(!s.remove(TestValues.key("never-stored")));
                assertEquals(blobEntries(s), blobFiles(dir), "blob files are exactly the referenced ones");
                // keep the disk use bounded over long runs: forget large entries once verified
                for (EntryInfo e : s.list()) {
                    if (e.sizeBytes() > (1 << 20)) {
                        s.remove(e.key());
                        acked.remove(e.key());
                    }
                }
            }
        }
        assertTrue(totalAcks > 0, "the children stored nothing before being killed");
        System.out.println("crash test: " + kills + " kills, " + totalAcks + " acknowledged entries verified");
    }

    /** Opens and checks every visible entry; returns their keys. */
    private static Set<Key> verifyAll(RocksDataStore s) {
        Set<Key> keys = new HashSet<>();
        for (EntryInfo info : s.list()) {
            try (StoredEntry e = s.open(info.key()).orElseThrow()) {
                assertNull(TestValues.check(info.key(), e));
            }
            keys.add(info.key());
        }
        assertEquals(keys.size(), s.stats().entries());
        return keys;
    }

    private static long blobEntries(RocksDataStore s) {
        return s.list().stream().filter(e -> {
            try (StoredEntry entry = s.open(e.key()).orElseThrow()) {
                return entry.payload("value").remaining() > PayloadSink.INLINE_MAX;
            }
        }).count();
    }

    private static long blobFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            return s.filter(p -> p.toFile().isFile() && p.getFileName().toString().endsWith(".blob")).count();
        }
    }

}
