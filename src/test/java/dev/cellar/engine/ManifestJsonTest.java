package dev.cellar.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.CodecException;
import dev.cellar.codec.json.JsonValues;
import dev.cellar.key.Ingredient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The manifest's own JSON writer and reader agree with Jackson's: the writer gives the very bytes
 * Jackson gave for the same tree (stored entries unchanged, older cellars read new ones), and the
 * reader gives Jackson's tree for every input, or Jackson's error, however the bytes are damaged.
 */
class ManifestJsonTest {

    @Property(tries = 300)
    void writesTheBytesJacksonWrites(@ForAll("manifests") Manifest m) {
        assertArrayEquals(JsonValues.write(jacksonTree(m)).getBytes(StandardCharsets.UTF_8), ManifestJson.write(m));
    }

    @Property(tries = 300)
    void readsWhatItWritesAsJacksonDoes(@ForAll("manifests") Manifest m) {
        byte[] json = ManifestJson.write(m);
        assertEquals(JsonValues.parse(json), ManifestJsonReader.parse(json));
        if (!new String(json, StandardCharsets.UTF_8).contains("?")) { // UTF-8 writes a lone surrogate as '?'
            assertEquals(m, Manifest.fromJson(json));
        }
    }

    @Property(tries = 500)
    void damagedBytesReadAsJacksonReadsThem(@ForAll("manifests") Manifest m, @ForAll long seed) {
        byte[] json = ManifestJson.write(m);
        SplittableRandom r = new SplittableRandom(seed);
        byte[] bad = damage(json, r);
        Object expected;
        try {
            expected = JsonValues.parse(bad);
        } catch (CodecException e) {
            assertThrows(CodecException.class, () -> ManifestJsonReader.parse(bad));
            return;
        }
        assertEquals(expected, ManifestJsonReader.parse(bad));
    }

    @Property(tries = 300)
    void theExactLayoutReadsAsTheGeneralPathReadsIt(@ForAll("manifests") Manifest m) {
        byte[] json = ManifestJson.write(m);
        Manifest exact = ManifestJsonReader.read(json);
        if (!new String(json, StandardCharsets.US_ASCII).chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            assertNull(exact, "non-ASCII manifests take the general path");
            return;
        }
        assertNotNull(exact);
        assertEquals(Manifest.fromTree(JsonValues.parse(json)), exact);
    }

    @Property(tries = 1000)
    void damagedManifestsReadAsTheGeneralPathReadsThem(@ForAll("manifests") Manifest m, @ForAll long seed) {
        byte[] bad = damage(ManifestJson.write(m), new SplittableRandom(seed));
        Manifest general;
        try {
            general = Manifest.fromTree(JsonValues.parse(bad));
        } catch (CodecException e) {
            assertNull(ManifestJsonReader.read(bad), "the exact reader accepts nothing the general path refuses");
            assertThrows(e.getClass(), () -> Manifest.fromJson(bad));
            return;
        }
        Manifest exact = ManifestJsonReader.read(bad);
        if (exact != null) {
            assertEquals(general, exact);
        }
        assertEquals(general, Manifest.fromJson(bad));
    }

    @Property(tries = 300)
    void aRestoreReadsEverythingButTheIngredients(@ForAll("manifests") Manifest m) {
        byte[] json = ManifestJson.write(m);
        Manifest full = Manifest.fromJson(json);
        Manifest restore = Manifest.forRestore(json);
        assertEquals(withoutIngredients(full), withoutIngredients(restore));
        if (ManifestJsonReader.read(json) != null) {
            assertEquals(List.of(), restore.ingredients(), "the exact layout keeps no ingredients for a restore");
        }
    }

