package dev.cellar.codec.arrow;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/** Test helper: IPC files with arbitrary (hostile) record-batch metadata around an arbitrary body. */
final class IpcBuilder {
    Schema schema;
    long rows;
    long[][] nodes = {};
    long[][] buffers = {};
    byte[] body = new byte[0];
    /** Overrides of the footer block and message fields; null means "the true value". */
    Long blockOffset;
    Integer blockMetaLength;
    Long blockBodyLength;
    Long messageBodyLength;

    IpcBuilder(Schema schema) {
        this.schema = schema;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'A', 'R', 'R', 'O', 'W', '1', 0, 0});
        frame(out, MessageSerializer.serializeMetadata(schema, IpcOption.DEFAULT));
        long batchStart = out.size();
        FlatBufferBuilder b = new FlatBufferBuilder(256);
        RecordBatch.startNodesVector(b, nodes.length);
        for (int i = nodes.length - 1; i >= 0; i--) FieldNode.createFieldNode(b, nodes[i][0], nodes[i][1]);
        int n = b.endVector();
        RecordBatch.startBuffersVector(b, buffers.length);
        for (int i = buffers.length - 1; i >= 0; i--) Buffer.createBuffer(b, buffers[i][0], buffers[i][1]);
        int bufs = b.endVector();
        RecordBatch.startRecordBatch(b);
        RecordBatch.addLength(b, rows);
        RecordBatch.addNodes(b, n);
        RecordBatch.addBuffers(b, bufs);
        int rb = RecordBatch.endRecordBatch(b);
        long bodyLen = messageBodyLength != null ? messageBodyLength : body.length;
        frame(out, MessageSerializer.serializeMessage(b, MessageHeader.RecordBatch, rb, bodyLen, IpcOption.DEFAULT));
        int meta = (int) (out.size() - batchStart);
        out.writeBytes(body);
        out.writeBytes(le(-1));
        out.writeBytes(le(0));
        ArrowBlock block = new ArrowBlock(blockOffset != null ? blockOffset : batchStart,
                blockMetaLength != null ? blockMetaLength : meta, blockBodyLength != null ? blockBodyLength : body.length);
        FlatBufferBuilder fb = new FlatBufferBuilder(256);
        fb.finish(new ArrowFooter(schema, List.of(), List.of(block)).writeTo(fb));
        ByteBuffer footer = fb.dataBuffer();
        byte[] f = new byte[footer.remaining()];
        footer.get(f);
        out.writeBytes(f);
        out.writeBytes(le(f.length));
        out.writeBytes(new byte[] {'A', 'R', 'R', 'O', 'W', '1'});
        return out.toByteArray();
    }

    private static void frame(ByteArrayOutputStream out, ByteBuffer message) {
        byte[] m = new byte[message.remaining()];
        message.duplicate().get(m);
        int padded = (m.length + 7) / 8 * 8;
        out.writeBytes(le(-1));
        out.writeBytes(le(padded));
        out.writeBytes(m);
        out.writeBytes(new byte[padded - m.length]);
    }

    static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
