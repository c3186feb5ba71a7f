package dev.cellar.codec.json;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.CodecException;
import dev.cellar.codec.DecodeContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile JSON payloads are refused with a CodecException, quickly and within the memory limit. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed assertion
class JsonHostileInputTest {
    record Pair(int a, String b) {}

    /** Initializing this class would mark it; decoding must never do so for a refused payload. */
    record Tripwire(int x) {
        static { System.setProperty("cellar.test.tripwire", "initialized"); }
    }

    static final JsonCodec CODEC = new JsonCodec();
    static final DecodeContext CTX = new DecodeContext(JsonHostileInputTest.class.getClassLoader(), 64L << 20);

    static CodecException rejected(String descriptor, String json) {
        return rejected(CODEC, descriptor, json.getBytes(StandardCharsets.UTF_8), CTX);
    }

    static CodecException rejected(JsonCodec codec, String descriptor, byte[] json, DecodeContext ctx) {
        return assertThrows(CodecException.class, () -> codec.decode(descriptor, ByteBuffer.wrap(json), ctx));
    }

    /** Plain objects decode only into classes a notebook declared (package REPL); nothing else is instantiated. */
    @Test
    void objectsAndObjectArraysRefuseClassesNotDeclaredInANotebook() {
        for (String c : new String[] {"java.lang.ProcessBuilder", "java.util.ArrayList", Tripwire.class.getName()}) {
            CodecException e = rejected("object " + c, "{\"t\":\"object\",\"c\":\"" + c + "\",\"v\":{}}");
            assertTrue(e.getMessage().contains("not a class declared in this notebook"), e.getMessage());
        }
        CodecException arr = rejected("array java.lang.Thread", "{\"t\":\"array\",\"c\":\"java.lang.Thread\",\"v\":[]}");
        assertTrue(arr.getMessage().contains("refusing"), arr.getMessage());
        assertEquals(null, System.getProperty("cellar.test.tripwire"), "no static initializer ran");
    }

    @Test
    void deepNesting() {
        int depth = 100_000;
        rejected("list", "[".repeat(depth) + "]".repeat(depth));
        String tagged = "{\"t\":\"list\",\"v\":[".repeat(depth) + "]}".repeat(depth);
        rejected("list", tagged);
        // within Jackson's limit but deeper than the value limit of a smaller codec
        JsonCodec shallow = new JsonCodec(3, 1 << 20);
        String four = "{\"t\":\"list\",\"v\":[".repeat(5) + "]}".repeat(5);
        rejected(shallow, "list", four.getBytes(StandardCharsets.UTF_8), CTX);
    }

    @Test
    void hugeStringsNumbersAndArrays() {
        JsonCodec small = new JsonCodec(100, 1 << 20);
        String big = "{\"t\":\"str\",\"v\":\"" + "x".repeat(2 << 20) + "\"}";
        rejected(small, "str", big.getBytes(StandardCharsets.UTF_8), CTX);
        rejected("bigint", "{\"t\":\"bigint\",\"v\":\"" + "9".repeat(1_000_000) + "\"}");
        rejected("i64", "{\"t\":\"i64\",\"v\":" + "9".repeat(5000) + "}");
        StringBuilder arr = new StringBuilder("{\"t\":\"list\",\"v\":[");
        for (int i = 0; i < 200_000; i++) arr.append(i == 0 ? "" : ",").append("{\"t\":\"i32\",\"v\":1}");
        arr.append("]}");
        byte[] payload = arr.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(200_000, ((List<?>) CODEC.decode("list", ByteBuffer.wrap(payload), new DecodeContext(getClass().getClassLoader(), 1L << 30))).size());
        long limit = (long) payload.length * JsonCodec.TREE_BYTES_PER_JSON_BYTE;
        rejected(CODEC, "list", payload, new DecodeContext(getClass().getClassLoader(), limit - 1));
        assertNotNull(CODEC.decode("list", ByteBuffer.wrap(payload), new DecodeContext(getClass().getClassLoader(), limit)));
        rejected(CODEC, "list", payload, new DecodeContext(getClass().getClassLoader(), 1000));
    }

