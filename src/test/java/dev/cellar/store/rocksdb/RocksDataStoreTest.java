package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.DataStore;
import dev.cellar.store.DataStoreContract;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksDataStoreTest extends DataStoreContract {
    @TempDir
    Path tmp;
    private final AtomicInteger n = new AtomicInteger();

    @Override
    protected DataStore newStore(long maxBytes) {
        return RocksDataStore.open(tmp.resolve("store" + n.incrementAndGet()),
                StoreOptions.builder().maxBytes(maxBytes).idleRelease(Duration.ofMillis(200)).build());
    }

    private static RocksDataStore open(Path dir) {
        return RocksDataStore.open(dir, StoreOptions.defaults());
    }

    private static Map<String, byte[]> sample() {
        return Map.of("large", bytes(LARGE, 1), "small", bytes(100, 2));
    }

    private static List<Path> blobFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aSecondOpenOfOneDirectoryWithOtherOptionsIsAnErrorNotIgnored() {
        Path dir = tmp.resolve("bound");
        StoreOptions small = StoreOptions.builder().maxBytes(1 << 20).build();
        StoreOptions large = StoreOptions.builder().maxBytes(2 << 20).build();
        try (RocksDataStore first = RocksDataStore.open(dir, small)) {
            StoreException e = assertThrows(StoreException.class, () -> RocksDataStore.open(dir, large));
            assertTrue(e.getMessage().contains("already open in this process"), e.getMessage());
            assertThrows(StoreException.class, () -> RocksDataStore.open(dir,
                    StoreOptions.builder().maxBytes(1 << 20).lockTimeout(Duration.ofSeconds(1)).build()));
            try (RocksDataStore same = RocksDataStore.open(dir, small)) {
                assertTrue(same.location().contains("cap " + (1 << 20) + " bytes"), same.location());
            }
            assertTrue(first.list().isEmpty(), "the refused open left the first handle working");
        }
        try (RocksDataStore reopened = RocksDataStore.open(dir, large)) {
            assertTrue(reopened.location().contains("cap " + (2 << 20) + " bytes"), "once closed, new options bind");
        }
    }

    @Test
    void entriesAndStatisticsSurviveReopen() throws Exception {
        Path dir = tmp.resolve("persist");
        Key k = key("persist");
        try (RocksDataStore s = open(dir)) {
            put(s, k, "p", 77, new byte[] {9}, sample());
            s.recordHit(k, 500);
            s.recordMiss();
        }
        try (RocksDataStore s = open(dir)) {
            try (StoredEntry e = s.open(k).orElseThrow()) {
                assertArrayEquals(new byte[] {9}, e.manifest());
                assertArrayEquals(bytes(LARGE, 1), read(e.payload("large")));
                assertArrayEquals(bytes(100, 2), read(e.payload("small")));
                assertEquals(1, e.info().hits());
                assertEquals(500, e.info().savedNanos());
            }
            assertEquals(1, s.stats().hits());
            assertEquals(1, s.stats().misses());
            assertEquals(500, s.stats().savedNanos());
            assertEquals(1, s.stats().entries());
        }
    }

    /**
     * Buffered hit counts are written with one read of every key's statistics record: counts add up over
     * several writes, and an entry removed before its counts were written gets no statistics back (a later
     * entry under the key starts from zero), while the store-wide totals count every hit.
     */
    @Test
    void bufferedHitsAddUpPerEntryAndSkipEntriesRemovedMeanwhile() throws Exception {
        Path dir = tmp.resolve("hits");
        Key kept = key("kept");
        Key gone = key("gone");
        Key other = key("other");
        try (RocksDataStore s = open(dir)) {
            put(s, kept, "k", 1, new byte[] {1}, Map.of("a", bytes(10, 1)));
            put(s, gone, "g", 1, new byte[] {2}, Map.of("a", bytes(10, 2)));
            put(s, other, "o", 1, new byte[] {3}, Map.of("a", bytes(10, 3)));
            s.recordHit(kept, 10);
            s.recordHit(gone, 20);
            assertEquals(2, s.stats().hits()); // first write of the counts
            s.recordHit(kept, 30);
            s.recordHit(gone, 40);
            s.recordHit(other, 50);
            assertTrue(s.remove(gone));
            assertEquals(5, s.stats().hits()); // second write: gone's counts are only global
        }
        try (Options o = new Options(); RocksDB db = RocksDB.open(o, dir.resolve("db").toString())) {
            assertEquals(null, db.get(Records.dbKey(Records.STATS, gone)), "no statistics without an entry");
            assertEquals(2, Records.decodeStats(db.get(Records.dbKey(Records.STATS, kept))).hits());
        }
        try (RocksDataStore s = open(dir)) {
            put(s, gone, "g", 1, new byte[] {2}, Map.of("a", bytes(10, 2)));
        }
        try (RocksDataStore s = open(dir)) {
            Map<Key, EntryInfo> byKey = new java.util.HashMap<>();
            s.list().forEach(e -> byKey.put(e.key(), e));
            assertEquals(2, byKey.get(kept).hits());
            assertEquals(40, byKey.get(kept).savedNanos());
            assertEquals(1, byKey.get(other).hits());
            assertEquals(50, byKey.get(other).savedNanos());
            assertEquals(0, byKey.get(gone).hits(), "a new entry under a removed key starts from zero");
            assertEquals(0, byKey.get(gone).savedNanos());
            assertEquals(5, s.stats().hits());
            assertEquals(150, s.stats().savedNanos());
            assertEquals(3, s.stats().entries());
        }
    }

    @Test
    void twoStoresOnOneDirectoryInOneJvmShareIt() throws Exception {
        Path dir = tmp.resolve("twice");
        try (RocksDataStore a = open(dir); RocksDataStore b = open(dir)) {
            put(a, key("a"), "a", 1, new byte[0], sample());
            assertTrue(b.contains(key("a")));
            a.close();
            assertTrue(b.contains(key("a")));
            assertThrows(IllegalStateException.class, () -> a.contains(key("a")));
        }
    }

    @Test
    void recordsLargerAndSmallerThanTheReadBufferReadBackWhole() throws Exception {
        // entry records are read into a per-thread buffer of 16 KB; larger ones are read whole, and a small
        // record read after a large one must not pick up the rest of the buffer
        int[] sizes = {100, 40_000, 3, 16_300, 16_500, 60_000, 0, 1_000};
        Path dir = tmp.resolve("buffer");
        try (RocksDataStore s = open(dir)) {
            for (int i = 0; i < sizes.length; i++) {
                put(s, key("b" + i), "b", 1, bytes(200 + i, i), Map.of("v", bytes(sizes[i], i)));
            }
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < sizes.length; i++) {
                    try (StoredEntry e = s.open(key("b" + i)).orElseThrow()) {
                        assertArrayEquals(bytes(200 + i, i), e.manifest(), "manifest of " + sizes[i]);
                        assertArrayEquals(bytes(sizes[i], i), read(e.payload("v")), "payload of " + sizes[i]);
                    }
                }
            }
            assertTrue(blobFiles(dir).isEmpty(), "all of these are inline");
        }
    }

    @Test
    void createsThePrivateDirectory() throws Exception {
        Path dir = tmp.resolve("a/b/private");
        try (RocksDataStore s = open(dir)) {
            put(s, key("x"), "x", 1, new byte[0], sample());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void refusesADirectoryWritableByOthers() throws Exception {
        for (String perms : new String[] {"rwxrwxrwx", "rwxrwx---"}) {
            Path dir = tmp.resolve("shared-" + perms);
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(perms));
            StoreException e = assertThrows(StoreException.class, () -> open(dir));
            assertTrue(e.getMessage().contains("chmod 700"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("db")), "nothing written into a refused directory");
        }
    }

    @Test
    void aNewerFormatDirectoryReadsAsEmptyAndIsNeverWritten() throws Exception {
        Path dir = tmp.resolve("newer");
        try (RocksDataStore s = open(dir)) {
            put(s, key("old"), "old", 1, new byte[0], sample());
        }
        Files.writeString(dir.resolve("FORMAT"), "cellar-store-format 99\n");
        long before = Files.getLastModifiedTime(dir.resolve("db")).toMillis();
        List<String> files = listing(dir);
        try (RocksDataStore s = open(dir)) {
            assertTrue(s.isNewerFormat());
            assertTrue(s.open(key("old")).isEmpty());
            assertFalse(s.contains(key("old")));
            assertTrue(s.list().isEmpty());
            assertEquals(0, s.stats().entries());
            assertThrows(StoreException.class, () -> s.begin(key("new")));
            assertFalse(s.remove(key("old")));
            s.recordMiss();
            assertEquals(List.of(), s.evictTo(0));
        }
        assertEquals(files, listing(dir));
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("db")).toMillis());
        assertEquals("cellar-store-format 99\n", Files.readString(dir.resolve("FORMAT")));
    }

    @Test
    void aGarbledFormatFileIsRefused() throws Exception {
        Path dir = tmp.resolve("garbled");
        open(dir).close();
        Files.writeString(dir.resolve("FORMAT"), "something else");
        assertThrows(StoreException.class, () -> open(dir));
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).filter(p -> !p.startsWith("db")).sorted().toList();
        }
    }

    @Test
    void anEntryOfANewerFormatIsAMiss() throws Exception {
        Path dir = tmp.resolve("newer-entry");
        try (RocksDataStore s = open(dir)) {
            put(s, key("future"), "f", 1, new byte[0], sample());
            put(s, key("present"), "p", 1, new byte[0], sample());
        }
        // as a later cellar would write it: same keys, records starting with format byte 2
        try (Options o = new Options(); RocksDB db = RocksDB.open(o, dir.resolve("db").toString())) {
            for (byte prefix : new byte[] {Records.ENTRY, Records.INFO, Records.STATS}) {
                byte[] k = Records.dbKey(prefix, key("future"));
                byte[] v = db.get(k);
                v[0] = 2;
                db.put(k, v);
            }
        }
        try (RocksDataStore s = open(dir)) {
            assertTrue(s.open(key("future")).isEmpty());
            assertFalse(s.contains(key("future")));
            assertEquals(List.of(key("present")), s.list().stream().map(EntryInfo::key).toList());
            assertTrue(s.open(key("present")).isPresent());
            // its blob is kept: this version cannot tell which blobs a newer entry uses
            assertEquals(2, blobFiles(dir).size());
        }
    }

    @Test
    void aTruncatedOrMissingPayloadFileIsAnError() throws Exception {
        Path dir = tmp.resolve("truncated");
        try (RocksDataStore s = open(dir)) {
            put(s, key("t"), "t", 1, new byte[0], sample());
        }
        Path blob = blobFiles(dir).get(0);
        try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.WRITE)) {
            ch.truncate(LARGE / 2);
        }
        try (RocksDataStore s = open(dir)) {
            try (StoredEntry e = s.open(key("t")).orElseThrow()) {
                assertArrayEquals(bytes(100, 2), read(e.payload("small")));
                StoreException x = assertThrows(StoreException.class, () -> e.payload("large"));
                assertTrue(x.getMessage().contains("damaged"), x.getMessage());
            }
            Files.delete(blob);
            try (StoredEntry e = s.open(key("t")).orElseThrow()) {
                StoreException x = assertThrows(StoreException.class, () -> e.payload("large"));
                assertTrue(x.getMessage().contains("missing"), x.getMessage());
            }
            assertTrue(s.remove(key("t")));
        }
    }

    @Test
    void readFallsBackToTheMappingWhenTheBlobFileIsGone() throws Exception {
        Path dir = tmp.resolve("read");
        try (RocksDataStore s = open(dir)) {
            put(s, key("r"), "r", 1, new byte[0], sample());
            byte[] want = bytes(LARGE, 1);
            try (StoredEntry e = s.open(key("r")).orElseThrow()) {
                // another process's cleanup deleted the file after this entry was opened (and mapped)
                Files.delete(blobFiles(dir).get(0));
                ByteBuffer all = ByteBuffer.allocate(LARGE);
                e.read("large", 0, all);
                assertArrayEquals(want, all.array());
            }
        }
    }

    @Test
    void leftoversOfKilledWritersAreCleanedByGc() throws Exception {
        Path dir = tmp.resolve("leftovers");
        try (RocksDataStore s = open(dir)) {
            put(s, key("kept"), "k", 1, new byte[0], sample());
        }
        Path referenced = blobFiles(dir).get(0);
        Path orphanBlob = dir.resolve("blobs/ab/ab" + "0".repeat(30) + ".blob");
        Files.createDirectories(orphanBlob.getParent());
        Files.write(orphanBlob, new byte[100]);
        Path oldTemp = dir.resolve("tmp/dead-writer.tmp");
        Files.write(oldTemp, new byte[100]);
        Files.setLastModifiedTime(oldTemp, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path freshTemp = dir.resolve("tmp/live-writer.tmp");
        Files.write(freshTemp, new byte[100]);
        Path foreign = dir.resolve("blobs/ab/not-ours.txt");
        Files.write(foreign, new byte[1]);
        try (RocksDataStore s = open(dir)) {
            assertTrue(s.contains(key("kept")));
            // an ordinary open does not scan every entry for leftovers (only one after a holder was killed,
            // which RocksProcessTest.killedWritersNeverLeaveTornOrLostEntries proves); gc does
            put(s, key("next"), "n", 1, new byte[0], sample());
            assertTrue(Files.exists(orphanBlob));
            s.evictTo(Long.MAX_VALUE);
            assertFalse(Files.exists(orphanBlob));
            assertFalse(Files.exists(oldTemp));
            assertTrue(Files.exists(freshTemp), "a temp file younger than the grace period may be in use");
            assertTrue(Files.exists(referenced));
            assertTrue(Files.exists(foreign));
            assertArrayEquals(bytes(LARGE, 1), read(s.open(key("kept")).orElseThrow().payload("large")));
        }
    }

    @Test
    void aLockedTempFileIsNotCleaned() throws Exception {
        Path dir = tmp.resolve("locked-temp");
        open(dir).close();
        Path temp = dir.resolve("tmp/other-process.tmp");
        Files.write(temp, new byte[10]);
        Files.setLastModifiedTime(temp, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        // Held by this JVM here; the same check protects another process's writer through its lock.
        StoreDirectory.ACTIVE_TEMPS.add(temp.toRealPath());
        try (RocksDataStore s = open(dir)) {
            assertFalse(s.contains(key("x")));
            assertTrue(Files.exists(temp));
        } finally {
            StoreDirectory.ACTIVE_TEMPS.remove(temp.toRealPath());
        }
    }

    @Test
    void anUnwritableStoreFailsWritesAndStaysReadable() throws Exception {
        Path dir = tmp.resolve("unwritable");
        try (RocksDataStore s = open(dir)) {
            put(s, key("before"), "b", 1, new byte[] {1}, sample());
            // fault injection (tests run as root, so permissions cannot stop writes): tmp/ is gone
            Path t = dir.resolve("tmp");
            Files.delete(t);
            Files.writeString(t, "not a directory");
            try (EntryWriter w = s.begin(key("after"))) {
                WritableByteChannel ch = w.payload("large");
                assertThrows(StoreException.class, () -> ch.write(ByteBuffer.wrap(bytes(LARGE, 3))));
                ch.close();
                assertThrows(StoreException.class, () -> w.commit(new byte[0], new EntryMetadata("a", 1, 1)));
            }
            assertFalse(s.contains(key("after")));
            assertEntryReadable(s);
            Files.delete(t);
            Files.createDirectory(t);
            put(s, key("after"), "a", 1, new byte[] {1}, sample());
            assertTrue(s.contains(key("after")));
        }
    }

    private static void assertEntryReadable(DataStore s) {
        try (StoredEntry e = s.open(key("before")).orElseThrow()) {
            assertArrayEquals(bytes(LARGE, 1), read(e.payload("large")));
        }
    }

    @Test
    void payloadNamesNeverBecomeFileNames() throws Exception {
        Path dir = tmp.resolve("names");
        try (RocksDataStore s = open(dir)) {
            put(s, key("n"), "n", 1, new byte[0], Map.of("..%2e", bytes(LARGE, 1), "~root", bytes(LARGE, 2)));
        }
        for (Path p : blobFiles(dir)) {
            assertTrue(p.getFileName().toString().matches("[0-9a-f]{32}\\.blob"), p.toString());
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("root")));
        }
    }

    @Test
    void anInterruptedReaderDoesNotBreakTheStoreNorTheEntry() throws Exception {
        Path dir = tmp.resolve("interrupt");
        StoreOptions o = StoreOptions.builder().idleRelease(Duration.ofMillis(50)).build();
        try (RocksDataStore s = RocksDataStore.open(dir, o)) {
            put(s, key("i"), "i", 1, new byte[0], sample());
            for (int round = 0; round < 2; round++) {
                if (round == 1) {
                    Thread.sleep(400); // the store is released: the next call goes through the lock file
                }
                Thread.currentThread().interrupt();
                try {
                    s.open(key("i")).ifPresent(StoredEntry::close);
                } catch (StoreException expected) {
                    assertTrue(expected.getMessage().contains("interrupted"), expected.getMessage());
                } finally {
                    Thread.interrupted();
                }
                try (StoredEntry e = s.open(key("i")).orElseThrow()) {
                    assertArrayEquals(bytes(LARGE, 1), read(e.payload("large")));
                }
            }
        }
    }

    @Test
    void locationNamesTheDirectory() throws Exception {
        Path dir = tmp.resolve("where");
        try (RocksDataStore s = open(dir)) {
            assertTrue(s.location().contains(dir.toRealPath().toString()), s.location());
        }
        assertEquals("cellar-store-format 1", Files.readString(dir.resolve("FORMAT"), StandardCharsets.US_ASCII).trim());
    }
}
