package dev.cellar.codec;

import java.util.function.LongConsumer;

/**
 * What a decoder may use: the class loader that defines user types (records declared in JShell cells
 * live in JShell's loader), the most memory one decode may allocate, and an optional progress sink.
 *
 * <p>{@code progress}, when present, wants to hear "I have read the payload up to byte N" as a large
 * copy proceeds, so that the caller can checksum those bytes while they are still in the processor's
 * cache instead of in a separate pass over memory. Reporting is only an optimisation: the caller checks
 * every byte whatever a decoder reports, in order, from the payload itself.
 */
public record DecodeContext(ClassLoader classLoader, long maxBytes, LongConsumer progress, Bulk bulk) {
    /**
     * Copies payload bytes from {@code offset} into {@code dst} (up to its limit) without going through
     * the payload buffer's memory mapping, and checksums them on the way (the caller's business). For
     * large bulk copies only; a decoder reads everything else from the payload buffer. A decoder may call
     * it from several threads at once, for disjoint ranges, in any order.
     */
    @FunctionalInterface
    public interface Bulk {
        void read(long offset, java.nio.ByteBuffer dst);
    }

    public DecodeContext(ClassLoader classLoader, long maxBytes, LongConsumer progress) {
        this(classLoader, maxBytes, progress, null);
    }

    /** 8 GiB: more than any sane notebook value, far less than a hostile length field asks for. */
    public static final long DEFAULT_MAX_BYTES = 8L << 30;

    public DecodeContext(ClassLoader classLoader, long maxBytes) {
        this(classLoader, maxBytes, null, null);
    }

    public static DecodeContext defaults() {
        return new DecodeContext(Thread.currentThread().getContextClassLoader(), DEFAULT_MAX_BYTES);
    }

    /** Tells the caller the payload has been read up to byte {@code to} (from the payload's start). */
    public void readUpTo(long to) {
        if (progress != null) {
            progress.accept(to);
        }
    }
}