    @Test
    void wrongTagsAndShapes() {
        rejected("i32", "{\"t\":\"i32\",\"v\":\"1\"}");
        rejected("i32", "{\"t\":\"i32\",\"v\":1.5}");
        rejected("i32", "{\"t\":\"i32\",\"v\":4294967296}");
        rejected("i8", "{\"t\":\"i8\",\"v\":300}");
        rejected("char", "{\"t\":\"char\",\"v\":-1}");
        rejected("f64", "{\"t\":\"f64\",\"v\":1.5}");
        rejected("f64", "{\"t\":\"f64\",\"v\":\"0x1p3\"}");
        rejected("f64", "{\"t\":\"f64\",\"v\":\"NaN:0\"}");
        rejected("bool", "{\"t\":\"bool\",\"v\":1}");
        rejected("nope", "{\"t\":\"nope\",\"v\":1}");
        rejected("list", "{\"t\":\"list\",\"v\":{}}");
        rejected("list", "{\"t\":\"list\"}");
        rejected("i32", "{\"t\":\"i32\",\"v\":1,\"x\":2}");
        rejected("i32", "{\"v\":1}");
        rejected("i32", "1");
        rejected("i32", "{\"t\":\"i32\",\"v\":1} trailing");
        rejected("i32", "{\"t\":\"i32\",");
        rejected("i32", "");
        rejected("i64", "{\"t\":\"i32\",\"v\":1}");
        rejected("map", "{\"t\":\"map\",\"v\":[[{\"t\":\"i32\",\"v\":1}]]}");
        rejected("map", "{\"t\":\"map\",\"v\":[[{\"t\":\"i32\",\"v\":1},null],[{\"t\":\"i32\",\"v\":1},null]]}");
        rejected("sortedset", "{\"t\":\"sortedset\",\"v\":[{\"t\":\"i32\",\"v\":1},{\"t\":\"str\",\"v\":\"a\"}]}");
        rejected("opt", "{\"t\":\"opt\",\"v\":null}");
        rejected("int[]", "{\"t\":\"int[]\",\"v\":[1,\"2\"]}");
        rejected("Object[]", "{\"t\":\"Object[]\",\"v\":[]}");
    }

    @Test
    void classNamesThatAreNotRecordsOrEnums() {
        System.clearProperty("cellar.test.tripwire");
        CodecException e = rejected("record java.lang.Runtime", "{\"t\":\"record\",\"c\":\"java.lang.Runtime\",\"v\":{}}");
        assertTrue(e.getMessage().contains("not a record"), e.getMessage());
        e = rejected("enum java.lang.ProcessBuilder", "{\"t\":\"enum\",\"c\":\"java.lang.ProcessBuilder\",\"v\":\"x\"}");
        assertTrue(e.getMessage().contains("not an enum"), e.getMessage());
        rejected("record no.such.Thing", "{\"t\":\"record\",\"c\":\"no.such.Thing\",\"v\":{}}");
        String pair = Pair.class.getName();
        rejected("record " + pair, "{\"t\":\"record\",\"c\":\"" + pair + "\",\"v\":{\"a\":{\"t\":\"str\",\"v\":\"x\"},\"b\":null}}");
        rejected("record " + pair, "{\"t\":\"record\",\"c\":\"" + pair + "\",\"v\":{\"a\":null,\"b\":null}}");
        rejected("record " + pair, "{\"t\":\"record\",\"c\":\"" + pair + "\",\"v\":{\"a\":{\"t\":\"i32\",\"v\":1}}}");
        String trip = Tripwire.class.getName();
        rejected("record " + trip, "{\"t\":\"record\",\"c\":\"" + trip + "\",\"v\":{\"y\":{\"t\":\"i32\",\"v\":1}}}");
        assertNull(System.getProperty("cellar.test.tripwire"), "a refused payload must not initialize the class it names");
    }
}
