package dev.cellar.codec;

import dev.cellar.CodecException;

/**
 * A value's encoding would not fit in one payload (a payload is read back as one {@code ByteBuffer}, so
 * at most 2 GiB). The engine then stores an array of rows in several payloads, a run of rows in each;
 * anything else is refused with this message.
 */
public class PayloadTooLargeException extends CodecException {
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
