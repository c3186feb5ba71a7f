package dev.cellar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.key.Ingredient;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhyTest {
    private static Ingredient param(String n, String v) {
        return new Ingredient("param", "param " + n, v, "", "d" + v);
    }

    @Test
    void namesTheChangedParameterWithBothValues() {
        List<Why.Change> c = Why.compare(List.of(param("rate", "10.0"), param("n", "5")),
                List.of(param("rate", "12.0"), param("n", "5")));
        assertEquals(1, c.size());
        assertEquals("parameter rate: 10.0 → 12.0", c.get(0).sentence());
    }

    @Test
    void showsALineDiffForChangedCode() {
        Ingredient a = new Ingredient("code", "code method simulate(double,int)", "double[] simulate(", "double[] simulate(double r, int n) {\n  return gen(r, n);\n}", "a");
        Ingredient b = new Ingredient("code", "code method simulate(double,int)", "double[] simulate(", "double[] simulate(double r, int n) {\n  return gen(2 * r, n);\n}", "b");
        Why.Change c = Why.compare(List.of(a), List.of(b)).get(0);
        assertEquals("method simulate(double,int) changed", c.sentence());
        assertEquals("+ " + "  return gen(2 * r, n);\n- " + "  return gen(r, n);", c.diff());
    }

    @Test
    void reportsUpstreamKeysAddedAndRemovedIngredients() {
        Ingredient up1 = new Ingredient("input", "input spikes", "key 9ab661d9", "", "k1");
        Ingredient up2 = new Ingredient("input", "input spikes", "key 4c1e02aa", "", "k2");
        List<Why.Change> c = Why.compare(List.of(up1, param("old", "1")), List.of(up2, param("new", "2")));
        assertEquals(List.of("upstream spikes: key 9ab661d9 → key 4c1e02aa", "parameter new added: 2",
                "parameter old removed (was 1)"), c.stream().map(Why.Change::sentence).toList());
        assertTrue(Why.render(List.of()).contains("nothing changed"));
    }
}
