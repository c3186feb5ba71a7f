package dev.cellar.store.postgres;

import dev.cellar.StoreException;
import dev.cellar.store.PipelinedSha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Large payloads kept in PostgreSQL as numbered 1 MiB chunk rows, written and read as streams: at
 * most a few chunks are in memory however large the payload.
 */
final class Chunks {
    static final int CHUNK = 1 << 20;
    /** Chunks per transaction while uploading; the blob row's touch time is renewed with each. */
    private static final int PER_TX = 16;

    private Chunks() {}

    /** Registers a blob (or renews its touch time) before bytes are written or referenced. */
    static void touch(Connection c, String blob, int kind, long size) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO cellar_blobs (blob, kind, size, touched)"
                + " VALUES (?, ?, ?, now()) ON CONFLICT (blob) DO UPDATE SET touched = now()")) {
            s.setString(1, blob);
            s.setInt(2, kind);
            s.setLong(3, size);
            s.executeUpdate();
        }
    }

    /** An upload in progress on its own connection (committed every few chunks). */
    static final class Upload {
        private final Pool pool;
        private final Connection c;
        final String blob;
        private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        private PreparedStatement insert;
        private int seq;
        private int pending;
        private boolean done;

        Upload(Pool pool, String blob) {
            this.pool = pool;
            this.blob = blob;
            this.c = pool.take();
            try {
                touch(c, blob, PayloadRef.CHUNKS, -1);
                c.commit();
                insert = c.prepareStatement("INSERT INTO cellar_chunks (blob, seq, bytes) VALUES (?, ?, ?)");
            } catch (SQLException e) {
                Pool.quietlyClose(c);
                done = true;
                throw pool.failure("start a payload upload", e);
            }
        }

        void write(ByteBuffer src) {
            while (src.hasRemaining()) {
                int n = Math.min(chunk.remaining(), src.remaining());
                ByteBuffer slice = src.slice(src.position(), n);
                chunk.put(slice);
                src.position(src.position() + n);
                if (!chunk.hasRemaining()) {
                    flushChunk();
                }
            }
        }

        private void flushChunk() {
            if (chunk.position() == 0) {
                return;
            }
            byte[] bytes = new byte[chunk.position()];
            chunk.flip();
            chunk.get(bytes);
            chunk.clear();
            try {
                insert.setString(1, blob);
                insert.setInt(2, seq++);
                insert.setBytes(3, bytes);
                insert.executeUpdate();
                if (++pending >= PER_TX) {
                    touch(c, blob, PayloadRef.CHUNKS, -1);
                    c.commit();
                    pending = 0;
                }
            } catch (SQLException e) {
                abort();
                throw pool.failure("upload a payload chunk", e);
            }
        }

        /** Writes the last chunk and records the size. */
        void finish(long size) {
            flushChunk();
            try {
                touch(c, blob, PayloadRef.CHUNKS, size);
                try (PreparedStatement s = c.prepareStatement("UPDATE cellar_blobs SET size = ? WHERE blob = ?")) {
                    s.setLong(1, size);
                    s.setString(2, blob);
                    s.executeUpdate();
                }
                c.commit();
                insert.close();
                done = true;
                pool.give(c, true);
            } catch (SQLException e) {
                abort();
                throw pool.failure("finish a payload upload", e);
            }
        }

        /** Drops the connection; what was committed stays for garbage collection. */
        void abort() {
            if (!done) {
                done = true;
                Pool.quietlyClose(c);
            }
        }
    }

    /** Streams a blob's chunks into {@code target}, checking its size and SHA-256 (hashed on a second thread). */
    static void download(Pool pool, PayloadRef ref, Path target) {
        pool.tx("download a payload", c -> {
            long total = 0;
            String digest;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT bytes FROM cellar_chunks WHERE blob = ? ORDER BY seq")) {
                s.setFetchSize(4); // a cursor: a few chunks in memory, not the whole payload
                s.setString(1, ref.blob());
                try (ResultSet r = s.executeQuery();
                        FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE,
                                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
                        PipelinedSha256 sha = new PipelinedSha256()) {
                    while (r.next()) {
                        byte[] b = r.getBytes(1);
                        sha.update(ByteBuffer.wrap(b));
                        total += b.length;
                        ByteBuffer buf = ByteBuffer.wrap(b);
                        while (buf.hasRemaining()) {
                            out.write(buf);
                        }
                    }
                    digest = sha.hex();
                } catch (IOException e) {
                    throw new StoreException("cannot write a download to " + target + ": " + e.getMessage(), e);
                }
            }
            Digests.check(ref, total, digest);
            return null;
        });
    }
}
