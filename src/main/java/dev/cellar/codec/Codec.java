package dev.cellar.codec;

import java.nio.ByteBuffer;

/**
 * Turns values of some types into bytes and back. Codecs form a first-match chain in a
 * {@link CodecRegistry}; users add their own by registering one or listing it for
 * {@link java.util.ServiceLoader}.
 *
 * <p>Decoding treats bytes as untrusted: a codec validates every length and offset before use, never
 * executes code, and never allocates more than {@link DecodeContext#maxBytes()}.
 */
public interface Codec {
    /** A stable identifier written into manifests, e.g. {@code "arrow"} or {@code "json"}. */
    String id();

    /** Whether this codec can encode {@code value} (cheap; does not inspect large contents). */
    boolean canEncode(Object value);

    /**
     * Prepares {@code value} for writing. Must not copy large arrays eagerly: the returned
     * {@link Encoded} streams them when written.
     *
     * @throws dev.cellar.CodecException if the value (or something inside it) cannot be encoded;
     *     the message names the offending type
     */
    Encoded encode(Object value);

    /**
     * Rebuilds a value from bytes written by {@link Encoded#writeTo}. {@code bytes} may be a
     * memory-mapped, read-only buffer that is only valid during this call: copy out of it.
     *
     * @param descriptor what {@link Encoded#descriptor()} returned at encode time
     * @throws dev.cellar.CodecException if the bytes are malformed, truncated, inconsistent with the
     *     descriptor, or would need more than the allowed memory
     */
    Object decode(String descriptor, ByteBuffer bytes, DecodeContext context);

    /**
     * Whether decoding {@code descriptor} runs no user code (no constructors of user types), so that
     * the caller may decode before the payload's checksum is confirmed and discard the value on a
     * mismatch, checksumming in the same pass as the copy. False by default: then the caller verifies
     * first.
     */
    default boolean decodesWithoutUserCode(String descriptor) {
        return false;
    }
}
