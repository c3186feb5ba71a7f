package dev.cellar.codec.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import dev.cellar.CodecException;
import dev.cellar.codec.Codec;
import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Map;
import java.util.Optional;

/**
 * Scalars, strings, big numbers, enums, records, maps, lists, sets, optionals, small primitive arrays
 * and any nesting of those, as JSON in cellar's own type-tagged form (see {@link TaggedWriter}): an
 * {@code Integer} comes back an {@code Integer}, a {@code 1L} a {@code Long}, a record its record.
 * Jackson only reads and writes the plain tree; it never sees a Java type or a class name.
 *
 * <p>Descriptors name the top-level value's tag: {@code i32}, {@code str}, {@code list},
 * {@code record com.x.Point}, {@code enum com.x.Color}, ..., and {@code null} for a null value.
 */
public final class JsonCodec implements Codec {
    public static final String ID = "json";
    static final int DEFAULT_MAX_DEPTH = 100;
    /** Each value level is two JSON levels (the tag object and its body), plus map pairs. */
    private static final int JSON_LEVELS_PER_VALUE = 3;
    static final int TREE_BYTES_PER_JSON_BYTE = 32;
    private static final String NULL = "null";

    private final int maxDepth;
    private final ObjectMapper mapper;

    public JsonCodec() {
        this(DEFAULT_MAX_DEPTH, 256 << 20);
    }

    /** Limits for tests: value nesting depth and the longest JSON string accepted on decode. */
    JsonCodec(int maxDepth, int maxStringLength) {
        this.maxDepth = maxDepth;
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth * JSON_LEVELS_PER_VALUE + 4)
                .maxStringLength(maxStringLength)
                .maxNumberLength(100)
                .build());
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * Accepts every value whose outer type JSON handles; something unsupported deeper inside is
     * reported by {@link #encode} with its place, which is more useful than "no codec for ArrayList".
     */
    @Override
    public boolean canEncode(Object value) {
        if (value == null) return true; // a computation may well return null; it is stored as JSON null
        Class<?> c = value.getClass();
        return value instanceof Number && (value instanceof Integer || value instanceof Long || value instanceof Double
                        || value instanceof Float || value instanceof Short || value instanceof Byte
                        || value instanceof BigInteger || value instanceof BigDecimal)
                || value instanceof Boolean || value instanceof Character || value instanceof String
                || value instanceof Enum || c.isRecord() || value instanceof Map || value instanceof Optional
                || value instanceof java.util.List || value instanceof java.util.Set
                || (c.isArray() && (c.getComponentType().isPrimitive() || c.getComponentType() == String.class
                        || PlainObjects.isElementClass(c.getComponentType())))
                || PlainObjects.isNotebookClass(c);
    }

    @Override
    public Encoded encode(Object value) {
        if (value instanceof String s) {
            byte[] plain = PlainString.encode(s);
            if (plain != null) {
                return encoded(plain, PlainString.DESCRIPTOR);
            }
        }
        return general(value);
    }

    /** Through the tagged tree and Jackson: every value, and the reference for {@link PlainString}. */
    Encoded general(Object value) {
        JsonNode tree = new TaggedWriter(maxDepth).write(value);
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot write JSON for " + (value == null ? "null" : value.getClass().getTypeName())
                    + ": " + e.getOriginalMessage(), e);
        }
        return encoded(bytes, descriptor(tree));
    }

    private static Encoded encoded(byte[] bytes, String descriptor) {
        return new Encoded() {
            public String codecId() {
                return ID;
            }

            public String descriptor() {
                return descriptor;
            }

            public long size() {
                return bytes.length;
            }

            public void writeTo(WritableByteChannel out) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) out.write(b);
            }
        };
    }

    private static String descriptor(JsonNode tree) {
        if (tree.isNull()) return NULL;
        String tag = tree.get("t").textValue();
        JsonNode c = tree.get("c");
        return c == null ? tag : tag + " " + c.textValue();
    }

    @Override
    public Object decode(String descriptor, ByteBuffer bytes, DecodeContext context) {
        // Jackson's tree costs up to ~30 bytes of heap per byte of JSON (e.g. "[[],[],...]"): bound it up front
        if (bytes.remaining() > context.maxBytes() / TREE_BYTES_PER_JSON_BYTE) {
            throw new CodecException("JSON payload of " + bytes.remaining() + " bytes exceeds the memory limit of this decode");
        }
        if (PlainString.DESCRIPTOR.equals(descriptor)) {
            String s = PlainString.decode(bytes, context.maxBytes());
            if (s != null) {
                return s;
            }
        }
        return generalDecode(descriptor, bytes, context);
    }

    /** Through Jackson's tree: every payload, and the reference for {@link PlainString}. */
    Object generalDecode(String descriptor, ByteBuffer bytes, DecodeContext context) {
        JsonNode tree;
        try {
            tree = mapper.readTree(new ByteBufferBackedInputStream(bytes.duplicate()));
        } catch (IOException e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new CodecException("malformed JSON payload: " + m, e);
        }
        if (tree != null && tree.isNull() && NULL.equals(descriptor)) return null;
        if (tree == null || !tree.isObject() || tree.get("t") == null || !tree.get("t").isTextual()) {
            throw new CodecException("malformed JSON payload: the top level is not a tagged value");
        }
        if (!descriptor(tree).equals(descriptor)) {
            throw new CodecException("JSON payload holds " + TaggedReader.abbreviate(descriptor(tree))
                    + ", its descriptor says " + TaggedReader.abbreviate(String.valueOf(descriptor)));
        }
        return new TaggedReader(context.classLoader(), maxDepth, context.maxBytes()).read(tree, Where.TOP, 0);
    }
}
