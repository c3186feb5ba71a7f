package dev.cellar.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.codec.arrow.ArrowCodec;
import dev.cellar.codec.json.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Payloads of format 1 kept as files: they must always decode to the same values, and today's
 * encoder must still produce them byte for byte (if a change is deliberate, regenerate with
 * {@link #main} and say so in the commit: stored entries of the old bytes must stay readable).
 */
class GoldenPayloadsTest {
    record Golden(String file, Codec codec, String descriptor, Object value) {}

    static List<Golden> goldens() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("t", new double[] {0.5, -0.0});
        table.put("name", new String[] {"x", null});
        Map<String, Object> json = new TreeMap<>();
        json.put("n", 1);
        json.put("rate", 10.0);
        json.put("tags", List.of("a", 2L));
        ArrowCodec arrow = new ArrowCodec();
        JsonCodec j = new JsonCodec();
        return List.of(
                new Golden("int-array.arrow", arrow, "int[]", new int[] {1, 2, 3}),
                new Golden("double-array.arrow", arrow, "double[]", new double[] {1.5, Double.NaN, -0.0}),
                new Golden("boolean-array.arrow", arrow, "boolean[]", new boolean[] {true, false, true}),
                new Golden("string-array.arrow", arrow, "String[]", new String[] {"a", null, "é"}),
                new Golden("ragged.arrow", arrow, "double[][]", new double[][] {{1.5}, {}, null}),
                new Golden("boxed-list.arrow", arrow, "List<Integer>", Arrays.asList(1, null, 3)),
                new Golden("table.arrow", arrow, "table", table),
                new Golden("map.json", j, "sortedmap", json));
    }

    static byte[] encode(Golden g) throws IOException {
        Encoded e = g.codec().encode(g.value());
        assertEquals(g.descriptor(), e.descriptor());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        e.writeTo(Channels.newChannel(out));
        return out.toByteArray();
    }

    static byte[] golden(String file) throws IOException {
        try (InputStream in = GoldenPayloadsTest.class.getResourceAsStream("golden/" + file)) {
            assertNotNull(in, "missing golden file " + file);
            return in.readAllBytes();
        }
    }

    @Test
    void goldenPayloadsDecodeToTheirValues() throws IOException {
        for (Golden g : goldens()) {
            Object back = g.codec().decode(g.descriptor(), ByteBuffer.wrap(golden(g.file())), DecodeContext.defaults());
            if (g.value() instanceof Map<?, ?> m && back instanceof Map<?, ?> b) {
                assertEquals(m.keySet(), b.keySet(), g.file());
                for (Object k : m.keySet()) assertTrue(Objects.deepEquals(m.get(k), b.get(k)), g.file() + " " + k);
            } else if (g.value() instanceof double[] d) {
                double[] e = (double[]) back;
                for (int i = 0; i < d.length; i++) assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(e[i]));
            } else {
                assertTrue(Objects.deepEquals(g.value(), back), g.file());
            }
        }
    }

    @Test
    void todaysEncoderWritesTheGoldenBytes() throws IOException {
        for (Golden g : goldens()) {
            assertArrayEquals(golden(g.file()), encode(g), g.file() + " changed: a format change must be deliberate");
        }
    }

    /** Regenerates the golden files (run from the project directory). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of("src/test/resources/dev/cellar/codec/golden");
        Files.createDirectories(dir);
        for (Golden g : goldens()) Files.write(dir.resolve(g.file()), encode(g));
    }
}
