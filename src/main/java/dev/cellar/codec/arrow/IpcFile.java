package dev.cellar.codec.arrow;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.cellar.codec.Encoded;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A standard Arrow IPC file with one record batch: {@code ARROW1\0\0}, the schema message, the
 * record-batch message, the body, end-of-stream, the footer, its length and {@code ARROW1}. The
 * flatbuffer metadata comes from Arrow's own serializers; the body is streamed straight from the Java
 * arrays. Everything is laid out at construction, so {@link #size()} is exact.
 */
final class IpcFile implements Encoded {
    static final byte[] MAGIC = {'A', 'R', 'R', 'O', 'W', '1'};
    /** Body buffers start on 64-byte boundaries, as the Arrow spec recommends. */
    static final int ALIGN = 64;
    static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;

    private final String descriptor;
    private final List<Column> columns;
    private final ByteBuffer schemaMessage;
    private final ByteBuffer batchMessage;
    private final int batchPadding;
    private final long bodyLength;
    private final ByteBuffer footer;
    private final long size;

    IpcFile(String descriptor, List<Column> columns, long rows) {
        this.descriptor = descriptor;
        this.columns = List.copyOf(columns);
        List<Field> fields = new ArrayList<>();
        List<Column.Node> nodes = new ArrayList<>();
        List<long[]> buffers = new ArrayList<>();
        long body = 0;
        for (Column c : columns) {
            fields.add(c.field);
            nodes.addAll(c.nodes);
            for (Column.Part p : c.parts) {
                buffers.add(new long[] {body, p.length()});
                body = pad(body + p.length(), ALIGN);
            }
        }
        this.bodyLength = body;
        long[] shape = shape(rows, nodes, buffers, body);
        Metadata m = last;
        if (m == null || !m.fields.equals(fields) || !Arrays.equals(m.shape, shape)) {
            m = metadata(fields, shape, rows, nodes, buffers, body);
            last = m;
        }
        this.schemaMessage = m.schema;
        this.batchMessage = m.batch;
        this.footer = m.footer;
        long batchStart = 8 + framed(schemaMessage.remaining(), 8);
        long unpadded = batchStart + 8 + batchMessage.remaining();
        this.batchPadding = (int) (pad(unpadded, ALIGN) - unpadded);
        long eos = batchStart + 8 + batchMessage.remaining() + batchPadding + body;
        this.size = eos + 8 + footer.remaining() + 4 + MAGIC.length;
        if (size > MAX_PAYLOAD) {
            // Codec.decode receives one ByteBuffer, which cannot address more: refuse rather than store
            // an entry that could never be read back
            throw new dev.cellar.codec.PayloadTooLargeException("value needs a " + size + "-byte Arrow payload; one payload holds at most "
                    + MAX_PAYLOAD + " bytes (2 GiB)");
        }
    }

    /**
     * The flatbuffer metadata of one layout: Arrow's serializers cost more than the data of a small
     * array, and a sweep stores arrays of one shape over and over. The metadata is a function of the
     * fields and the shape alone (every number it holds), so the last one is reused when both are equal;
     * the buffers are read-only and only ever read through duplicates ({@link BodySink#bytes}).
     */
    private record Metadata(List<Field> fields, long[] shape, ByteBuffer schema, ByteBuffer batch, ByteBuffer footer) {}

    private static volatile Metadata last;

    /** Every number the metadata holds besides the fields: rows, each node, each buffer, the body length. */
    private static long[] shape(long rows, List<Column.Node> nodes, List<long[]> buffers, long body) {
        long[] shape = new long[2 + 2 * nodes.size() + 2 * buffers.size()];
        int i = 0;
        shape[i++] = rows;
        shape[i++] = body;
        for (Column.Node n : nodes) {
            shape[i++] = n.length();
            shape[i++] = n.nullCount();
        }
        for (long[] b : buffers) {
            shape[i++] = b[0];
            shape[i++] = b[1];
        }
        return shape;
    }

    private static Metadata metadata(List<Field> fields, long[] shape, long rows, List<Column.Node> nodes,
            List<long[]> buffers, long body) {
        Schema schema = new Schema(fields);
        ByteBuffer schemaMessage = MessageSerializer.serializeMetadata(schema, IpcOption.DEFAULT);
        ByteBuffer batchMessage = batchMessage(rows, nodes, buffers, body);
        long batchStart = 8 + framed(schemaMessage.remaining(), 8);
        long unpadded = batchStart + 8 + batchMessage.remaining();
        int batchMeta = (int) (8 + batchMessage.remaining() + pad(unpadded, ALIGN) - unpadded);
        FlatBufferBuilder fb = new FlatBufferBuilder(256);
        ArrowFooter f = new ArrowFooter(schema, List.of(), List.of(new ArrowBlock(batchStart, batchMeta, body)));
        fb.finish(f.writeTo(fb));
        return new Metadata(List.copyOf(fields), shape, schemaMessage.asReadOnlyBuffer(),
                batchMessage.asReadOnlyBuffer(), fb.dataBuffer().asReadOnlyBuffer());
    }

    private static ByteBuffer batchMessage(long rows, List<Column.Node> nodes, List<long[]> buffers, long body) {
        FlatBufferBuilder b = new FlatBufferBuilder(256 + 16 * (nodes.size() + buffers.size()));
        RecordBatch.startNodesVector(b, nodes.size());
        for (int i = nodes.size() - 1; i >= 0; i--) {
            FieldNode.createFieldNode(b, nodes.get(i).length(), nodes.get(i).nullCount());
        }
        int nodesOffset = b.endVector();
        RecordBatch.startBuffersVector(b, buffers.size());
        for (int i = buffers.size() - 1; i >= 0; i--) {
            Buffer.createBuffer(b, buffers.get(i)[0], buffers.get(i)[1]);
        }
        int buffersOffset = b.endVector();
        RecordBatch.startRecordBatch(b);
        RecordBatch.addLength(b, rows);
        RecordBatch.addNodes(b, nodesOffset);
        RecordBatch.addBuffers(b, buffersOffset);
        int batch = RecordBatch.endRecordBatch(b);
        return MessageSerializer.serializeMessage(b, MessageHeader.RecordBatch, batch, body, IpcOption.DEFAULT);
    }

    static long pad(long n, int to) {
        return (n + to - 1) / to * to;
    }

    /** Continuation marker, length, message, padding to {@code to} bytes. */
    private static long framed(int messageLength, int to) {
        return pad(8L + messageLength, to);
    }

    @Override
    public String codecId() {
        return ArrowCodec.ID;
    }

    @Override
    public String descriptor() {
        return descriptor;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void writeTo(WritableByteChannel out) throws IOException {
        BodySink sink = new BodySink(out);
        long start = sink.position();
        sink.bytes(MAGIC, 0, MAGIC.length);
        sink.zeros(2);
        int schemaLen = schemaMessage.remaining();
        int schemaPadded = (int) (framed(schemaLen, 8) - 8);
        sink.intLE(MessageSerializer.IPC_CONTINUATION_TOKEN);
        sink.intLE(schemaPadded);
        sink.bytes(schemaMessage);
        sink.zeros(schemaPadded - schemaLen);
        sink.intLE(MessageSerializer.IPC_CONTINUATION_TOKEN);
        sink.intLE(batchMessage.remaining() + batchPadding);
        sink.bytes(batchMessage);
        sink.zeros(batchPadding);
        long bodyStart = sink.position();
        for (Column c : columns) {
            for (Column.Part p : c.parts) {
                p.write(sink);
                long at = sink.position() - bodyStart;
                sink.zeros(pad(at, ALIGN) - at);
            }
        }
        if (sink.position() - bodyStart != bodyLength) {
            throw new IOException("array changed size while being written (" + (sink.position() - bodyStart)
                    + " body bytes, expected " + bodyLength + ")");
        }
        sink.intLE(MessageSerializer.IPC_CONTINUATION_TOKEN);
        sink.intLE(0);
        sink.bytes(footer);
        sink.intLE(footer.remaining());
        sink.bytes(MAGIC, 0, MAGIC.length);
        sink.flush();
        if (sink.position() - start != size) {
            throw new IllegalStateException("wrote " + (sink.position() - start) + " bytes, announced " + size);
        }
    }
}
