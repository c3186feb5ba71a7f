package dev.cellar.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;

/**
 * One named payload of an entry being written, behind a channel. Subclasses decide where the bytes go
 * (memory, a temp file, a spool file, chunk rows); this class owns the parts every store shares: the
 * name, the open/closed state and the refusal to write after close.
 */
public abstract class StagedPayload implements WritableByteChannel {
    public final String name;
    private boolean open = true;

    protected StagedPayload(String name) {
        this.name = name;
    }

    @Override
    public final synchronized int write(ByteBuffer src) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        return accept(src);
    }

    /** Takes all of {@code src}'s remaining bytes; called only while open, under this object's lock. */
    protected abstract int accept(ByteBuffer src) throws IOException;

    @Override
    public final synchronized boolean isOpen() {
        return open;
    }

    /** Ends writing: the first call runs {@link #finish()}, later calls do nothing. */
    @Override
    public final synchronized void close() {
        if (open) {
            open = false;
            finish();
        }
    }

    /** What closing the channel does in this store (the payload is complete, not yet referenced). */
    protected abstract void finish();

    /** Marks the channel closed without finishing it, for a payload being thrown away. */
    protected final synchronized boolean markClosed() {
        boolean was = open;
        open = false;
        return was;
    }
}
