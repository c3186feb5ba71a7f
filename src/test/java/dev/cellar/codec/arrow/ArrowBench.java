package dev.cellar.codec.arrow;

import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Throughput of the Arrow codec on a large double[] against the references of the performance targets
 * (System.arraycopy / clone for restore, a FileChannel write of the same bytes for store). A benchmark,
 * not a test: run with
 * {@code java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx6g -cp target/classes:target/test-classes:$(cat cp.txt) dev.cellar.codec.arrow.ArrowBench [MB]}.
 */
public final class ArrowBench {
    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int n = (int) (mb * 1_000_000L / 8);
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) xs[i] = i * 0.25;
        double[] dst = new double[n];
        Path dir = Files.createTempDirectory("cellar-bench");
        Path ref = dir.resolve("ref.bin");
        Path arrow = dir.resolve("value.arrow");
        ArrowCodec codec = new ArrowCodec();
        DecodeContext ctx = DecodeContext.defaults();
        // reference write source: the same bytes in one page-aligned direct buffer, written by the kernel
        ByteBuffer src = ByteBuffer.allocateDirect(n * 8 + 8192).alignedSlice(4096).order(ByteOrder.LITTLE_ENDIAN);
        src.asDoubleBuffer().put(xs);
        long[] copy = new long[rounds], clone = new long[rounds], write = new long[rounds];
        long[] store = new long[rounds], restore = new long[rounds];
        double check = 0;
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            System.arraycopy(xs, 0, dst, 0, n);
            copy[r] = System.nanoTime() - t;
            t = System.nanoTime();
            double[] c = xs.clone();
            clone[r] = System.nanoTime() - t;
            check += c[n - 1];
            c = null;
            try (FileChannel ch = FileChannel.open(ref, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                t = System.nanoTime();
                ByteBuffer s = src.duplicate().clear().limit(n * 8);
                while (s.hasRemaining()) ch.write(s);
                write[r] = System.nanoTime() - t;
            }
            try (FileChannel ch = FileChannel.open(arrow, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                t = System.nanoTime();
                Encoded e = codec.encode(xs);
                e.writeTo(ch);
                store[r] = System.nanoTime() - t;
            }
            try (FileChannel ch = FileChannel.open(arrow, StandardOpenOption.READ)) {
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                t = System.nanoTime();
                double[] back = (double[]) codec.decode("double[]", m, ctx);
                restore[r] = System.nanoTime() - t;
                check += back[n - 1];
                if (r == 0 && !Arrays.equals(xs, back)) throw new AssertionError("round trip differs");
            }
        }
        System.out.printf("double[] of %d MB, %d rounds, median ms (min):%n", mb, rounds);
        report("System.arraycopy", copy, mb);
        report("clone()", clone, mb);
        report("FileChannel write", write, mb);
        report("arrow store (encode+write)", store, mb);
        report("arrow restore (mmap+decode)", restore, mb);
        System.out.printf("restore/arraycopy %.2f  restore/clone %.2f  store/write %.2f   (%s)%n",
                med(restore) / med(copy), med(restore) / med(clone), med(store) / med(write), check);
        Files.delete(ref);
        Files.delete(arrow);
        Files.delete(dir);
    }

    private static double med(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void report(String what, long[] ns, int mb) {
        long min = Arrays.stream(ns).min().orElseThrow();
        System.out.printf("  %-30s %8.1f ms (%6.1f)  %5.2f GB/s%n", what, med(ns) / 1e6, min / 1e6, mb / 1e3 / (med(ns) / 1e9));
    }
}
