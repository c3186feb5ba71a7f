package dev.cellar.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cellar.Key;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvictionTest {
    private static EntryInfo entry(int i, long size, long compute) {
        byte[] k = new byte[Key.LENGTH];
        k[0] = (byte) i;
        k[1] = (byte) (i >> 8);
        return new EntryInfo(Key.of(k), "e", size, 1000, 2000, compute, 0, 0);
    }

    /** The exact value order (saved time per byte) by 128-bit products, as BigInteger would compute it. */
    @Test
    void valueOrderIsExactEvenWhereProductsOverflowALong() {
        SplittableRandom r = new SplittableRandom(3);
        long[] edge = {0, 1, 2, Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 32, (1L << 32) + 1, 3_000_000_000L};
        for (int i = 0; i < 20_000; i++) {
            long as = i < 64 ? edge[i % 8] : r.nextLong(Long.MAX_VALUE);
            long ac = i < 64 ? edge[(i / 8) % 8] : (r.nextBoolean() ? r.nextLong(Long.MAX_VALUE) : r.nextLong(1 << 20));
            long bs = r.nextBoolean() ? r.nextLong(Long.MAX_VALUE) : as;
            long bc = r.nextBoolean() ? r.nextLong(Long.MAX_VALUE) : ac;
            EntryInfo a = entry(1, as, ac);
            EntryInfo b = entry(2, bs, bc);
            int expected = BigInteger.valueOf(ac).multiply(BigInteger.valueOf(Math.max(1, bs)))
                    .compareTo(BigInteger.valueOf(bc).multiply(BigInteger.valueOf(Math.max(1, as))));
            if (expected == 0) {
                expected = a.key().compareTo(b.key()); // same times: by key
            }
            assertEquals(Integer.signum(expected), Integer.signum(Eviction.ORDER.compare(a, b)),
                    as + " " + ac + " vs " + bs + " " + bc);
        }
    }
}
