package dev.cellar.key;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A digest for telling, inside one process, whether a value changed since it was last digested (the
 * kernel's "is this variable still what the cell left?"), computed on every processor. Never a key
 * ingredient and never stored: it only ever meets other digests of this class, so it may differ from
 * {@link ValueDigest#of} and may change between versions.
 *
 * <p>Why not {@link ValueDigest#of}: XXH3 chains its blocks, so one digest of an 800 MB array is one
 * thread reading 800 MB (~80-100 ms here). This one digests a large primitive array as independent
 * slices of {@value #SLICE_BYTES} bytes (XXH3-128 each, in place), taken in turn by the caller and
 * helper threads, and joins the slice digests, the element type and the length with SHA-256. A change
 * anywhere changes its slice's digest and so the whole; two threads read memory about twice as fast as
 * one. Values that are not large primitive arrays get {@link ValueDigest#of}.
 */
public final class ChunkedDigest {
    static final int SLICE_BYTES = 8 << 20;
    private static final HexFormat HEX = HexFormat.of();
    private static final int HELPERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    private static volatile ExecutorService helpers;

    private ChunkedDigest() {}

    /**
     * @throws dev.cellar.CellarException if the value has no canonical encoding (as {@link ValueDigest#of})
     */
    public static String of(Object value) {
        if (sliced(value)) {
            return HEX.formatHex(sliced(value, Canonical.elementCode(value.getClass())));
        }
        return ValueDigest.of(value);
    }

    /** Whether {@link #of} differs from {@link ValueDigest#of} for this value (a large primitive array). */
    public static boolean sliced(Object value) {
        if (value == null || !Xxh3.littleEndian()) {
            return false;
        }
        byte code = Canonical.elementCode(value.getClass());
        return code >= 0 && Canonical.isLarge(value, code);
    }

    private static byte[] sliced(Object array, byte code) {
        int n = java.lang.reflect.Array.getLength(array);
        int perSlice = SLICE_BYTES / Canonical.width(code);
        int slices = (int) (((long) n + perSlice - 1) / perSlice);
        long[] digests = new long[2 * slices];
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int s = next.getAndIncrement(); s < slices; s = next.getAndIncrement()) {
                int from = s * perSlice;
                long[] r = Xxh3.primitiveSlice(array, code, from, Math.min(perSlice, n - from));
                digests[2 * s] = r[0];
                digests[2 * s + 1] = r[1];
            }
        };
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < Math.min(HELPERS, slices - 1); i++) {
            started.add(helpers().submit(work));
        }
        work.run();
        for (Future<?> f : started) {
            boolean interrupted = false;
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the slices are ours to finish: a helper is at most one slice away
                } catch (ExecutionException e) {
                    throw new IllegalStateException("digest of a slice failed", e.getCause());
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        MessageDigest sha = ValueDigest.sha256();
        ByteBuffer head = ByteBuffer.allocate(9).put(code).putLong(n);
        sha.update(head.array());
        ByteBuffer all = ByteBuffer.allocate(16 * slices);
        for (long d : digests) {
            all.putLong(d);
        }
        sha.update(all.array());
        return Arrays.copyOf(sha.digest(), 16);
    }

    private static ExecutorService helpers() {
        ExecutorService h = helpers;
        if (h == null) {
            synchronized (ChunkedDigest.class) {
                h = helpers;
                if (h == null) {
                    h = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "cellar-digest");
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
