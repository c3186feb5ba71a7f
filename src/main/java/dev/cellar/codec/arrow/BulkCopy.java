package dev.cellar.codec.arrow;

import dev.cellar.codec.DecodeContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fills new primitive arrays from the payload through the context's bulk reader ({@code pread} of the
 * store's file into a reused 1 MiB buffer, checksummed there, then copied into the array), in 1 MiB
 * chunks that the decoding thread and, for large copies, one helper thread take in turn.
 *
 * <p>Why two threads: a restore of 800 MB spent ~120 ms of CPU in this loop (the kernel's copy out of the
 * page cache ~68, CRC32C ~17, the copy into the array ~35; measured on this 2-core machine) on top of
 * the array's allocation, and the chunks are independent: each is read, checksummed and copied on its
 * own, and the caller joins the checksums (they combine, see engine's PayloadCrc). The helper is one
 * daemon thread shared by every decode; a machine with one processor copies on the caller alone.
 *
 * <p>Why the arrays are allocated zeroed, though every element is overwritten here: the JDK's internal
 * {@code jdk.internal.misc.Unsafe.allocateUninitializedArray} was tried (exported with
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, called from C2-compiled code where
 * it is an intrinsic). It skips zeroing only for arrays that fit a thread-local allocation buffer; an
 * array of hundreds of MB takes the runtime's slow path, which zeroes it anyway (HotSpot 17: measured
 * 800 MB allocations as fast as {@code new double[n]}, and contents zero over memory that held other
 * values). So no supported or internal route skips zeroing for a large array on this JDK; it is not used.
 *
 * <p>An array is complete only when {@link #run} returns: if any chunk fails, {@link #run} throws after
 * every chunk has stopped, and the caller drops the half-filled arrays.
 */
final class BulkCopy {
    /** One array to fill: {@code len} elements into {@code array} from 0, from byte {@code at} of the payload. */
    record Target(Prim prim, Object array, int len, long at) {}

    /** Chunk size: the read buffer, small enough to stay in cache between its checksum and its copy. */
    static final int CHUNK_BYTES = 1 << 20;

    /** Copies smaller than this stay on the caller: handing work over costs more than it saves. */
    static final long PARALLEL_ABOVE = 16L << 20;

    /** One reused, page-aligned 1 MiB buffer per thread. */
    private static final ThreadLocal<ByteBuffer> CHUNK = ThreadLocal.withInitial(() -> ByteBuffer
            .allocateDirect(CHUNK_BYTES + 4096).alignedSlice(4096).limit(CHUNK_BYTES).slice()
            .order(ByteOrder.LITTLE_ENDIAN));

    private static final int HELPERS = Math.min(1, Runtime.getRuntime().availableProcessors() - 1);
    private static volatile ExecutorService helpers;

    private final List<Target> targets = new ArrayList<>();
    /** Per chunk: index of its target and first element. */
    private final List<long[]> chunks = new ArrayList<>();
    private long bytes;

    void add(Prim prim, Object array, int len, long at) {
        if (len == 0) {
            return;
        }
        int t = targets.size();
        targets.add(new Target(prim, array, len, at));
        int step = CHUNK_BYTES / prim.width;
        for (int done = 0; done < len; done += step) {
            chunks.add(new long[] {t, done});
        }
        bytes += (long) len * prim.width;
    }

    /** Copies every target through {@code bulk}; returns when all are filled, or throws. */
    void run(DecodeContext.Bulk bulk) {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> started = new ArrayList<>();
        if (bytes > PARALLEL_ABOVE && HELPERS > 0 && chunks.size() > 1) {
            for (int i = 0; i < HELPERS; i++) {
                started.add(helpers().submit(() -> work(next, bulk)));
            }
        }
        Throwable failed = null;
        try {
            work(next, bulk);
        } catch (RuntimeException | Error e) {
            next.set(chunks.size()); // helpers stop at their next chunk
            failed = e;
        }
        for (Future<?> f : started) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (failed == null) {
                    failed = e.getCause();
                }
            } catch (InterruptedException e) {
                // a cancelled cell: wait for the helper anyway, it is at most one chunk from done
                Thread.currentThread().interrupt();
                next.set(chunks.size());
                try {
                    f.get();
                } catch (Exception ignored) {
                    // the decode fails below
                }
                if (failed == null) {
                    failed = new IllegalStateException("interrupted while restoring");
                }
            }
        }
        if (failed instanceof Error e) {
            throw e;
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }

    private void work(AtomicInteger next, DecodeContext.Bulk bulk) {
        ByteBuffer chunk = CHUNK.get();
        for (int c = next.getAndIncrement(); c < chunks.size(); c = next.getAndIncrement()) {
            long[] ch = chunks.get(c);
            Target t = targets.get((int) ch[0]);
            int from = (int) ch[1];
            int n = Math.min(CHUNK_BYTES / t.prim().width, t.len() - from);
            chunk.clear().limit(n * t.prim().width);
            bulk.read(t.at() + (long) from * t.prim().width, chunk);
            chunk.flip();
            t.prim().read(chunk, 0, t.array(), from, n);
        }
    }

    private static ExecutorService helpers() {
        ExecutorService h = helpers;
        if (h == null) {
            synchronized (BulkCopy.class) {
                h = helpers;
                if (h == null) {
                    h = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "cellar-restore-copy");
                        t.setDaemon(true);
                        return t;
                    });
                    helpers = h;
                }
            }
        }
        return h;
    }
}
