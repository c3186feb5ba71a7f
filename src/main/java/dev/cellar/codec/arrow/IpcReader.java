package dev.cellar.codec.arrow;

import dev.cellar.CodecException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Block;
import org.apache.arrow.flatbuf.Endianness;
import org.apache.arrow.flatbuf.FloatingPoint;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.Precision;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.flatbuf.Type;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Parses an IPC file in place over the given buffer (possibly a read-only mapping) and checks every
 * magic, length, offset and count before anything is used, so that the column decoders can bulk-copy
 * without further checks. Only the shapes cellar writes are accepted: one record batch, no
 * dictionaries, no compression, columns of primitives, Utf8, or List of those.
 */
final class IpcReader {
    /** A column's field: a primitive ({@code prim != null}), Utf8, or List with one child. */
    record FieldInfo(String name, boolean nullable, Prim prim, boolean utf8, FieldInfo child) {
        String describe() {
            if (prim != null) return prim.javaName();
            if (utf8) return "Utf8";
            return "List<" + child.describe() + ">";
        }
    }

    /** The validated batch: nodes and buffers in pre-order, buffers as little-endian slices. */
    record Batch(long rows, List<FieldInfo> fields, List<long[]> nodes, List<ByteBuffer> buffers,
            List<Integer> offsets) {}

    static final int MAX_FIELDS = 1 << 16;

    private IpcReader() {}

    static CodecException bad(String what) {
        return new CodecException("malformed Arrow IPC payload: " + what);
    }

