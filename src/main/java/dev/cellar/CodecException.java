package dev.cellar;

/**
 * A value could not be encoded (no codec for its type) or stored bytes could not be decoded
 * (malformed, truncated, over the allocation limit). The message names the type or the place.
 */
public class CodecException extends CellarException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