    @Property(tries = 1000)
    void damagedManifestsReadForARestoreAsTheGeneralPathReadsThem(@ForAll("manifests") Manifest m, @ForAll long seed) {
        byte[] bad = damage(ManifestJson.write(m), new SplittableRandom(seed));
        Manifest general;
        try {
            general = Manifest.fromTree(JsonValues.parse(bad));
        } catch (CodecException e) {
            assertNull(ManifestJsonReader.read(bad, false), "skipping ingredients accepts nothing the general path refuses");
            assertThrows(e.getClass(), () -> Manifest.forRestore(bad));
            return;
        }
        assertEquals(withoutIngredients(general), withoutIngredients(Manifest.forRestore(bad)));
        assertEquals(ManifestJsonReader.read(bad) != null, ManifestJsonReader.read(bad, false) != null,
                "ingredients are skipped exactly where they are read");
    }

    @Test
    void skippedIngredientsAreCheckedAsStrictly() {
        Manifest ok = new Manifest(1, "n", "k", 1, 2, List.of(new Ingredient("param", "param s", "\"a\\\"b\u0001\"",
                "", "d")), Map.of("a", new Manifest.Output("p0", "json", "str", 3, 4)), Map.of());
        String json = new String(ManifestJson.write(ok), StandardCharsets.UTF_8);
        assertTrue(json.contains("\\u0001"), json);
        assertEquals(withoutIngredients(ok), ManifestJsonReader.read(json.getBytes(StandardCharsets.UTF_8), false));
        for (String bad : List.of(json.replace("\\u0001", "\\u00g1"), json.replace("\\u0001", "\\x"),
                json.replace("\"display\"", "\"display \""), json.replace("\"kind\":\"param\"", "\"kind\":1"))) {
            assertNull(ManifestJsonReader.read(bad.getBytes(StandardCharsets.UTF_8), false), bad);
            assertNull(ManifestJsonReader.read(bad.getBytes(StandardCharsets.UTF_8), true), bad);
        }
    }

    private static Manifest withoutIngredients(Manifest m) {
        return new Manifest(m.format(), m.name(), m.key(), m.createdMillis(), m.computeNanos(), List.of(), m.outputs(),
                m.notes());
    }