    static Batch read(ByteBuffer bytes) {
        try {
            return parse(bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            // flatbuffer accessors bounds-check every read; a wild offset lands here
            throw new CodecException("malformed Arrow IPC payload: " + e, e);
        }
    }

    private static Batch parse(ByteBuffer b) {
        int start = b.position();
        int size = b.remaining();
        ByteBuffer all = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (size < 8 + 4 + 6 + 8) throw bad(size + " bytes is too short for an Arrow file");
        for (int i = 0; i < 6; i++) {
            if (all.get(i) != IpcFile.MAGIC[i]) throw bad("no ARROW1 magic at the start");
            if (all.get(size - 6 + i) != IpcFile.MAGIC[i]) throw bad("no ARROW1 magic at the end");
        }
        int footerLength = all.getInt(size - 10);
        int footerStart = size - 10 - footerLength;
        if (footerLength <= 0 || footerStart < 8) {
            throw bad("footer length " + footerLength + " does not fit in " + size + " bytes");
        }
        ByteBuffer footerBytes = slice(all, footerStart, footerLength);
        Footer footer = Footer.getRootAsFooter(footerBytes);
        if (footer.dictionariesLength() != 0) throw bad("dictionaries are not supported");
        if (footer.recordBatchesLength() != 1) {
            throw bad("expected exactly one record batch, footer lists " + footer.recordBatchesLength());
        }
        Schema schema = footer.schema();
        if (schema == null) throw bad("footer has no schema");
        if (schema.endianness() != Endianness.Little) throw bad("big-endian data is not supported");
        int nFields = schema.fieldsLength();
        if (nFields < 0 || nFields > MAX_FIELDS) throw bad("schema declares " + nFields + " fields");
        List<FieldInfo> fields = new ArrayList<>(nFields);
        int expectNodes = 0;
        int expectBuffers = 0;
        for (int i = 0; i < nFields; i++) {
            FieldInfo f = field(schema.fields(i), 0);
            fields.add(f);
            expectNodes += f.child == null ? 1 : 2;
            expectBuffers += buffers(f);
        }

        Located located = locate(all, footerStart, footer.recordBatches(0), MessageHeader.RecordBatch);
        RecordBatch batch = located.batch;
        long bodyLength = located.bodyLength;
        long rows = batch.length();
        if (rows < 0 || rows > Integer.MAX_VALUE - 8) throw bad("record batch length " + rows);
        if (batch.nodesLength() != expectNodes) {
            throw bad("record batch has " + batch.nodesLength() + " field nodes, schema needs " + expectNodes);
        }
        if (batch.buffersLength() != expectBuffers) {
            throw bad("record batch has " + batch.buffersLength() + " buffers, schema needs " + expectBuffers);
        }
        List<long[]> nodes = new ArrayList<>(expectNodes);
        for (int i = 0; i < expectNodes; i++) {
            var n = batch.nodes(i);
            long length = n.length();
            long nulls = n.nullCount();
            if (length < 0 || length > Integer.MAX_VALUE - 8 || nulls < 0 || nulls > length) {
                throw bad("field node " + i + " has length " + length + " and null count " + nulls);
            }
            nodes.add(new long[] {length, nulls});
        }
        int bodyStart = located.bodyStart;
        List<ByteBuffer> buffers = new ArrayList<>(expectBuffers);
        List<Integer> offsets = new ArrayList<>(expectBuffers); // from the payload's start, for progress reports
        for (int i = 0; i < expectBuffers; i++) {
            var buf = batch.buffers(i);
            long o = buf.offset();
            long l = buf.length();
            if (o < 0 || l < 0 || o > bodyLength || l > bodyLength - o) {
                throw bad("buffer " + i + " (offset " + o + ", length " + l + ") lies outside the body of "
                        + bodyLength + " bytes");
            }
            buffers.add(slice(all, bodyStart + (int) o, (int) l));
            offsets.add(bodyStart + (int) o);
        }
        return new Batch(rows, fields, nodes, buffers, offsets);
    }


    private record Located(RecordBatch batch, int bodyStart, long bodyLength) {}

    /** Checks a block, its message and (for batches) that every buffer lies inside the body. */
    private static Located locate(ByteBuffer all, int footerStart, Block block, byte headerType) {
        if (block == null) throw bad("missing block");
        long offset = block.offset();
        int metaLength = block.metaDataLength();
        long bodyLength = block.bodyLength();
        if (offset < 8 || metaLength < 8 || bodyLength < 0 || offset > footerStart
                || metaLength > footerStart - offset || bodyLength > footerStart - offset - metaLength) {
            throw bad("block (offset " + offset + ", metadata " + metaLength + ", body "
                    + bodyLength + ") lies outside the " + footerStart + " bytes before the footer");
        }
        int at = (int) offset;
        if (all.getInt(at) != MessageSerializer.IPC_CONTINUATION_TOKEN) throw bad("missing continuation marker");
        int messageLength = all.getInt(at + 4);
        if (messageLength <= 0 || messageLength > metaLength - 8) {
            throw bad("message length " + messageLength + " exceeds its block's metadata length " + metaLength);
        }
        Message message = Message.getRootAsMessage(slice(all, at + 8, messageLength));
        if (message.headerType() != headerType) {
            throw bad("block holds a message of type " + message.headerType() + ", expected " + MessageHeader.name(headerType));
        }
        if (message.bodyLength() != bodyLength) {
            throw bad("message body length " + message.bodyLength() + " differs from block's " + bodyLength);
        }
        if (headerType != MessageHeader.RecordBatch) return new Located(null, at + metaLength, bodyLength);
        RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
        if (batch == null) throw bad("record batch message has no header");
        if (batch.compression() != null) throw bad("compressed bodies are not supported");
        int nBuffers = batch.buffersLength();
        if (nBuffers < 0 || nBuffers > 4 * MAX_FIELDS) throw bad(nBuffers + " buffers");
        var buf = new org.apache.arrow.flatbuf.Buffer();
        for (int i = 0; i < nBuffers; i++) {
            batch.buffers(buf, i);
            long o = buf.offset();
            long l = buf.length();
            if (o < 0 || l < 0 || o > bodyLength || l > bodyLength - o) {
                throw bad("buffer " + i + " (offset " + o + ", length " + l + ") lies outside the body of "
                        + bodyLength + " bytes");
            }
        }
        return new Located(batch, at + metaLength, bodyLength);
    }

    /**
     * The structural checks alone (magic, footer, every block, message and buffer in bounds), for
     * payloads of any Arrow types that Arrow's own reader will then load.
     */
    static void checkStructure(ByteBuffer bytes) {
        try {
            ByteBuffer all = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).slice().order(ByteOrder.LITTLE_ENDIAN);
            int size = all.remaining();
            if (size < 8 + 4 + 6 + 8) throw bad(size + " bytes is too short for an Arrow file");
            for (int i = 0; i < 6; i++) {
                if (all.get(i) != IpcFile.MAGIC[i] || all.get(size - 6 + i) != IpcFile.MAGIC[i]) throw bad("no ARROW1 magic");
            }
            int footerLength = all.getInt(size - 10);
            int footerStart = size - 10 - footerLength;
            if (footerLength <= 0 || footerStart < 8) throw bad("footer length " + footerLength + " does not fit");
            Footer footer = Footer.getRootAsFooter(slice(all, footerStart, footerLength));
            Schema schema = footer.schema();
            if (schema == null) throw bad("footer has no schema");
            int nFields = schema.fieldsLength();
            if (nFields < 0 || nFields > MAX_FIELDS) throw bad("schema declares " + nFields + " fields");
            int[] count = {0};
            for (int i = 0; i < nFields; i++) walk(schema.fields(i), 0, count);
            int batches = footer.recordBatchesLength();
            int dictionaries = footer.dictionariesLength();
            if (batches != 1) throw bad("expected exactly one record batch, footer lists " + batches);
            if (dictionaries < 0 || dictionaries > MAX_FIELDS) throw bad(dictionaries + " dictionaries");
            locate(all, footerStart, footer.recordBatches(0), MessageHeader.RecordBatch);
            for (int i = 0; i < dictionaries; i++) {
                locate(all, footerStart, footer.dictionaries(i), MessageHeader.DictionaryBatch);
            }
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("malformed Arrow IPC payload: " + e, e);
        }
    }

