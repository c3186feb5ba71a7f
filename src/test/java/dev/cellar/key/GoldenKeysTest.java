package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.Parameters;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins exact digests and keys of fixed inputs. If one of these fails, a key changed: either the change
 * is an accident (fix it), or it is deliberate (bump {@link HashKeyDeriver#KEY_FORMAT}, which changes
 * every key, and update the constants here in the same commit).
 */
class GoldenKeysTest {
    enum Mode { FAST, EXACT }

    record Point(int x, double y) {}

    private static final Map<String, Supplier<Object>> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("int 1", () -> 1);
        VALUES.put("long 1", () -> 1L);
        VALUES.put("double 1", () -> 1.0);
        VALUES.put("float -0", () -> -0.0f);
        VALUES.put("string", () -> "hello, wörld");
        VALUES.put("null", () -> null);
        VALUES.put("list", () -> List.of(1, "two", 3.0, true, 'c', (short) 5, (byte) 6));
        VALUES.put("map", () -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("b", 2L);
            m.put("a", List.of(1, 2));
            return m;
        });
        VALUES.put("set", () -> Set.of("x", "y", "z"));
        VALUES.put("small double[]", () -> new double[] {1.5, -0.0, Double.NaN});
        VALUES.put("large double[]", () -> {
            double[] a = new double[100_000];
            java.util.Arrays.setAll(a, i -> i * 0.25);
            return a;
        });
        VALUES.put("large long[] in a list", () -> {
            long[] a = new long[1000];
            java.util.Arrays.setAll(a, i -> i * 3L);
            return List.of("xs", a);
        });
        VALUES.put("ragged int[][]", () -> new int[][] {{1, 2, 3}, {}, {4}});
        VALUES.put("String[]", () -> new String[] {"a", null, "c"});
        VALUES.put("record", () -> new Point(1, 2.0));
        VALUES.put("enum", () -> Mode.EXACT);
        VALUES.put("optional", () -> Optional.of(new BigDecimal("3.14")));
        VALUES.put("parameters", () -> Parameters.of("stim.rate", 10.0, "n", 100, "name", "run"));
    }

    private static final Map<String, String> EXPECTED_VALUES = Map.ofEntries(
            Map.entry("int 1", "c1a9f96241e26059139be3d278015f1a"),
            Map.entry("long 1", "c57c3d95e56377eb443e13b4dcb57425"),
            Map.entry("double 1", "9276f264d298b35c1873e9ca4d74ab73"),
            Map.entry("float -0", "fe98e06290fd16cbd4ceb07cdf3e7b2d"),
            Map.entry("string", "b98780e87a70cca85ef05297251c265d"),
            Map.entry("null", "6e340b9cffb37a989ca544e6bb780a2c"),
            Map.entry("list", "beb7b3926013c4ab59658aa825c408eb"),
            Map.entry("map", "ccc972c5d81041d0c07e15c07e99665d"),
            Map.entry("set", "3be572e66ae83f6dd2850848f152a750"),
            Map.entry("small double[]", "a7e1fef328e442b49f125a469faad846"),
            Map.entry("large double[]", "dc9725218f6054ffb0cc0af4c916c66b"),
            Map.entry("large long[] in a list", "00a7a3e712da759bb9286ff3a4cda8dc"),
            Map.entry("ragged int[][]", "a1d9a2772d4c33e9cb6108018ca17fa6"),
            Map.entry("String[]", "e58b4c873cad8a65bdc9cb81c7193d56"),
            Map.entry("record", "2aa24227cffcd086358c0ba4ba537240"),
            Map.entry("enum", "793e46fbe2707c2fe20aa104d9cc7e21"),
            Map.entry("optional", "77d638e93a0928c34ed1e62306472d81"),
            Map.entry("parameters", "85be9807351392e25fd2719a1324c698"));

    @Test
    void valueDigestsArePinned() {
        StringBuilder actual = new StringBuilder();
        VALUES.forEach((name, v) -> actual.append(name).append('=').append(ValueDigest.of(v.get())).append('\n'));
        StringBuilder expected = new StringBuilder();
        VALUES.forEach((name, v) -> expected.append(name).append('=').append(EXPECTED_VALUES.get(name)).append('\n'));
        assertEquals(expected.toString(), actual.toString());
    }

    @Test
    void canonicalBytesOfACompositeValueArePinned() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("k", List.of(1L, 2.5f));
        m.put(7, Optional.empty());
        assertEquals("14020000000507000000170009010000006b12020000000601000000000000000700002040", CanonicalTest.hex(m));
    }

    @Test
    void fileDigestIsPinned(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("f.txt"), "hello\n");
        assertEquals("3aea1747618b307e31778103956c04ae", ValueDigest.file(f));
    }

    @Test
    void keyWithAFileInputIsPinned(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("data.csv"), "t,v\n0,1.5\n");
        Component c = Component.builder("load").input(Component.Input.value("data.csv", f)).build();
        assertEquals("b5faf3218149713aafd055c6ae5099431517f605e4f7a46b7a1a54a92cca1617", new HashKeyDeriver().derive(c).key().hex());
    }

    private static Component simple() {
        return Component.of("simulate");
    }

    private static Component full() {
        return Component.builder("simulate").version("1.2")
                .parameters(Parameters.of("stim.rate", 10.0, "stim.n", 100, "seed", 42L, "label", "baseline",
                        "weights", new double[] {0.5, 0.25}, "flags", List.of(true, false)))
                .code("body", "double[] spikes = simulate(n);\nprint(spikes.length);")
                .code("method simulate(int)", "double[] simulate(int n) {\n    return new double[n];\n}")
                .build();
    }

    private static Component withInputs() {
        Component load = Component.of("load", Parameters.of("path", "data/spikes.csv"));
        Component clean = Component.builder("clean").version("3").input(load).build();
        return Component.builder("analyse")
                .parameters(Parameters.of("bins", 20))
                .input(Component.Input.of("cleaned", clean))
                .input(Component.Input.value("threshold", new double[] {0.1, 0.2, 0.3}))
                .input(Component.Input.key("spikes", Key.fromHex("9ab661d9" + "0".repeat(56))))
                .build();
    }

    @Test
    void keysArePinned() {
        HashKeyDeriver d = new HashKeyDeriver();
        assertEquals("simple=4bde8462fdd85d069038dcef275e94ca3bbd3811ed7d4c47ddc874a2a6e6c16d\n"
                + "full=60d2c861ac3b4c213a16ea4e17587c2cdf566138eccf0c66903f64064a77848c\n"
                + "withInputs=f790529f7b61485b4ba69880b4d5a70b478399f840a4cc4b9edcf834f7c038f4\n",
                "simple=" + d.derive(simple()).key().hex() + "\n"
                        + "full=" + d.derive(full()).key().hex() + "\n"
                        + "withInputs=" + d.derive(withInputs()).key().hex() + "\n");
    }

    @Test
    void ingredientDigestsArePinned() {
        StringBuilder sb = new StringBuilder();
        for (Ingredient i : new HashKeyDeriver().derive(full()).ingredients()) {
            sb.append(i.name()).append(" = ").append(i.display()).append(" ").append(i.digest()).append('\n');
        }
        assertEquals(""
                + "format = 2 317002267d524481069b1fb76f543500\n"
                + "type = simulate b0f8dc76fc62db6a97fa1eb412fdaa03\n"
                + "version = 1.2 2317c03296df283955323ab3c8c9ac3c\n"
                + "param flags = [true, false] cabb7c9802952e137a46974b369ebfe5\n"
                + "param label = \"baseline\" f39e5db5b8d5bb18b0457872c237fd69\n"
                + "param seed = 42L 3b3ca324c80aa776f2a09e363f7a5ffe\n"
                + "param stim.n = 100 8fdd23a49f64d3d4e8341faf03929529\n"
                + "param stim.rate = 10.0 7f6bba50814e41409210c13873d04c67\n"
                + "param weights = double[2] {0.5, 0.25} 5b6b13df2d6cac40930acb88658cd567\n"
                + "code body = double[] spikes = simulate(n); e0b3c10d7090921a054848ce6349260c\n"
                + "code method simulate(int) = double[] simulate(int n) { 5bd0142c8a9f4a831e07a8eec102a6f2\n"
                , sb.toString());
    }
}
