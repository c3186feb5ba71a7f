package dev.cellar.codec;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/** A value ready to be written: what the decoder will need to know, and a way to stream the bytes. */
public interface Encoded {
    /** The codec that produced this. */
    String codecId();

    /**
     * A short codec-specific description of the value's shape (e.g. {@code "double[]"},
     * {@code "record com.x.Point"}) that {@link Codec#decode} receives back. At most a few hundred
     * characters; stored in the manifest.
     */
    String descriptor();

    /** The exact number of bytes {@link #writeTo} will write, or -1 if not known in advance. */
    long size();

    /**
     * Streams the encoded bytes to {@code out} (it may be called more than once and must write the
     * same bytes each time). Does not close {@code out}.
     */
    void writeTo(WritableByteChannel out) throws IOException;
}
