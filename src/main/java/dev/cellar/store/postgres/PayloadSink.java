package dev.cellar.store.postgres;

import dev.cellar.StoreException;
import dev.cellar.store.PipelinedSha256;
import dev.cellar.store.StagedPayload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One payload being written. The first {@link PostgresDataStore#INLINE_MAX} bytes are buffered; a
 * payload that stays that small goes inline into its row. A larger one streams either into chunk rows
 * or, when a blob store is configured, into a spool file that is uploaded under its digest on close
 * (an object's name must be known before its upload starts). A large payload's SHA-256 is computed on a
 * second thread while its bytes are spooled or streamed ({@link PipelinedSha256}), so the digest costs
 * no time of its own.
 */
final class PayloadSink extends StagedPayload {
    private final PostgresDataStore store;
    private final MessageDigest sha = Digests.sha256(); // of a small payload
    private PipelinedSha256 large;
    private ByteArrayOutputStream small = new ByteArrayOutputStream();
    private Chunks.Upload upload;
    private Path spool;
    private FileChannel spoolChannel;
    private long size;
    private PayloadRef ref;

    PayloadSink(PostgresDataStore store, String name) {
        super(name);
        this.store = store;
    }

    @Override
    protected int accept(ByteBuffer src) throws IOException {
        int n = src.remaining();
        size += n;
        if (small != null && small.size() + n <= PostgresDataStore.INLINE_MAX) {
            byte[] b = new byte[n];
            src.get(b);
            sha.update(b);
            small.write(b, 0, n);
            return n;
        }
        if (small != null) {
            spill();
        }
        large.update(src);
        if (upload != null) {
            upload.write(src);
        } else {
            while (src.hasRemaining()) {
                spoolChannel.write(src);
            }
        }
        return n;
    }

    private void spill() throws IOException {
        byte[] buffered = small.toByteArray();
        small = null;
        large = new PipelinedSha256();
        large.update(ByteBuffer.wrap(buffered));
        if (store.blobs() != null) {
            spool = Files.createTempFile(store.spoolDir(), "upload-", ".tmp");
            spoolChannel = FileChannel.open(spool, StandardOpenOption.WRITE);
            spoolChannel.write(ByteBuffer.wrap(buffered));
        } else {
            upload = new Chunks.Upload(store.pool(), "pg-" + UUID.randomUUID());
            upload.write(ByteBuffer.wrap(buffered));
        }
    }

    /** Finishes the payload: after this it is stored (not yet referenced by any entry). */
    @Override
    protected void finish() {
        String digest = large == null ? HexFormat.of().formatHex(sha.digest()) : large.hex();
        if (small != null) {
            ref = new PayloadRef(name, size, PayloadRef.INLINE, null, digest, small.toByteArray());
        } else if (upload != null) {
            upload.finish(size);
            ref = new PayloadRef(name, size, PayloadRef.CHUNKS, upload.blob, digest, null);
        } else {
            try {
                spoolChannel.close();
                store.uploadObject(digest, spool, size);
                ref = new PayloadRef(name, size, PayloadRef.OBJECT, digest, digest, null);
            } catch (IOException e) {
                throw new StoreException("cannot write the spool file of payload '" + name + "': " + e.getMessage(), e);
            } finally {
                deleteSpool();
            }
        }
    }

    /** Discards an unfinished payload (whatever reached the server is left to garbage collection). */
    synchronized void abort() {
        if (!markClosed()) {
            return;
        }
        if (large != null) {
            large.close();
        }
        if (upload != null) {
            upload.abort();
        }
        if (spoolChannel != null) {
            try {
                spoolChannel.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            deleteSpool();
        }
    }

    private void deleteSpool() {
        try {
            Files.deleteIfExists(spool);
        } catch (IOException ignored) {
            // a temp file; the OS cleans its temp directory
        }
    }

    /** The finished payload, or null while it is open or if it failed. */
    synchronized PayloadRef ref() {
        return ref;
    }
}