    @Test
    void theExactReaderRefusesWhatTheChecksRefuse() {
        Manifest ok = new Manifest(1, "n", "k", 1, 2, List.of(), Map.of("a",
                new Manifest.Output("p0", "json", "str", 3, 4)), Map.of());
        String json = new String(ManifestJson.write(ok), StandardCharsets.UTF_8);
        assertNotNull(ManifestJsonReader.read(json.getBytes(StandardCharsets.UTF_8)));
        String newer = json.replace("\"format\":1", "\"format\":" + (Manifest.FORMAT + 1));
        assertNull(ManifestJsonReader.read(newer.getBytes(StandardCharsets.UTF_8)));
        assertThrows(Manifest.NewerFormatException.class, () -> Manifest.fromJson(newer.getBytes(StandardCharsets.UTF_8)));
        String negative = json.replace("\"size\":3", "\"size\":-3");
        assertNull(ManifestJsonReader.read(negative.getBytes(StandardCharsets.UTF_8)));
        assertThrows(CodecException.class, () -> Manifest.fromJson(negative.getBytes(StandardCharsets.UTF_8)));
        String twice = json.replace("\"outputs\":[{", "\"outputs\":[{\"codec\":\"json\",\"crc32c\":4,"
                + "\"descriptor\":\"str\",\"name\":\"a\",\"payload\":\"p1\",\"size\":3},{");
        assertNull(ManifestJsonReader.read(twice.getBytes(StandardCharsets.UTF_8)));
        assertThrows(CodecException.class, () -> Manifest.fromJson(twice.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theExactReaderTakesEveryLong() {
        Manifest m = new Manifest(2, "n", "k", Long.MIN_VALUE, Long.MAX_VALUE, List.of(), Map.of("a",
                new Manifest.Output("p0", "json", "str", Long.MAX_VALUE, 0, List.of(new Manifest.Part("p1", 0, -1)))),
                Map.of());
        byte[] json = ManifestJson.write(m);
        assertEquals(m, ManifestJsonReader.read(json));
        assertEquals(Manifest.fromTree(JsonValues.parse(json)), ManifestJsonReader.read(json));
    }

    @Test
    void jsonOutsideTheFastSubsetStillReads() {
        String json = "{ \"a\" : [1.5, true, null, 1234567890123456789, -0, 1e3, \"é\", \"\\ud83d\\ude00\"], \"b\":{} }";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(JsonValues.parse(bytes), ManifestJsonReader.parse(bytes));
    }

    @Test
    void malformedJsonIsTheUsualError() {
        for (String bad : List.of("", "{", "{\"a\":01}", "{\"a\":\"x\u0001\"}", "[1,]", "{\"a\":1}x", "{\"a\" 1}")) {
            assertThrows(CodecException.class, () -> ManifestJsonReader.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    private static byte[] damage(byte[] json, SplittableRandom r) {
        byte[] b = json.clone();
        switch (r.nextInt(4)) {
            case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            case 1 -> b[r.nextInt(b.length)] = (byte) "{}[]\",:\\-0123456789 eE.tnu".charAt(r.nextInt(26));
            case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            default -> {
                int at = r.nextInt(b.length);
                b[at] = (byte) (b[at] ^ (1 << r.nextInt(8)));
            }
        }
        return b;
    }

    @Provide
    Arbitrary<Manifest> manifests() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007f\u0080é€\ud83d\ude00\ud800ab")
                        .ofMaxLength(12),
                Arbitraries.strings().alpha().numeric().ofMaxLength(30));
        Arbitrary<Ingredient> ingredient = net.jqwik.api.Combinators.combine(text, text, text, text, text)
                .as(Ingredient::new);
        Arbitrary<Manifest.Part> part = net.jqwik.api.Combinators.combine(text,
                Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().between(0, 0xFFFFFFFFL))
                .as(Manifest.Part::new);
        Arbitrary<Manifest.Output> output = net.jqwik.api.Combinators.combine(text, text, text,
                Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().between(0, 0xFFFFFFFFL),
                part.list().ofMaxSize(3))
                .as(Manifest.Output::new);
        Arbitrary<Map<String, Manifest.Output>> outputs = Arbitraries.maps(text, output).ofMaxSize(3)
                .map(LinkedHashMap::new);
        Arbitrary<Map<String, String>> notes = Arbitraries.maps(text, text).ofMaxSize(3);
        return net.jqwik.api.Combinators.combine(text, text, Arbitraries.longs(), Arbitraries.longs(),
                ingredient.list().ofMaxSize(6), outputs, notes)
                .as((name, key, created, nanos, ings, outs, ns) -> new Manifest(Manifest.FORMAT, name, key, created,
                        nanos, ings, outs, ns));
    }

    /** The tree the manifest was written from before it had its own writer (Jackson sorted the keys). */
    private static Map<String, Object> jacksonTree(Manifest m) {
        Map<String, Object> t = new TreeMap<>();
        t.put("format", m.format());
        t.put("name", m.name());
        t.put("key", m.key());
        t.put("created", m.createdMillis());
        t.put("computeNanos", m.computeNanos());
        List<Object> ings = new ArrayList<>();
        for (Ingredient i : m.ingredients()) {
            Map<String, Object> im = new TreeMap<>();
            im.put("kind", i.kind());
            im.put("name", i.name());
            im.put("display", i.display());
            im.put("detail", i.detail());
            im.put("digest", i.digest());
            ings.add(im);
        }
        t.put("ingredients", ings);
        List<Object> outs = new ArrayList<>();
        m.outputs().forEach((n, o) -> {
            Map<String, Object> om = new TreeMap<>();
            om.put("name", n);
            om.put("payload", o.payload());
            om.put("codec", o.codec());
            om.put("descriptor", o.descriptor());
            om.put("size", o.size());
            om.put("crc32c", o.crc32c());
            if (!o.parts().isEmpty()) {
                List<Object> parts = new ArrayList<>();
                for (Manifest.Part p : o.parts()) {
                    Map<String, Object> pm = new TreeMap<>();
                    pm.put("payload", p.payload());
                    pm.put("size", p.size());
                    pm.put("crc32c", p.crc32c());
                    parts.add(pm);
                }
                om.put("parts", parts);
            }
            outs.add(om);
        });
        t.put("outputs", outs);
        t.put("notes", m.notes());
        return t;
    }
}
