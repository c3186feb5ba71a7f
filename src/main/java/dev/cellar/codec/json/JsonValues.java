package dev.cellar.codec.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cellar.CodecException;
import java.util.List;
import java.util.Map;

/**
 * Plain JSON trees (maps, lists, strings, numbers, booleans) for the rest of cellar — parameter
 * files and manifests — so that only this package imports Jackson.
 */
public final class JsonValues {
    /** Sorted keys make every manifest byte-stable; limits bound what hostile input can cost. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200)
                .maxStringLength(64 << 20)
                .maxNumberLength(1000)
                .build());
    }

    private JsonValues() {}

    /**
     * Parses JSON text into maps, lists, strings, {@code Long}/{@code Double}/{@code BigInteger}
     * numbers, booleans and nulls.
     *
     * @throws CodecException if the text is not well-formed JSON or exceeds the nesting/size limits
     */
    public static Object parse(String json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new CodecException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @see #parse(String) */
    public static Object parse(byte[] json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (java.io.IOException e) {
            throw new CodecException("malformed JSON: " + e.getMessage(), e);
        }
    }

    /** Writes a tree of maps, lists and scalars as compact JSON with sorted keys. */
    public static String write(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes a tree as indented JSON with sorted keys, for people to read. */
    public static String writePretty(Object tree) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A word for what a parsed value is, for error messages. */
    public static String kind(Object tree) {
        if (tree == null) return "null";
        if (tree instanceof Map) return "an object";
        if (tree instanceof List) return "an array";
        if (tree instanceof String) return "a string";
        if (tree instanceof Number) return "a number";
        if (tree instanceof Boolean) return "a boolean";
        return tree.getClass().getSimpleName();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * One character of a JSON string that needs escaping, as Jackson writes it by default: the five short
     * control escapes, other controls as a six-character unicode escape. Cellar's own writers of manifests
     * and plain strings use it to produce Jackson's exact bytes.
     */
    public static void escape(StringBuilder sb, char c) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
    }
}
