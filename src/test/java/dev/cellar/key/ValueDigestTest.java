package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.CellarException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueDigestTest {
    @TempDir
    Path dir;

    @Test
    void digestsAre32HexDigitsAndFollowTheCanonicalEncoding() {
        String d = ValueDigest.of(List.of(1, 2.0, "x"));
        assertTrue(d.matches("[0-9a-f]{32}"), d);
        assertEquals(d, ValueDigest.of(List.of(1, 2.0, "x")));
        assertNotEquals(ValueDigest.of(1), ValueDigest.of(1L));
        assertNotEquals(ValueDigest.of(1), ValueDigest.of(1.0));
        assertNotEquals(ValueDigest.of(0.0), ValueDigest.of(-0.0));
    }

    /** A record whose accessor, when {@link #nest} is set, takes a digest of its own while the record is digested. */
    public record Nosy(String name, int n) {
        static volatile boolean nest;

        @Override
        public String name() {
            if (nest) {
                assertEquals(32, ValueDigest.of(List.of(name, n, "x".repeat(300))).length());
            }
            return name;
        }
    }

    @Test
    void aDigestTakenInsideAnotherDoesNotDisturbIt() {
        // each thread lends out one sink; a digest started while it is lent out must get its own
        List<Object> v = List.of("head", new Nosy("a", 1), "tail");
        Nosy.nest = false;
        String alone = ValueDigest.of(v);
        Nosy.nest = true;
        try {
            assertEquals(alone, ValueDigest.of(v));
        } finally {
            Nosy.nest = false;
        }
    }

    @Test
    void aFailedDigestLeavesNothingBehindForTheNext() {
        String before = ValueDigest.of(List.of("x", 1));
        assertThrows(CellarException.class, () -> ValueDigest.of(List.of("x", 1, new Object())));
        assertEquals(before, ValueDigest.of(List.of("x", 1)));
        assertEquals(HashKeyDeriver.keyOf(List.of(new Ingredient("k", "n", "", "", before))),
                HashKeyDeriver.keyOf(List.of(new Ingredient("k", "n", "", "", before))));
    }

    @Test
    void streamingIntoTheDigestEqualsHashingTheMaterializedEncoding() throws Exception {
        List<Object> v = new java.util.ArrayList<>();
        v.add("x".repeat(20_000)); // larger than the sink's buffer: goes straight to the digest
        for (int i = 0; i < 3000; i++) {
            v.add(i % 2 == 0 ? (Object) i : (Object) ("s" + i));
        }
        v.add(new double[600]); // inline, just under the digest threshold
        v.add(new double[10_000]); // digested in place
        byte[] encoding = Canonical.bytes(v, "v");
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(encoding);
        assertEquals(java.util.HexFormat.of().formatHex(Arrays.copyOf(sha, 16)), ValueDigest.of(v));
    }

    @Test
    void largeArraysTakeTheInPlacePathAndSeeEveryElement() {
        double[] a = new double[1 << 20];
        Arrays.setAll(a, i -> i * 0.5);
        String before = ValueDigest.of(a);
        assertEquals(before, ValueDigest.of(a.clone()));
        a[a.length / 2] += 1e-9;
        String after = ValueDigest.of(a);
        assertNotEquals(before, after);
        a[a.length / 2] -= 1e-9;
        Arrays.sort(a); // already sorted: an in-place sort that changes nothing keeps the digest
        assertEquals(before, ValueDigest.of(a));
        // The fast path is exactly XXH3 of the array, seeded by its element type.
        assertEquals(before, java.util.HexFormat.of().formatHex(Xxh3.primitiveArray(a, Canonical.DOUBLE)));
    }

    @Test
    void sameBitsInDifferentElementTypesDiffer() {
        int n = 10_000;
        long[] longs = new long[n];
        double[] doubles = new double[n];
        byte[] bytes = new byte[8 * n];
        assertNotEquals(ValueDigest.of(longs), ValueDigest.of(doubles));
        assertNotEquals(ValueDigest.of(longs), ValueDigest.of(bytes));
        int[] ints = new int[2 * n];
        float[] floats = new float[2 * n];
        assertNotEquals(ValueDigest.of(ints), ValueDigest.of(floats));
        char[] chars = new char[4 * n];
        short[] shorts = new short[4 * n];
        assertNotEquals(ValueDigest.of(chars), ValueDigest.of(shorts));
        assertNotEquals(ValueDigest.of(new boolean[8 * n]), ValueDigest.of(bytes));
    }

    @Test
    void everyPrimitiveArrayTypeHasAStableLargeDigest() {
        int n = 5000;
        List<Object> arrays = List.of(new boolean[n], new byte[n], new short[n], new char[n], new int[n],
                new long[n], new float[n], new double[n]);
        for (Object a : arrays) {
            assertEquals(ValueDigest.of(a), ValueDigest.of(a), a.getClass().getName());
        }
        assertEquals(arrays.size(), arrays.stream().map(ValueDigest::of).distinct().count());
    }

    @Test
    void unencodableValueNamesWhatWasDigested() {
        CellarException e = assertThrows(CellarException.class,
                () -> ValueDigest.of(List.of(1, 2, 3, Thread.currentThread()), "input xs"));
        assertEquals("element [3] of input xs: java.lang.Thread has no canonical encoding", e.getMessage());
    }

    @Test
    void fileDigestFollowsContentNotName() throws IOException {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, "x,y\n1,2\n");
        Files.writeString(b, "x,y\n1,2\n");
        assertEquals(ValueDigest.file(a), ValueDigest.file(b));
        assertTrue(ValueDigest.file(a).matches("[0-9a-f]{32}"));
        Files.writeString(b, "x,y\n1,3\n");
        assertNotEquals(ValueDigest.file(a), ValueDigest.file(b));
        Path empty = Files.createFile(dir.resolve("empty"));
        assertEquals(32, ValueDigest.file(empty).length());
        assertNotEquals(ValueDigest.file(empty), ValueDigest.file(a));
    }

    @Test
    void fileDigestIsNotTheDigestOfTheSameBytesAsAnArray() throws IOException {
        byte[] content = new byte[100_000];
        Arrays.fill(content, (byte) 7);
        Path f = dir.resolve("bytes");
        Files.write(f, content);
        assertNotEquals(ValueDigest.of(content), ValueDigest.file(f));
    }

    @Test
    void missingFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope.txt");
        CellarException e = assertThrows(CellarException.class, () -> ValueDigest.file(missing));
        assertTrue(e.getMessage().contains("nope.txt"), e.getMessage());
    }

    @Test
    @Tag("slow")
    void filesLargerThanOneChunkSeeTheirLastByte() throws IOException {
        Path f = dir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(Xxh3.FILE_CHUNK + 10);
        }
        String before = ValueDigest.file(f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(Xxh3.FILE_CHUNK + 9);
            raf.write(1);
        }
        assertNotEquals(before, ValueDigest.file(f));
    }
}
