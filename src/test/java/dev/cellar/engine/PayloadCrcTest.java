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

    @Test
    void combinedChecksumsOfTwoPiecesEqualTheChecksumOfBoth() {
        java.util.Random r = new java.util.Random(9);
        for (int len : new int[] {0, 1, 7, 64, 1000, 1 << 16, 3 << 20}) {
            byte[] bytes = new byte[len];
            r.nextBytes(bytes);
            for (int cut : new int[] {0, len / 3, len / 2, len}) {
                assertEquals(crc(bytes, 0, len), PayloadCrc.combine(crc(bytes, 0, cut), crc(bytes, cut, len - cut), len - cut),
                        len + " bytes cut at " + cut);
            }
        }
    }

    /** Two threads copy alternate 1 KB pieces, each in reverse order: the result is the whole payload's CRC. */
    @Test
    void copiesFromTwoThreadsInAnyOrderJoinIntoTheWholeChecksum() throws Exception {
        byte[] bytes = new byte[64 * 1024 + 77];
        new java.util.Random(10).nextBytes(bytes);
        PayloadCrc crc = new PayloadCrc(java.nio.ByteBuffer.wrap(bytes));
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int parity = t;
            threads[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int at = (bytes.length / 1024) * 1024; at >= 0; at -= 1024) {
                    if ((at / 1024) % 2 == parity) {
                        crc.copied(at, java.nio.ByteBuffer.wrap(bytes, at, Math.min(1024, bytes.length - at)).slice());
                    }
                }
            });
            threads[t].start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(crc(bytes, 0, bytes.length), crc.finish());
        // and a piece copied wrong is caught whichever thread copied it
        byte[] other = bytes.clone();
        other[5000] ^= 1;
        PayloadCrc bad = new PayloadCrc(java.nio.ByteBuffer.wrap(bytes));
        bad.copied(4096, java.nio.ByteBuffer.wrap(other, 4096, 1024).slice());
        bad.copied(0, java.nio.ByteBuffer.wrap(bytes, 0, 4096).slice());
        org.junit.jupiter.api.Assertions.assertNotEquals(crc(bytes, 0, bytes.length), bad.finish());
    }

    private static long crc(byte[] b, int off, int len) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b, off, len);
        return c.getValue();
    }
}
