package dev.cellar.codec;

/**
 * What a decoder may use: the class loader that defines user types (records declared in JShell cells
 * live in JShell's loader), and the most memory one decode may allocate.
 */
public record DecodeContext(ClassLoader classLoader, long maxBytes) {
    /** 8 GiB: more than any sane notebook value, far less than a hostile length field asks for. */
    public static final long DEFAULT_MAX_BYTES = 8L << 30;

    public static DecodeContext defaults() {
        return new DecodeContext(Thread.currentThread().getContextClassLoader(), DEFAULT_MAX_BYTES);
    }
}
