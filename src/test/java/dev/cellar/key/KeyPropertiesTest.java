package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cellar.CellarException;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Stability and sensitivity of keys over generated components. */
class KeyPropertiesTest {
    private static final HashKeyDeriver DERIVER = new HashKeyDeriver();

    private static Key key(Component c) {
        return DERIVER.derive(c).key();
    }

    private static Key keyWithParams(Parameters p) {
        return key(Component.builder("cell").version("1").parameters(p).code("body", "run();").build());
    }

    // ---- generators -------------------------------------------------------------------------------

    @Provide
    Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().withSpecialValue(-0.0).withSpecialValue(Double.NaN).map(d -> (Object) d),
                Arbitraries.floats().map(f -> (Object) f),
                Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.shorts().map(s -> (Object) s),
                Arbitraries.chars().map(c -> (Object) c));
    }

    @Provide
    Arbitrary<Object> values() {
        // Bounded depth: an unbounded recursive generator explodes in size.
        return Arbitraries.recursive(() -> Arbitraries.oneOf(scalars(), doubleArrays()), inner -> Arbitraries.oneOf(
                inner,
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                inner.set().ofMaxSize(4).map(s -> (Object) s),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(4), inner).ofMaxSize(4)
                        .map(m -> (Object) m)), 0, 2);
    }

    /** What {@link Parameters} accepts: no sets, and nested maps with non-empty plain names. */
    @Provide
    Arbitrary<Object> paramValues() {
        return Arbitraries.recursive(() -> Arbitraries.oneOf(scalars(), doubleArrays()), inner -> Arbitraries.oneOf(
                inner,
                inner.list().ofMaxSize(3).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(3), inner).ofMaxSize(3)
                        .map(m -> (Object) m)), 0, 2);
    }

    @Provide
    Arbitrary<Object> doubleArrays() {
        // Sizes on both sides of the in-place digest threshold.
        return Arbitraries.doubles().array(double[].class).ofMinSize(0).ofMaxSize(700).map(a -> (Object) a);
    }

    @Provide
    Arbitrary<Map<String, Object>> paramMaps() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3)
                .list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join(".", parts));
        return Arbitraries.maps(names, paramValues()).ofMinSize(1).ofMaxSize(6)
                .filter(KeyPropertiesTest::noPathIsAPrefixOfAnother);
    }

    private static boolean noPathIsAPrefixOfAnother(Map<String, Object> m) {
        for (String a : m.keySet()) {
            for (String b : m.keySet()) {
                if (!a.equals(b) && b.startsWith(a + ".")) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- stability --------------------------------------------------------------------------------

    @Property(tries = 100)
    void keyIgnoresParameterInsertionOrder(@ForAll("paramMaps") Map<String, Object> params,
            @ForAll Random random) {
        List<String> names = new ArrayList<>(params.keySet());
        Parameters a = build(params, names);
        Collections.shuffle(names, random);
        Parameters b = build(params, names);
        assertEquals(keyWithParams(a), keyWithParams(b));
    }

    @Property(tries = 200)
    void keyIgnoresMapAndSetIterationOrder(@ForAll("values") Object value, @ForAll Random random) {
        Object reordered = reorder(value, random);
        Component a = Component.builder("t").input(Component.Input.value("v", value)).build();
        Component b = Component.builder("t").input(Component.Input.value("v", reordered)).build();
        assertEquals(key(a), key(b));
        assertEquals(ValueDigest.of(value), ValueDigest.of(reordered));
    }

    /** A deep copy whose maps and sets iterate in a shuffled order, in other collection classes. */
    private static Object reorder(Object v, Random random) {
        if (v instanceof List<?> l) {
            return l.stream().map(e -> reorder(e, random)).collect(Collectors.toCollection(ArrayList::new));
        }
        if (v instanceof Set<?> s) {
            List<Object> items = s.stream().map(e -> reorder(e, random)).collect(Collectors.toList());
            Collections.shuffle(items, random);
            return new LinkedHashSet<>(items);
        }
        if (v instanceof Map<?, ?> m) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            Collections.shuffle(entries, random);
            Map<Object, Object> out = random.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
            for (Map.Entry<?, ?> e : entries) {
                out.put(e.getKey(), reorder(e.getValue(), random));
            }
            return out;
        }
        if (v instanceof double[] a) {
            return a.clone();
        }
        return v;
    }

    @Property(tries = 100)
    void trailingWhitespaceAndBlankLinesDoNotChangeTheKey(
            @ForAll @Size(min = 1, max = 8) List<@StringLength(max = 20) String> lines, @ForAll Random random) {
        List<String> clean = lines.stream().map(l -> l.replaceAll("[\\s\\p{Z}]", "x"))
                .collect(Collectors.toList());
        StringBuilder noisy = new StringBuilder();
        for (String l : clean) {
            noisy.append(l).append(" \t".substring(0, random.nextInt(3))).append(random.nextBoolean() ? "\r\n" : "\n");
        }
        noisy.append("\n  \n\t");
        Key a = key(Component.builder("t").code("body", String.join("\n", clean)).build());
        Key b = key(Component.builder("t").code("body", noisy.toString()).build());
        assertEquals(a, b);
    }

    // ---- sensitivity ------------------------------------------------------------------------------

    @Property(tries = 100)
    void changingAnyParameterValueChangesTheKey(@ForAll("paramMaps") Map<String, Object> params,
            @ForAll("paramValues") Object replacement, @ForAll @IntRange(min = 0, max = 5) int which) {
        List<String> names = new ArrayList<>(params.keySet());
        String name = names.get(which % names.size());
        Assume.that(!Arrays.equals(Canonical.bytes(params.get(name), "old"), Canonical.bytes(replacement, "new")));
        Map<String, Object> changed = new LinkedHashMap<>(params);
        changed.put(name, replacement);
        assertNotEquals(keyWithParams(build(params, names)), keyWithParams(build(changed, names)));
    }

    @Property(tries = 200)
    void numericTypeIsPartOfTheKey(@ForAll int n) {
        Set<Key> keys = new HashSet<>();
        for (Object v : List.of(n, (long) n, (double) n, (float) n)) {
            keys.add(keyWithParams(Parameters.of("x", v)));
        }
        assertEquals(4, keys.size());
    }

    @Property(tries = 100)
    void changingAnyArrayElementChangesTheKey(@ForAll @Size(min = 1, max = 3000) double[] xs,
            @ForAll @IntRange(min = 0, max = 2999) int index, @ForAll double newValue) {
        int i = index % xs.length;
        Assume.that(Double.doubleToRawLongBits(xs[i]) != Double.doubleToRawLongBits(newValue));
        double[] ys = xs.clone();
        ys[i] = newValue;
        Key a = key(Component.builder("t").input(Component.Input.value("xs", xs)).build());
        Key b = key(Component.builder("t").input(Component.Input.value("xs", ys)).build());
        assertNotEquals(a, b);
        assertNotEquals(ValueDigest.of(xs), ValueDigest.of(ys));
        assertNotEquals(ValueDigest.of(List.of(xs)), ValueDigest.of(List.of(ys)));
    }

    @Property(tries = 100)
    void changingAnyCodeLineChangesTheKey(
            @ForAll @Size(min = 1, max = 8) List<@StringLength(max = 20) String> lines,
            @ForAll @IntRange(min = 0, max = 7) int which, @ForAll char inserted) {
        Assume.that(!Character.isWhitespace(inserted));
        int i = which % lines.size();
        List<String> changed = new ArrayList<>(lines);
        changed.set(i, inserted + lines.get(i));
        Key a = key(Component.builder("t").code("body", String.join("\n", lines)).build());
        Key b = key(Component.builder("t").code("body", String.join("\n", changed)).build());
        assertNotEquals(a, b);
    }

    @Property(tries = 100)
    void changingTheVersionOrTypeChangesTheKey(@ForAll @StringLength(max = 10) String v1,
            @ForAll @StringLength(max = 10) String v2) {
        Assume.that(!v1.equals(v2));
        assertNotEquals(key(Component.builder("t").version(v1).build()),
                key(Component.builder("t").version(v2).build()));
        Assume.that(!v1.isBlank() && !v2.isBlank());
        assertNotEquals(key(Component.of(v1)), key(Component.of(v2)));
    }

    @Property(tries = 100)
    void changingAnUpstreamParameterChangesTheDownstreamKey(@ForAll("scalars") Object a,
            @ForAll("scalars") Object b, @ForAll @IntRange(min = 1, max = 5) int depth) {
        Assume.that(!Arrays.equals(Canonical.bytes(a, "a"), Canonical.bytes(b, "b")));
        assertNotEquals(key(chain(a, depth)), key(chain(b, depth)));
        assertEquals(key(chain(a, depth)), key(chain(a, depth)));
    }

    private static Component chain(Object leafParam, int depth) {
        Component c = Component.of("leaf", Parameters.of("p", leafParam));
        for (int i = 0; i < depth; i++) {
            c = Component.builder("step" + i).input(c).build();
        }
        return c;
    }

    // ---- refusals ---------------------------------------------------------------------------------

    @Property(tries = 50)
    void cyclesAreRefusedAndNamed(@ForAll @IntRange(min = 1, max = 8) int length,
            @ForAll @IntRange(min = 0, max = 3) int lead) {
        List<Component> ring = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            ring.add(Component.of("c" + i));
        }
        for (int i = 0; i < length; i++) {
            ring.get(i).addInput(ring.get((i + 1) % length));
        }
        Component top = ring.get(0);
        for (int i = 0; i < lead; i++) {
            top = Component.builder("lead" + i).input(top).build();
        }
        Component start = top;
        CellarException e = assertThrows(CellarException.class, () -> DERIVER.derive(start));
        String cycle = ring.stream().map(Component::type).collect(Collectors.joining(" -> ")) + " -> c0";
        assertEquals("cycle in component inputs: " + cycle, e.getMessage());
    }

    @Property(tries = 50)
    void unencodableValuesAreNamedWhereTheyAre(@ForAll @IntRange(min = 0, max = 6) int index,
            @ForAll @IntRange(min = 0, max = 3) int depth) {
        List<Object> xs = new ArrayList<>(Collections.nCopies(7, (Object) 1.0));
        xs.set(index, new Thread());
        Object value = xs;
        for (int d = 0; d < depth; d++) {
            value = new TreeMap<>(Map.of("k" + d, value));
        }
        Component c = Component.builder("t").input(Component.Input.value("xs", value)).build();
        CellarException e = assertThrows(CellarException.class, () -> DERIVER.derive(c));
        assertEquals(expected(index, depth), e.getMessage());
    }

    private static String expected(int index, int depth) {
        StringBuilder sb = new StringBuilder("element [" + index + "] of ");
        for (int d = 0; d < depth; d++) {
            sb.append("the value for key \"k").append(d).append("\" of ");
        }
        return sb.append("input xs: java.lang.Thread has no canonical encoding").toString();
    }

    private static Parameters build(Map<String, Object> params, List<String> order) {
        Parameters p = Parameters.empty();
        for (String name : order) {
            p = p.with(name, params.get(name));
        }
        return p;
    }
}
