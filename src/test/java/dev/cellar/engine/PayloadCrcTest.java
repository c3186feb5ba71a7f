package dev.cellar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PayloadCrcTest {
    @Test
    void payloadCrcCoversEveryByteWhateverTheDecoderReports() {
        byte[] bytes = new byte[5000];
        new java.util.Random(7).nextBytes(bytes);
        java.util.zip.CRC32C whole = new java.util.zip.CRC32C();
        whole.update(bytes);
        for (long[] reports : new long[][] {{}, {10, 10, 4999}, {6000}, {3000, 100, 4000}, {-5, 2500}}) {
            PayloadCrc crc = new PayloadCrc(java.nio.ByteBuffer.wrap(bytes));
            for (long r : reports) {
                crc.upTo(r);
            }
            assertEquals(whole.getValue(), crc.finish(), java.util.Arrays.toString(reports));
        }
    }

    @Test
    void copiedBytesAreChecksummedInOrderWithGapsFromThePayload() {
        byte[] bytes = new byte[5000];
        new java.util.Random(8).nextBytes(bytes);
        java.util.zip.CRC32C whole = new java.util.zip.CRC32C();
        whole.update(bytes);
        // {at, length} of each copy the codec reports; gaps, repeats and out-of-order copies included
        for (int[][] copies : new int[][][] {{}, {{0, 5000}}, {{100, 900}, {1000, 1000}, {3000, 1500}},
                {{200, 100}, {100, 50}, {300, 10}}, {{4990, 10}}, {{4990, 20}}}) {
            PayloadCrc crc = new PayloadCrc(java.nio.ByteBuffer.wrap(bytes));
            for (int[] c : copies) {
                crc.copied(c[0], java.nio.ByteBuffer.wrap(bytes, c[0], Math.min(c[1], 5000 - c[0])).slice());
            }
            assertEquals(whole.getValue(), crc.finish(), java.util.Arrays.deepToString(copies));
        }
        // the checksum is of the bytes the codec copied, not of the payload they should have come from
        byte[] other = bytes.clone();
        other[1500] ^= 1;
        PayloadCrc crc = new PayloadCrc(java.nio.ByteBuffer.wrap(bytes));
        crc.copied(1000, java.nio.ByteBuffer.wrap(other, 1000, 1000).slice());
        org.junit.jupiter.api.Assertions.assertNotEquals(whole.getValue(), crc.finish());
    }
}