    /** Longest field name accepted; names are decoded only after this check (a footer may repeat one name 65536 times). */
    static final int MAX_NAME_BYTES = 1 << 12;

    private static String name(org.apache.arrow.flatbuf.Field f) {
        ByteBuffer raw = f.nameAsByteBuffer();
        if (raw == null) return "";
        if (raw.remaining() > MAX_NAME_BYTES) throw bad("field name of " + raw.remaining() + " bytes");
        return f.name();
    }

    /**
     * Walks a schema of any types without decoding it, bounding depth, field count and name sizes,
     * so that Arrow's own (recursive) schema conversion never meets a cycle or a giant.
     */
    private static void walk(org.apache.arrow.flatbuf.Field f, int depth, int[] count) {
        if (f == null) throw bad("missing field");
        if (depth > 32) throw bad("schema nested deeper than 32 levels");
        if (++count[0] > MAX_FIELDS) throw bad("schema has more than " + MAX_FIELDS + " fields");
        name(f);
        int children = f.childrenLength();
        if (children < 0 || children > MAX_FIELDS) throw bad(children + " children");
        for (int i = 0; i < children; i++) walk(f.children(i), depth + 1, count);
    }

    private static int buffers(FieldInfo f) {
        if (f.prim != null) return 2;
        if (f.utf8) return 3;
        return 2 + buffers(f.child);
    }

    private static ByteBuffer slice(ByteBuffer all, int from, int length) {
        return all.duplicate().position(from).limit(from + length).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static FieldInfo field(org.apache.arrow.flatbuf.Field f, int depth) {
        if (f == null) throw bad("missing field");
        String name = name(f);
        if (f.dictionary() != null) throw bad("dictionary-encoded field " + name);
        byte type = f.typeType();
        if (type == Type.List) {
            if (depth > 0) throw bad("nested list in field " + name);
            if (f.childrenLength() != 1) throw bad("list field " + name + " has " + f.childrenLength() + " children");
            FieldInfo child = field(f.children(0), depth + 1);
            return new FieldInfo(name, f.nullable(), null, false, child);
        }
        if (f.childrenLength() != 0) throw bad("field " + name + " of type " + Type.name(type) + " has children");
        if (type == Type.Utf8) return new FieldInfo(name, f.nullable(), null, true, null);
        ArrowType t;
        if (type == Type.Bool) {
            t = ArrowType.Bool.INSTANCE;
        } else if (type == Type.Int) {
            var i = (org.apache.arrow.flatbuf.Int) f.type(new org.apache.arrow.flatbuf.Int());
            if (i == null) throw bad("Int field " + name + " without its type table");
            t = new ArrowType.Int(i.bitWidth(), i.isSigned());
        } else if (type == Type.FloatingPoint) {
            var p = (FloatingPoint) f.type(new FloatingPoint());
            if (p == null) throw bad("FloatingPoint field " + name + " without its type table");
            if (p.precision() == Precision.SINGLE) t = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            else if (p.precision() == Precision.DOUBLE) t = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            else throw bad("half-precision field " + name);
        } else {
            throw bad("unsupported Arrow type " + (type >= 0 && type < Type.names.length ? Type.name(type) : type)
                    + " in field " + name);
        }
        Prim p = Prim.ofArrow(t);
        if (p == null) throw bad("unsupported Arrow type " + t + " in field " + name);
        return new FieldInfo(name, f.nullable(), p, false, null);
    }
}
