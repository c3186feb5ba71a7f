package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.CellarException;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.Parameters;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HashKeyDeriverTest {
    private final HashKeyDeriver deriver = new HashKeyDeriver();

    private Key key(Component c) {
        return deriver.derive(c).key();
    }

    @Test
    void ingredientsComeInTheDocumentedOrderWithReadableDisplays() {
        Component up = Component.of("load", Parameters.of("path", "data.csv"));
        Key given = Key.fromHex("ab".repeat(32));
        Component c = Component.builder("simulate").version("2")
                .parameters(Parameters.of("stim.rate", 10.0, "n", 100))
                .code("body", "double[] spikes = simulate(n);   \n\n")
                .input(Component.Input.of("data", up))
                .input(Component.Input.value("xs", new double[] {1, 2}))
                .input(Component.Input.key("spikes", given))
                .build();
        Derivation d = deriver.derive(c);
        List<String> names = d.ingredients().stream().map(Ingredient::name).collect(Collectors.toList());
        assertEquals(List.of("format", "type", "version", "param n", "param stim.rate", "code body",
                "input data", "input xs", "input spikes"), names);
        List<String> kinds = d.ingredients().stream().map(Ingredient::kind).collect(Collectors.toList());
        assertEquals(List.of("format", "type", "version", "param", "param", "code", "input", "input", "input"),
                kinds);
        assertEquals(String.valueOf(HashKeyDeriver.KEY_FORMAT), d.ingredients().get(0).display());
        assertEquals("simulate", d.ingredients().get(1).display());
        assertEquals("100", d.ingredients().get(3).display());
        assertEquals("10.0", d.ingredients().get(4).display());
        Ingredient code = d.ingredients().get(5);
        assertEquals("double[] spikes = simulate(n);", code.display());
        assertEquals("double[] spikes = simulate(n);", code.detail());
        Key upKey = key(up);
        assertEquals("key " + upKey.shortHex() + "… (load)", d.ingredients().get(6).display());
        assertEquals(upKey.hex(), d.ingredients().get(6).digest());
        assertEquals("double[2] " + ValueDigest.of(new double[] {1, 2}).substring(0, 8) + "…",
                d.ingredients().get(7).display());
        assertEquals("key abababab…", d.ingredients().get(8).display());
        assertEquals(given.hex(), d.ingredients().get(8).digest());
        for (Ingredient i : d.ingredients()) {
            assertTrue(i.digest().matches("[0-9a-f]{32}|[0-9a-f]{64}"), i.toString());
            if (!i.kind().equals("code")) {
                assertEquals("", i.detail());
            }
        }
        assertEquals(d.key(), HashKeyDeriver.keyOf(d.ingredients()));
    }

    @Test
    void keyDependsOnIngredientDigestsNotOnDisplays() {
        Derivation d = deriver.derive(Component.of("t", Parameters.of("a", 1)));
        List<Ingredient> relabelled = d.ingredients().stream()
                .map(i -> new Ingredient(i.kind(), i.name(), "whatever", "", i.digest()))
                .collect(Collectors.toList());
        assertEquals(d.key(), HashKeyDeriver.keyOf(relabelled));
    }

    @Test
    void parameterTypesMatter() {
        Key k1 = key(Component.of("t", Parameters.of("a", 1)));
        Key k2 = key(Component.of("t", Parameters.of("a", 1L)));
        Key k3 = key(Component.of("t", Parameters.of("a", 1.0)));
        Key k4 = key(Component.of("t", Parameters.of("a", 1.0f)));
        assertEquals(4, List.of(k1, k2, k3, k4).stream().distinct().count());
    }

    @Test
    void nestedAndDottedParametersAreTheSame() {
        Key dotted = key(Component.of("t", Parameters.of("stim.rate", 10.0, "stim.n", 3)));
        Key nested = key(Component.of("t", Parameters.fromMap(java.util.Map.of(
                "stim", java.util.Map.of("n", 3, "rate", 10.0)))));
        assertEquals(dotted, nested);
    }

    @Test
    void anEmptyNestedGroupStillCounts() {
        Key without = key(Component.of("t", Parameters.of("a", 1)));
        Key with = key(Component.of("t", Parameters.of("a", 1).with("g", java.util.Map.of())));
        assertNotEquals(without, with);
    }

    @Test
    void parameterNameAndValueCannotBeShuffled() {
        // a=1,b=2 vs a=2,b=1: same multiset of values, different key.
        assertNotEquals(key(Component.of("t", Parameters.of("a", 1, "b", 2))),
                key(Component.of("t", Parameters.of("a", 2, "b", 1))));
    }

    @Test
    void cyclesAreRefusedWithTheirPath() {
        Component a = Component.of("a");
        Component b = Component.of("b");
        Component c = Component.of("c");
        a.addInput(b);
        b.addInput(c);
        c.addInput(a);
        Component top = Component.builder("top").input(a).build();
        CellarException e = assertThrows(CellarException.class, () -> deriver.derive(top));
        assertEquals("cycle in component inputs: a -> b -> c -> a", e.getMessage());

        Component self = Component.of("self");
        self.addInput(self);
        e = assertThrows(CellarException.class, () -> deriver.derive(self));
        assertEquals("cycle in component inputs: self -> self", e.getMessage());
    }

    @Test
    void cyclesAreFoundByIdentityNotByEquality() {
        // Two distinct components with identical content are a diamond, not a cycle.
        Component x1 = Component.of("x", Parameters.of("p", 1));
        Component x2 = Component.of("x", Parameters.of("p", 1));
        Component y = Component.builder("y").input(x1).build();
        Component top = Component.builder("top").input(y).input(x2).input(x1).build();
        Derivation d = deriver.derive(top);
        assertEquals(6, d.ingredients().size());
        assertEquals(d.ingredients().get(4).digest(), d.ingredients().get(5).digest());
    }

    @Test
    void deepDiamondsAreDerivedOnce() {
        // 40 levels of diamonds would be 2^40 visits without memoization.
        Component level = Component.of("leaf");
        for (int i = 0; i < 40; i++) {
            level = Component.builder("level" + i).input(level).input(level).build();
        }
        assertEquals(64, key(level).hex().length());
    }

    @Test
    void unencodableInputNamesTheInputAndPlace() {
        Component c = Component.builder("t")
                .input(Component.Input.value("xs", List.of(1, 2, 3, Thread.currentThread()))).build();
        CellarException e = assertThrows(CellarException.class, () -> deriver.derive(c));
        assertEquals("element [3] of input xs: java.lang.Thread has no canonical encoding", e.getMessage());
    }

    @Test
    void codeNormalizationIgnoresTrailingWhitespaceOnly() {
        assertEquals("a\n  b\n\nc", HashKeyDeriver.normalizeCode("a  \r\n  b\t\n \n c".replace(" c", "c") + "\n\n  \n"));
        assertEquals("", HashKeyDeriver.normalizeCode(" \n\t\n"));
        assertEquals("  x", HashKeyDeriver.normalizeCode("  x"));
        Key plain = key(Component.builder("t").code("body", "int x = 1;\nx++;").build());
        Key noisy = key(Component.builder("t").code("body", "int x = 1;   \r\nx++;\t\n\n\n").build());
        Key changed = key(Component.builder("t").code("body", "int x = 1;\n x++;").build());
        assertEquals(plain, noisy);
        assertNotEquals(plain, changed);
    }

    @Test
    void pathInputsEnterByFileContent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        java.util.function.Supplier<Derivation> derive = () -> deriver.derive(
                Component.builder("t").input(Component.Input.value("data.csv", f)).build());
        Derivation d1 = derive.get();
        Ingredient file = d1.ingredients().get(3);
        assertEquals("file", file.kind());
        assertEquals("file data.csv", file.name());
        assertEquals(ValueDigest.file(f), file.digest());
        assertTrue(file.display().startsWith(f.toString()), file.display());
        assertEquals(d1.key(), derive.get().key());
        java.nio.file.Files.writeString(f, "a,b\n1,3\n");
        assertNotEquals(d1.key(), derive.get().key());
        java.nio.file.Path missing = dir.resolve("missing.csv");
        CellarException e = assertThrows(CellarException.class, () -> deriver.derive(
                Component.builder("t").input(Component.Input.value("m", missing)).build()));
        assertTrue(e.getMessage().contains("missing.csv"), e.getMessage());
    }

    @Test
    void inputKindsAndOrderMatter() {
        Component up = Component.of("up");
        Key upKey = key(up);
        Key byComponent = key(Component.builder("t").input(Component.Input.of("x", up)).build());
        Key byProvenance = key(Component.builder("t").input(Component.Input.key("x", upKey)).build());
        // The same upstream result enters the same way whether named by component or by provenance.
        assertEquals(byComponent, byProvenance);
        Key byValue = key(Component.builder("t").input(Component.Input.value("x", upKey.hex())).build());
        assertNotEquals(byComponent, byValue);
        Key ab = key(Component.builder("t").input(Component.Input.value("a", 1))
                .input(Component.Input.value("b", 2)).build());
        Key ba = key(Component.builder("t").input(Component.Input.value("b", 2))
                .input(Component.Input.value("a", 1)).build());
        assertNotEquals(ab, ba);
        Key nullInput = key(Component.builder("t").input(Component.Input.value("a", null)).build());
        assertNotEquals(nullInput, key(Component.of("t")));
    }
}
