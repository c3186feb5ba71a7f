package dev.cellar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.CodecException;
import dev.cellar.Key;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.codec.PayloadTooLargeException;
import dev.cellar.key.Derivation;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoredEntry;
import dev.cellar.store.rocksdb.RocksDataStore;
import dev.cellar.testing.ForwardingDataStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values over one payload's limit (2 GiB in every store) are stored as runs of rows, one payload each. The
 * limit is lowered here to a few kilobytes so that the same code runs on small values; the benchmark
 * stores a real 4 GB {@code double[][]}.
 */
class PartsTest {
    private static final long LIMIT = 20_000;

    @TempDir
    Path dir;

    private static double[][] rows(int n, int width) {
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = new double[width];
            for (int j = 0; j < width; j++) {
                a[i][j] = i * 1000.0 + j;
            }
        }
        return a;
    }

    private static Derivation derivation(int seed) {
        byte[] k = new byte[Key.LENGTH];
        k[0] = (byte) seed;
        return new Derivation(Key.of(k), List.of());
    }

    @Test
    void anArrayOfRowsOverTheLimitIsStoredInPartsAndRestoredWhole() {
        double[][] value = rows(41, 100); // 800 bytes a row, ~33 KB in all: at least two parts
        value[7] = null;
        List<String> warnings = new ArrayList<>();
        try (DataStore store = RocksDataStore.open(dir)) {
            Entries entries = new Entries(store, CodecRegistry.standard(), warnings::add, true, LIMIT);
            Derivation d = derivation(1);
            Entries.Saved saved = entries.save(d, "big", Map.of("v", value), Map.of(), 5);
            assertTrue(saved.stored());

            Manifest m = entries.manifest(d.key()).orElseThrow();
            Manifest.Output out = m.outputs().get("v");
            assertFalse(out.parts().isEmpty(), "a value over the limit is split");
            assertEquals(2, m.format(), "an entry with parts is format 2, which an older cellar reads as a miss");
            for (Manifest.Part p : out.pieces()) {
                assertTrue(p.size() <= LIMIT, "part of " + p.size() + " bytes");
            }
            assertEquals(saved.bytes(), out.totalSize());
            // the manifest's JSON carries the parts
            assertEquals(out, Manifest.fromJson(m.toJson()).outputs().get("v"));

            Object restored = entries.lookup(d.key(), "big", getClass().getClassLoader(), "v").orElseThrow()
                    .values().get("v");
            assertEquals(double[][].class, restored.getClass());
            assertTrue(Arrays.deepEquals(value, (double[][]) restored));
            assertEquals(Optional.empty(), entries.problem(d.key()));
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void aValueUnderTheLimitIsOnePayloadInFormatOne() {
        try (DataStore store = RocksDataStore.open(dir)) {
            Entries entries = new Entries(store, CodecRegistry.standard(), w -> { }, true, LIMIT);
            Derivation d = derivation(2);
            entries.save(d, "small", Map.of("v", rows(3, 10)), Map.of(), 5);
            Manifest m = entries.manifest(d.key()).orElseThrow();
            assertEquals(List.of(), m.outputs().get("v").parts());
            assertEquals(1, m.format(), "entries that need no parts stay readable by older versions");
            assertFalse(new String(m.toJson(), StandardCharsets.UTF_8).contains("parts"));
        }
    }

    @Test
    void aDamagedPartIsAMissWithAWarningAndTheEntryIsRemoved() {
        List<String> warnings = new ArrayList<>();
        try (DataStore rocks = RocksDataStore.open(dir)) {
            Derivation d = derivation(3);
            new Entries(rocks, CodecRegistry.standard(), w -> { }, true, LIMIT)
                    .save(d, "big", Map.of("v", rows(41, 100)), Map.of(), 5);
            String last = new Entries(rocks, CodecRegistry.standard(), w -> { }, true, LIMIT).manifest(d.key())
                    .orElseThrow().outputs().get("v").pieces().stream().reduce((a, b) -> b).orElseThrow().payload();
            DataStore damaged = new FlipOnePayload(rocks, last);
            Entries entries = new Entries(damaged, CodecRegistry.standard(), warnings::add, true, LIMIT);
            assertTrue(entries.problem(d.key()).orElseThrow().contains("checksum"));
            assertEquals(Optional.empty(), entries.lookup(d.key(), "big", getClass().getClassLoader(), "v"));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("corrupt entry big"), warnings.get(0));
            assertFalse(rocks.contains(d.key()));
        }
    }

    @Test
    void aSingleRowOverTheLimitIsRefusedAndNothingIsStored() {
        try (DataStore store = RocksDataStore.open(dir)) {
            Entries entries = new Entries(store, CodecRegistry.standard(), w -> { }, true, LIMIT);
            Derivation d = derivation(4);
            double[][] value = rows(2, 100);
            value[1] = new double[5000]; // 40 KB in one row
            CodecException e = assertThrows(CodecException.class,
                    () -> entries.save(d, "big", Map.of("v", value), Map.of(), 5));
            assertTrue(e.getMessage().startsWith("value 'v' of type double[][]: value needs a "), e.getMessage());
            assertTrue(e.getCause() instanceof PayloadTooLargeException, String.valueOf(e.getCause()));
            assertFalse(store.contains(d.key()));
            // a flat array cannot be split either
            assertTrue(assertThrows(CodecException.class,
                    () -> entries.save(d, "flat", Map.of("v", new double[5000]), Map.of(), 5)).getMessage()
                    .contains("only an array of rows can be split"));
            assertEquals(List.<EntryInfo>of(), store.list());
        }
    }

    @Test
    void exportHandsOverEveryPart() throws Exception {
        try (DataStore store = RocksDataStore.open(dir)) {
            Entries entries = new Entries(store, CodecRegistry.standard(), w -> { }, true, LIMIT);
            Derivation d = derivation(5);
            entries.save(d, "big", Map.of("v", rows(41, 100)), Map.of(), 5);
            List<String> names = new ArrayList<>();
            long[] bytes = {0};
            Manifest m = entries.read(d.key(), (output, described, data) -> {
                names.add(output);
                bytes[0] += data.remaining();
                assertEquals(described.size(), data.remaining());
            });
            int pieces = m.outputs().get("v").pieces().size();
            assertTrue(pieces >= 2);
            List<String> expected = new ArrayList<>(List.of("v"));
            for (int i = 2; i <= pieces; i++) {
                expected.add("v.part" + i);
            }
            assertEquals(expected, names);
            assertEquals(m.outputs().get("v").totalSize(), bytes[0]);
        }
    }

    /** Flips one byte in the middle of one named payload. */
    private static final class FlipOnePayload extends ForwardingDataStore {
        private final String name;

        FlipOnePayload(DataStore delegate, String name) {
            super(delegate);
            this.name = name;
        }

        @Override
        public Optional<StoredEntry> open(Key key) {
            return delegate.open(key).map(e -> new StoredEntry() {
                @Override
                public dev.cellar.store.EntryInfo info() {
                    return e.info();
                }

                @Override
                public byte[] manifest() {
                    return e.manifest();
                }

                @Override
                public Set<String> payloadNames() {
                    return e.payloadNames();
                }

                @Override
                public ByteBuffer payload(String n) {
                    ByteBuffer src = e.payload(n);
                    if (!n.equals(name)) {
                        return src;
                    }
                    ByteBuffer copy = ByteBuffer.allocate(src.remaining());
                    copy.put(src.duplicate()).flip();
                    int at = copy.limit() / 2;
                    copy.put(at, (byte) (copy.get(at) ^ 0x10));
                    return copy.asReadOnlyBuffer();
                }

                @Override
                public void close() {
                    e.close();
                }
            });
        }
    }
}
