package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's own digest: large arrays by slices on several threads, everything else as ValueDigest. */
class ChunkedDigestTest {
    /** 2.5 slices of doubles: a first, a middle and a short last slice. */
    private static final int N = ChunkedDigest.SLICE_BYTES / 8 * 5 / 2;

    private static double[] doubles() {
        double[] a = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = Math.sqrt(i);
        }
        return a;
    }

    @Test
    void aChangeInAnySliceAloneChangesTheDigest() {
        double[] a = doubles();
        String d = ChunkedDigest.of(a);
        assertTrue(d.matches("[0-9a-f]{32}"), d);
        assertEquals(d, ChunkedDigest.of(a.clone()), "same content, same digest");
        int perSlice = ChunkedDigest.SLICE_BYTES / 8;
        for (int at : new int[] {0, perSlice - 1, perSlice, 2 * perSlice, N - 1}) {
            double[] b = a.clone();
            b[at] = -1;
            assertNotEquals(d, ChunkedDigest.of(b), "element " + at + " changed");
        }
        // two slices swapped: each slice's digest is unchanged, their order is not
        double[] swapped = a.clone();
        System.arraycopy(a, perSlice, swapped, 0, perSlice);
        System.arraycopy(a, 0, swapped, perSlice, perSlice);
        assertNotEquals(d, ChunkedDigest.of(swapped));
    }

    @Test
    void typeAndLengthEnterTheDigest() {
        long[] bits = new long[N];
        double[] a = doubles();
        for (int i = 0; i < N; i++) {
            bits[i] = Double.doubleToRawLongBits(a[i]);
        }
        assertNotEquals(ChunkedDigest.of(a), ChunkedDigest.of(bits), "same bits, another element type");
        assertNotEquals(ChunkedDigest.of(new byte[ChunkedDigest.SLICE_BYTES]),
                ChunkedDigest.of(new byte[ChunkedDigest.SLICE_BYTES + 1]), "a zero appended");
    }

    @Test
    void smallAndNonArrayValuesAreDigestedAsValueDigestDoes() {
        for (Object v : new Object[] {List.of(1, "x"), new double[100], 5, "s"}) {
            assertFalse(ChunkedDigest.sliced(v));
            assertEquals(ValueDigest.of(v), ChunkedDigest.of(v));
        }
        assertTrue(ChunkedDigest.sliced(new double[N]));
    }
}
