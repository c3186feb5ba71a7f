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
}
