package dev.cellar.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Key;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DataStore} must have. A back end passes it by extending this class and
 * creating fresh, empty stores in {@link #newStore(long)}.
 */
public abstract class DataStoreContract {
    /** Larger than any inline threshold, so that back ends with a separate large-value path are exercised. */
    protected static final int LARGE = 300_000;

    private final List<DataStore> opened = new ArrayList<>();

    /** A fresh, empty store that evicts automatically above {@code maxBytes}. */
    protected abstract DataStore newStore(long maxBytes);

    protected final DataStore store() {
        return store(Long.MAX_VALUE);
    }

    protected final DataStore store(long maxBytes) {
        DataStore s = newStore(maxBytes);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(DataStore::close);
    }

    // ------------------------------------------------------------------ helpers

    public static Key key(String s) {
        byte[] b = new byte[Key.LENGTH];
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(t, 0, b, 0, Math.min(t.length, b.length));
        b[Key.LENGTH - 1] = (byte) s.hashCode();
        return Key.of(b);
    }

    public static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static byte[] read(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Writes {@code payloads} in a few chunks each, alternating heap and direct buffers. */
    public static void write(EntryWriter w, Map<String, byte[]> payloads) throws Exception {
        for (Map.Entry<String, byte[]> p : payloads.entrySet()) {
            try (WritableByteChannel ch = w.payload(p.getKey())) {
                byte[] v = p.getValue();
                int chunk = Math.max(1, v.length / 3 + 1);
                boolean direct = false;
                for (int off = 0; off < v.length; off += chunk) {
                    int n = Math.min(chunk, v.length - off);
                    ByteBuffer b = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
                    b.put(v, off, n).flip();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    direct = !direct;
                }
            }
        }
    }

    public static void put(DataStore s, Key k, String name, long computeNanos, byte[] manifest,
            Map<String, byte[]> payloads) throws Exception {
        try (EntryWriter w = s.begin(k)) {
            write(w, payloads);
            w.commit(manifest, new EntryMetadata(name, 1_000L, computeNanos));
        }
    }

    static Map<String, byte[]> payloads(Object... nameAndBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndBytes.length; i += 2) {
            m.put((String) nameAndBytes[i], (byte[]) nameAndBytes[i + 1]);
        }
        return m;
    }

    static long size(byte[] manifest, Map<String, byte[]> payloads) {
        return manifest.length + payloads.values().stream().mapToLong(b -> b.length).sum();
    }

    static void assertEntry(DataStore s, Key k, byte[] manifest, Map<String, byte[]> payloads) {
        Optional<StoredEntry> e = s.open(k);
        assertTrue(e.isPresent(), "entry " + k.shortHex() + " present");
        try (StoredEntry entry = e.get()) {
            assertArrayEquals(manifest, entry.manifest());
            assertEquals(payloads.keySet(), entry.payloadNames());
            for (Map.Entry<String, byte[]> p : payloads.entrySet()) {
                ByteBuffer b = entry.payload(p.getKey());
                assertEquals(0, b.position());
                assertTrue(b.isReadOnly());
                assertArrayEquals(p.getValue(), read(b), "payload " + p.getKey());
            }
            assertEquals(size(manifest, payloads), entry.info().sizeBytes());
        }
    }

    private static Set<Key> keys(List<EntryInfo> infos) {
        return infos.stream().map(EntryInfo::key).collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------ tests

    @Test
    void readCopiesARangeOfAPayloadAsThePayloadHoldsIt() throws Exception {
        DataStore s = store();
        Key k = key("read");
        Map<String, byte[]> p = payloads("small", bytes(1000, 5), "large", bytes(LARGE, 6));
        put(s, k, "cell", 1, new byte[] {1}, p);
        try (StoredEntry e = s.open(k).orElseThrow()) {
            for (String name : p.keySet()) {
                byte[] want = p.get(name);
                for (int[] r : new int[][] {{0, want.length}, {1, 0}, {3, 500}, {want.length - 7, 7}}) {
                    ByteBuffer dst = ByteBuffer.allocateDirect(r[1] + 16).position(8).limit(8 + r[1]);
                    e.read(name, r[0], dst);
                    assertEquals(8 + r[1], dst.position(), "read fills dst up to its limit");
                    byte[] got = new byte[r[1]];
                    dst.position(8);
                    dst.get(got);
                    assertArrayEquals(java.util.Arrays.copyOfRange(want, r[0], r[0] + r[1]), got, name + " " + r[0]);
                }
                ByteBuffer tooFar = ByteBuffer.allocate(8);
                assertThrows(IndexOutOfBoundsException.class, () -> e.read(name, want.length - 4, tooFar));
            }
        }
    }

    @Test
    void roundTripsManifestPayloadsAndMetadata() throws Exception {
        DataStore s = store();
        Key k = key("round");
        byte[] manifest = "{\"m\":1}".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> p = payloads("empty", new byte[0], "small", bytes(1000, 1), "large", bytes(LARGE, 2));
        put(s, k, "cell", 42_000, manifest, p);
        assertTrue(s.contains(k));
        assertEntry(s, k, manifest, p);
        try (StoredEntry e = s.open(k).orElseThrow()) {
            EntryInfo info = e.info();
            assertEquals(k, info.key());
            assertEquals("cell", info.name());
            assertEquals(1_000L, info.createdMillis());
            assertEquals(42_000, info.computeNanos());
            assertEquals(0, info.hits());
            // buffers are independent views
            ByteBuffer a = e.payload("large");
            a.position(10);
            assertEquals(0, e.payload("large").position());
        }
    }

    @Test
    void uncommittedEntryIsInvisible() throws Exception {
        DataStore s = store();
        Key k = key("pending");
        try (EntryWriter w = s.begin(k)) {
            write(w, payloads("a", bytes(100, 3), "b", bytes(LARGE, 4)));
            assertFalse(s.contains(k));
            assertTrue(s.open(k).isEmpty());
            assertTrue(s.list().isEmpty());
            assertEquals(0, s.stats().entries());
            w.commit(new byte[] {1}, new EntryMetadata("p", 1, 1));
        }
        assertEntry(s, k, new byte[] {1}, payloads("a", bytes(100, 3), "b", bytes(LARGE, 4)));
    }

    @Test
    void abortedWriterLeavesNothing() throws Exception {
        DataStore s = store();
        Key k = key("aborted");
        EntryWriter w = s.begin(k);
        write(w, payloads("a", bytes(100, 3), "b", bytes(LARGE, 4)));
        w.close();
        w.close();
        assertThrows(IllegalStateException.class, () -> w.commit(new byte[0], new EntryMetadata("x", 1, 1)));
        assertFalse(s.contains(k));
        assertTrue(s.open(k).isEmpty());
        assertTrue(s.list().isEmpty());
        assertEquals(new StoreStats(0, 0, 0, 0, 0), s.stats());
    }

    @Test
    void commitRequiresClosedChannels() throws Exception {
        DataStore s = store();
        try (EntryWriter w = s.begin(key("open-channel"))) {
            WritableByteChannel ch = w.payload("a");
            ch.write(ByteBuffer.wrap(new byte[] {1, 2}));
            assertThrows(IllegalStateException.class, () -> w.payload("b"));
            assertThrows(IllegalStateException.class, () -> w.commit(new byte[0], new EntryMetadata("x", 1, 1)));
        }
        assertFalse(s.contains(key("open-channel")));
    }

    @Test
    void payloadNamesAreUniqueAndClosedChannelsRefuseBytes() throws Exception {
        DataStore s = store();
        Key k = key("channels");
        try (EntryWriter w = s.begin(k)) {
            WritableByteChannel a = w.payload("a");
            a.write(ByteBuffer.wrap(new byte[] {1, 2}));
            a.close();
            a.close(); // closing twice changes nothing
            assertFalse(a.isOpen());
            assertThrows(ClosedChannelException.class, () -> a.write(ByteBuffer.wrap(new byte[] {3})));
            assertThrows(IllegalArgumentException.class, () -> w.payload("a"));
            w.commit(new byte[] {7}, new EntryMetadata("c", 1, 1));
            assertThrows(IllegalStateException.class, () -> w.payload("b"));
        }
        assertEntry(s, k, new byte[] {7}, payloads("a", new byte[] {1, 2}));
    }

    @Test
    void replaceLeavesExactlyTheNewEntry() throws Exception {
        DataStore s = store();
        Key k = key("replace");
        Map<String, byte[]> first = payloads("a", bytes(LARGE, 5), "b", bytes(10, 6));
        Map<String, byte[]> second = payloads("c", bytes(20, 7), "d", bytes(LARGE + 7, 8));
        put(s, k, "one", 10, new byte[] {1}, first);
        put(s, k, "two", 20, new byte[] {2, 2}, second);
        assertEntry(s, k, new byte[] {2, 2}, second);
        List<EntryInfo> list = s.list();
        assertEquals(1, list.size());
        assertEquals("two", list.get(0).name());
        assertEquals(1, s.stats().entries());
        assertEquals(size(new byte[2], second), s.stats().bytes());
    }

    @Test
    void openReaderKeepsItsViewAfterReplaceAndRemove() throws Exception {
        DataStore s = store();
        Key k = key("view");
        Map<String, byte[]> first = payloads("a", bytes(LARGE, 9), "b", bytes(50, 10));
        put(s, k, "one", 10, new byte[] {1}, first);
        try (StoredEntry e = s.open(k).orElseThrow()) {
            put(s, k, "two", 10, new byte[] {2}, payloads("a", bytes(LARGE, 11)));
            assertTrue(s.remove(k));
            assertFalse(s.contains(k));
            assertArrayEquals(first.get("a"), read(e.payload("a")));
            assertArrayEquals(first.get("b"), read(e.payload("b")));
            assertArrayEquals(new byte[] {1}, e.manifest());
        }
        assertTrue(s.open(k).isEmpty());
    }

    @Test
    void removeReportsWhetherAnEntryWasThere() throws Exception {
        DataStore s = store();
        Key k = key("remove");
        assertFalse(s.remove(k));
        put(s, k, "r", 1, new byte[] {1}, payloads("a", bytes(LARGE, 12)));
        put(s, key("other"), "o", 1, new byte[] {1}, payloads("a", bytes(10, 13)));
        assertTrue(s.remove(k));
        assertFalse(s.remove(k));
        assertFalse(s.contains(k));
        assertEquals(Set.of(key("other")), keys(s.list()));
        assertEquals(1, s.stats().entries());
        assertEquals(11, s.stats().bytes());
    }

    @Test
    void listGivesMetadataOfEveryEntry() throws Exception {
        DataStore s = store();
        for (int i = 0; i < 5; i++) {
            put(s, key("list" + i), "name" + i, 100L * i, new byte[i], payloads("p", bytes(10 * i, i)));
        }
        List<EntryInfo> list = s.list();
        assertEquals(5, list.size());
        for (EntryInfo e : list) {
            int i = Integer.parseInt(e.name().substring(4));
            assertEquals(key("list" + i), e.key());
            assertEquals(11L * i, e.sizeBytes());
            assertEquals(100L * i, e.computeNanos());
            assertEquals(1_000L, e.createdMillis());
        }
        assertEquals(new StoreStats(5, 11 * (0 + 1 + 2 + 3 + 4), 0, 0, 0), s.stats());
    }

    @Test
    void statisticsCountHitsMissesAndSavedTime() throws Exception {
        DataStore s = store();
        Key k = key("stats");
        put(s, k, "s", 500, new byte[] {1}, payloads("a", bytes(10, 1)));
        s.recordHit(k, 100);
        s.recordHit(k, 250);
        s.recordHit(key("absent"), 1000);
        s.recordMiss();
        s.recordMiss();
        StoreStats st = s.stats();
        assertEquals(3, st.hits());
        assertEquals(2, st.misses());
        assertEquals(1350, st.savedNanos());
        EntryInfo info = s.list().get(0);
        assertEquals(2, info.hits());
        assertEquals(350, info.savedNanos());
        try (StoredEntry e = s.open(k).orElseThrow()) {
            assertEquals(2, e.info().hits());
        }
    }

    @Test
    void evictsLeastComputeTimePerByteFirst() throws Exception {
        DataStore s = store();
        put(s, key("cheap"), "cheap", 1_000, new byte[0], payloads("a", bytes(1000, 1)));
        put(s, key("dear"), "dear", 1_000_000, new byte[0], payloads("a", bytes(1000, 2)));
        put(s, key("mid"), "mid", 10_000, new byte[0], payloads("a", bytes(1000, 3)));
        // per byte, "big" is the cheapest though it took longer to compute than "cheap" and "mid"
        put(s, key("big"), "big", 20_000, new byte[0], payloads("a", bytes(LARGE, 4)));
        List<EntryInfo> evicted = s.evictTo(s.stats().bytes() - 1);
        assertEquals(List.of(key("big")), evicted.stream().map(EntryInfo::key).toList());
        evicted = s.evictTo(1000);
        assertEquals(List.of(key("cheap"), key("mid")), evicted.stream().map(EntryInfo::key).toList());
        assertEquals(Set.of(key("dear")), keys(s.list()));
        assertEquals(1000, s.stats().bytes());
        assertEquals(List.of(), s.evictTo(1000));
    }

    @Test
    void amongEquallyValuableEvictsLeastRecentlyUsed() throws Exception {
        DataStore s = store();
        put(s, key("first"), "first", 1000, new byte[0], payloads("a", bytes(1000, 1)));
        Thread.sleep(15);
        put(s, key("second"), "second", 1000, new byte[0], payloads("a", bytes(1000, 2)));
        Thread.sleep(15);
        s.recordHit(key("first"), 1000); // now "second" is the least recently used
        List<EntryInfo> evicted = s.evictTo(1000);
        assertEquals(List.of(key("second")), evicted.stream().map(EntryInfo::key).toList());
    }

    @Test
    void commitsPastTheCapEvictAutomatically() throws Exception {
        long cap = 10_000;
        DataStore s = store(cap);
        for (int i = 0; i < 20; i++) {
            put(s, key("cap" + i), "c", 1000 + i, new byte[10], payloads("a", bytes(1490, i)));
            assertTrue(s.stats().bytes() <= cap, "after commit " + i + ": " + s.stats());
        }
        StoreStats st = s.stats();
        assertEquals(6, st.entries());
        // the most valuable (highest computeNanos for equal sizes) survive
        assertEquals(Set.of(key("cap14"), key("cap15"), key("cap16"), key("cap17"), key("cap18"), key("cap19")),
                keys(s.list()));
    }

    @Test
    void entriesOpenForReadingAreNotEvicted() throws Exception {
        DataStore s = store();
        put(s, key("held"), "held", 1, new byte[0], payloads("a", bytes(LARGE, 1)));
        put(s, key("free"), "free", 1_000_000, new byte[0], payloads("a", bytes(1000, 2)));
        try (StoredEntry e = s.open(key("held")).orElseThrow()) {
            List<EntryInfo> evicted = s.evictTo(0);
            assertEquals(List.of(key("free")), evicted.stream().map(EntryInfo::key).toList());
            assertTrue(s.contains(key("held")));
            assertArrayEquals(bytes(LARGE, 1), read(e.payload("a")));
        }
        assertEquals(List.of(key("held")), s.evictTo(0).stream().map(EntryInfo::key).toList());
        assertEquals(new StoreStats(0, 0, 0, 0, 0), s.stats());
    }

    @Test
    void payloadNamesAreValidated() throws Exception {
        DataStore s = store();
        try (EntryWriter w = s.begin(key("names"))) {
            for (String bad : new String[] {"", ".", "..", "../x", "a/b", "a\\b", "nul\0", "x".repeat(256)}) {
                assertThrows(IllegalArgumentException.class, () -> w.payload(bad), bad);
            }
            w.payload("ok name-1.arrow").close();
            assertThrows(IllegalArgumentException.class, () -> w.payload("ok name-1.arrow"));
        }
    }

    @Test
    void unknownPayloadIsNoSuchElement() throws Exception {
        DataStore s = store();
        put(s, key("nse"), "n", 1, new byte[0], payloads("a", bytes(1, 1)));
        try (StoredEntry e = s.open(key("nse")).orElseThrow()) {
            assertThrows(NoSuchElementException.class, () -> e.payload("b"));
            e.close();
            e.close();
        }
    }

    @Test
    void concurrentWritersOfOneKeyNeverMix() throws Exception {
        DataStore s = store();
        int threads = 4;
        int ops = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                results.add(pool.submit(() -> {
                    int seen = 0;
                    Random r = new Random(writer);
                    for (int i = 0; i < ops; i++) {
                        Key k = key("mix" + r.nextInt(5));
                        if (r.nextBoolean()) {
                            byte[] tag = {(byte) writer, (byte) i};
                            int large = r.nextInt(3) == 0 ? LARGE : 100;
                            byte[] a = bytes(large, writer * 1000 + i);
                            byte[] b = bytes(50, writer * 1000 + i);
                            put(s, k, "w" + writer, 1, tag, payloads("a", a, "b", b));
                        } else {
                            Optional<StoredEntry> e = s.open(k);
                            if (e.isPresent()) {
                                try (StoredEntry entry = e.get()) {
                                    byte[] tag = entry.manifest();
                                    int seed = tag[0] * 1000 + tag[1];
                                    byte[] a = read(entry.payload("a"));
                                    assertArrayEquals(bytes(a.length, seed), a);
                                    assertArrayEquals(bytes(50, seed), read(entry.payload("b")));
                                    seen++;
                                }
                            }
                        }
                    }
                    return seen;
                }));
            }
            for (Future<Integer> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(s.list().size() <= 5);
        assertEquals(s.list().size(), s.stats().entries());
        assertEquals(s.list().stream().mapToLong(EntryInfo::sizeBytes).sum(), s.stats().bytes());
    }
}
