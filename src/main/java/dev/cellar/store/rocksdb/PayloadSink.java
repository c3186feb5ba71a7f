package dev.cellar.store.rocksdb;

import dev.cellar.StoreException;
import dev.cellar.store.StagedPayload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;

/**
 * One payload being written. Up to {@link #INLINE_MAX} bytes stay in memory and go into the RocksDB
 * record; past that the bytes go straight to a temp file through a FileChannel (no intermediate
 * copy of the whole payload), which commit renames into {@code blobs/}. The temp file is locked while
 * its writer lives, so that cleanup in another process never deletes it.
 */
final class PayloadSink extends StagedPayload {
    static final int INLINE_MAX = 64 * 1024;
    /**
     * Heap buffers are written in slices: FileChannel copies a heap buffer into a temporary direct
     * buffer of the same size, which for an 800 MB array would be a fresh 800 MB allocation (first-touch
     * page faults cost more than the write itself); a 1 MiB slice reuses one cached, hot buffer.
     */
    private static final int SLICE = 1 << 20;

    private final StoreDirectory dir;
    /** Inline bytes, allocated at the first write (to its size: a small value usually comes in one write). */
    private byte[] small;
    private FileChannel file;
    private Path temp;
    private long length;
    private boolean failed;

    PayloadSink(String name, StoreDirectory dir) {
        super(name);
        this.dir = dir;
    }

    @Override
    protected int accept(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (length + n > Integer.MAX_VALUE) {
            failed = true;
            throw new StoreException("payload '" + name + "' is larger than 2 GiB, the most a store returns as one buffer");
        }
        if (file == null && length + n <= INLINE_MAX) {
            if (small == null) {
                small = new byte[Math.max(n, 256)];
            } else if (length + n > small.length) {
                small = Arrays.copyOf(small, (int) Math.min(INLINE_MAX, Math.max(length + n, 2L * small.length)));
            }
            src.get(small, (int) length, n);
            length += n;
            return n;
        }
        try {
            if (file == null) {
                spill();
            }
            writeFully(src);
        } catch (IOException e) {
            failed = true;
            throw new StoreException("cannot write payload '" + name + "' in " + dir.tmp + ": " + e, e);
        }
        length += n;
        return n;
    }

    private void spill() throws IOException {
        temp = dir.tmp.resolve(UUID.randomUUID() + ".tmp");
        StoreDirectory.ACTIVE_TEMPS.add(temp);
        file = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        file.lock();
        if (small != null) {
            writeFully(ByteBuffer.wrap(small, 0, (int) length));
            small = null;
        }
    }

    private void writeFully(ByteBuffer src) throws IOException {
        if (src.isDirect()) {
            while (src.hasRemaining()) {
                file.write(src);
            }
            return;
        }
        int limit = src.limit();
        try {
            while (src.position() < limit) {
                src.limit(Math.min(limit, src.position() + SLICE));
                while (src.hasRemaining()) {
                    file.write(src);
                }
            }
        } finally {
            src.limit(limit);
        }
    }

    /** Ends writing; the temp file stays open (and locked) until the entry is committed or discarded. */
    @Override
    protected void finish() {
        // nothing to do until commit or discard
    }

    synchronized boolean failed() {
        return failed;
    }

    synchronized long length() {
        return length;
    }

    /**
     * The bytes if the payload is small, else null (it is in {@link #tempFile()}); the sink's own array
     * when it has exactly that size (nothing writes to it after the channel is closed).
     */
    synchronized byte[] inlineBytes() {
        if (file != null) {
            return null;
        }
        if (small == null) {
            return new byte[0];
        }
        return small.length == length ? small : Arrays.copyOf(small, (int) length);
    }

    synchronized Path tempFile() {
        return temp;
    }

    /** Closes the temp file (dropping its lock) and deletes it if it is still in tmp/. */
    synchronized void discard() {
        markClosed();
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // closing a written file cannot lose anything we still need
            }
            file = null;
        }
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // left for cleanup at the next open
            }
            StoreDirectory.ACTIVE_TEMPS.remove(temp);
        }
    }
}
