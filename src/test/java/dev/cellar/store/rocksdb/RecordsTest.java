package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Record encodings round-trip, and damaged or foreign bytes decode to "absent", never to an exception. */
class RecordsTest {
    private static Records.Entry sampleEntry() {
        byte[] id = new byte[Records.BLOB_ID_BYTES];
        id[3] = 7;
        Records.Info info = new Records.Info("cell ∂", 11, 22, 333, List.of(id));
        return new Records.Entry(info, new byte[] {1, 2, 3}, List.of(
                new Records.Payload("small", 4, new byte[] {9, 8, 7, 6}, null),
                new Records.Payload("large", 300_000, null, id)));
    }

    @Test
    void recordsRoundTrip() {
        Records.Entry e = sampleEntry();
        Records.Entry d = Records.decodeEntry(Records.encodeEntry(e));
        assertEquals(e.info().name(), d.info().name());
        assertEquals(e.info().sizeBytes(), d.info().sizeBytes());
        assertArrayEquals(e.manifest(), d.manifest());
        assertArrayEquals(new byte[] {9, 8, 7, 6}, d.payloads().get(0).inline());
        assertArrayEquals(e.info().blobIds().get(0), d.payloads().get(1).blobId());
        assertEquals(300_000, d.payloads().get(1).length());
        Records.Info i = Records.decodeInfo(Records.encodeInfo(e.info()));
        assertEquals(e.info().computeNanos(), i.computeNanos());
        assertArrayEquals(e.info().blobIds().get(0), i.blobIds().get(0));
        assertEquals(new Records.Stats(1, 2, 3), Records.decodeStats(Records.encodeStats(new Records.Stats(1, 2, 3))));
        Records.Global g = new Records.Global(1, 2, 3, 4, 5);
        assertEquals(g, Records.decodeGlobal(Records.encodeGlobal(g)));
    }

    @Test
    void otherFormatsAndTruncationsReadAsAbsent() {
        byte[] entry = Records.encodeEntry(sampleEntry());
        byte[] newer = entry.clone();
        newer[0] = 2;
        assertNull(Records.decodeEntry(newer));
        for (int n = 0; n < entry.length; n++) {
            assertNull(Records.decodeEntry(java.util.Arrays.copyOf(entry, n)), "truncated to " + n);
        }
        assertNull(Records.decodeEntry(null));
        // a record at the start of a larger buffer (what was read before it follows) decodes by its length
        byte[] buffer = java.util.Arrays.copyOf(entry, entry.length + 50);
        java.util.Arrays.fill(buffer, entry.length, buffer.length, (byte) 5);
        assertArrayEquals(Records.encodeEntry(Records.decodeEntry(entry)),
                Records.encodeEntry(Records.decodeEntry(buffer, entry.length)));
        assertNull(Records.decodeEntry(buffer), "the whole buffer is not a record");
        for (int n = 0; n < entry.length; n++) {
            assertNull(Records.decodeEntry(buffer, n), "truncated to " + n + " in a larger buffer");
        }
        assertNull(Records.decodeInfo(new byte[] {1, 0, 0}));
        assertNull(Records.decodeStats(new byte[] {2}));
    }

    @Test
    void mutatedRecordsNeverThrow() {
        Random r = new Random(1);
        byte[] entry = Records.encodeEntry(sampleEntry());
        byte[] info = Records.encodeInfo(sampleEntry().info());
        for (int i = 0; i < 10_000; i++) {
            byte[] e = entry.clone();
            byte[] f = info.clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                e[r.nextInt(e.length)] = (byte) r.nextInt();
                f[r.nextInt(f.length)] = (byte) r.nextInt();
            }
            Records.decodeEntry(e);
            Records.decodeInfo(f);
            byte[] garbage = new byte[r.nextInt(64)];
            r.nextBytes(garbage);
            if (garbage.length > 0) {
                garbage[0] = Records.FORMAT;
            }
            Records.decodeEntry(garbage);
            Records.decodeInfo(garbage);
        }
    }
}
