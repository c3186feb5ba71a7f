package dev.cellar.codec.arrow;

import dev.cellar.CodecException;
import dev.cellar.codec.Encoded;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * A user's own {@link VectorSchemaRoot}, of any Arrow types, through Arrow's own file writer and
 * reader. The decoded root lives in a child allocator limited to the decode's memory budget; the
 * caller owns the root and closes it (its allocator holds nothing once the root is closed).
 */
final class RootCodec {
    static final String DESCRIPTOR = "VectorSchemaRoot";
    private static final BufferAllocator ROOT = new RootAllocator(Long.MAX_VALUE);

    private RootCodec() {}

    static Encoded encode(VectorSchemaRoot root) {
        return new Encoded() {
            public String codecId() {
                return ArrowCodec.ID;
            }

            public String descriptor() {
                return DESCRIPTOR;
            }

            public long size() {
                return -1;
            }

            public void writeTo(WritableByteChannel out) throws IOException {
                // ArrowFileWriter closes its channel; the caller's must stay open
                WritableByteChannel keepOpen = new WritableByteChannel() {
                    public int write(ByteBuffer src) throws IOException {
                        return out.write(src);
                    }

                    public boolean isOpen() {
                        return out.isOpen();
                    }

                    public void close() {}
                };
                try (ArrowFileWriter w = new ArrowFileWriter(root, null, keepOpen)) {
                    w.start();
                    w.writeBatch();
                    w.end();
                }
            }
        };
    }

    static VectorSchemaRoot decode(ByteBuffer bytes, long maxBytes) {
        // Arrow's reader leaks the message body when a buffer lies outside it: check that first
        IpcReader.checkStructure(bytes);
        BufferAllocator allocator = ROOT.newChildAllocator("cellar-decode", 0, maxBytes);
        VectorSchemaRoot result = null;
        try (ArrowFileReader reader = new ArrowFileReader(new ReadOnlyChannel(bytes), allocator)) {
            if (reader.getRecordBlocks().size() != 1) {
                throw IpcReader.bad("expected one record batch, found " + reader.getRecordBlocks().size());
            }
            if (!reader.loadNextBatch()) throw IpcReader.bad("record batch missing");
            VectorSchemaRoot loaded = reader.getVectorSchemaRoot();
            ValueVectorUtility.validateFull(loaded);
            List<FieldVector> vectors = new ArrayList<>();
            for (FieldVector v : loaded.getFieldVectors()) {
                TransferPair t = v.getTransferPair(allocator);
                t.transfer();
                vectors.add((FieldVector) t.getTo());
            }
            result = new VectorSchemaRoot(loaded.getSchema(), vectors, loaded.getRowCount());
            return result;
        } catch (CodecException e) {
            closeQuietly(allocator);
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (result != null) result.close();
            closeQuietly(allocator);
            throw new CodecException("malformed Arrow IPC payload for a VectorSchemaRoot: " + e, e);
        }
    }

    /**
     * Closes a failed decode's allocator. Arrow's reader can leave a buffer unreleased on some
     * malformed inputs; that memory is bounded by the decode's limit and must not turn a clean
     * "malformed payload" into an IllegalStateException.
     */
    private static void closeQuietly(BufferAllocator allocator) {
        try {
            allocator.close();
        } catch (IllegalStateException leaked) {
            // see above
        }
    }

    /** A read-only seekable view of a buffer, for Arrow's file reader. */
    private static final class ReadOnlyChannel implements SeekableByteChannel {
        private final ByteBuffer data;
        private boolean open = true;

        ReadOnlyChannel(ByteBuffer bytes) {
            this.data = bytes.slice();
        }

        public int read(ByteBuffer dst) throws IOException {
            if (!open) throw new ClosedChannelException();
            if (!data.hasRemaining()) return -1;
            int n = Math.min(dst.remaining(), data.remaining());
            dst.put(data.duplicate().limit(data.position() + n));
            data.position(data.position() + n);
            return n;
        }

        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        public long position() {
            return data.position();
        }

        public SeekableByteChannel position(long p) throws IOException {
            if (p < 0 || p > data.limit()) throw new IOException("seek to " + p + " outside " + data.limit() + " bytes");
            data.position((int) p);
            return this;
        }

        public long size() {
            return data.limit();
        }

        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        public boolean isOpen() {
            return open;
        }

        public void close() {
            open = false;
        }
    }
}
