package dev.cellar.key;

import dev.cellar.CellarException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * 128-bit digests of values and files, as 32 lowercase hex digits. A value's digest covers its
 * canonical, type-tagged encoding (so {@code 1}, {@code 1L} and {@code 1.0} differ, and map or set
 * order does not matter); a large primitive array is digested in place with XXH3-128 at memory speed.
 * The kernel uses these to tell whether a variable is unchanged since a cached cell produced it, and
 * keys use them for value inputs. Digests are stable across runs, JVMs and machines within one
 * {@link HashKeyDeriver#KEY_FORMAT}.
 */
public final class ValueDigest {
    private static final HexFormat HEX = HexFormat.of();

    private ValueDigest() {}

    /**
     * @throws CellarException if the value (or something inside it) has no canonical encoding; the
     *     message names the place inside the value and its type
     */
    public static String of(Object value) {
        return of(value, "value");
    }

    /**
     * Like {@link #of(Object)}, naming the value {@code what} in errors, e.g. {@code "input xs"} gives
     * "element [3] of input xs: java.lang.Thread has no canonical encoding".
     *
     * @throws CellarException if the value has no canonical encoding
     */
    public static String of(Object value, String what) {
        return HEX.formatHex(bytes(value, what));
    }

    /**
     * Digests a file's contents through memory maps (any size).
     *
     * @throws CellarException if the file cannot be read; the message names it
     */
    public static String file(Path file) {
        try {
            return HEX.formatHex(Xxh3.file(file));
        } catch (IOException | RuntimeException e) {
            throw new CellarException("cannot digest file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the first digest of a large primitive array as fast as later ones, now: the digest's loop is
     * compiled by digesting 48 MB in small pieces (~50-100 ms, once per JVM, otherwise paid inside the
     * first digest of an array over 64 MB). Does nothing for other values or once done. For a caller that
     * will digest {@code value} later, while someone waits, and can spend the time now on another thread.
     */
    public static void warmUpFor(Object value) {
        if (value != null) {
            byte code = Canonical.elementCode(value.getClass());
            if (code >= 0 && Canonical.isLarge(value, code)) {
                Xxh3.warmUpFor(value, code);
            }
        }
    }

    static byte[] bytes(Object value, String what) {
        if (value != null) {
            byte code = Canonical.elementCode(value.getClass());
            if (code >= 0 && Canonical.isLarge(value, code)) {
                // The fast path: no encoding, just the array's bits at memory speed.
                return Xxh3.primitiveArray(value, code);
            }
        }
        Sink sink = Sink.borrowSha256();
        try {
            Canonical.encode(value, sink, what);
            return Arrays.copyOf(sink.finish(), 16);
        } finally {
            sink.release();
        }
    }

    /** Cloning a prototype skips the provider look-up of getInstance, a visible cost per small key. */
    private static final MessageDigest SHA256 = newSha256();

    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
