package dev.cellar.reliability;

import static dev.cellar.Cached.params;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.rocksdb.RocksDataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the Cellar-level golden store kept in
 * {@code src/test/resources/dev/cellar/reliability/golden-cellar-1} (entry format 1, store format 1):
 * {@code java -cp target/test-classes:target/classes:<deps> dev.cellar.reliability.GoldenCellar DIR}.
 * Run it only when a format version is bumped, into a new directory named after the new version; the
 * old fixtures stay and must stay readable ({@link GoldenCellarTest}). The values are explicit, so the
 * test compares them exactly.
 */
public final class GoldenCellar {
    private GoldenCellar() {}

    static double[] doubles(int n) {
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i * 0.5 - 3;
        }
        xs[n - 1] = Double.NaN;
        xs[n - 2] = Double.NEGATIVE_INFINITY;
        xs[n - 3] = -0.0;
        return xs;
    }

    static String[] strings() {
        return new String[] {"alpha", "", null, "ünïcødé ✓", "line\nbreak", "x".repeat(300)};
    }

    static Map<String, Object> map() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "golden");
        m.put("count", 42);
        m.put("big", 1L << 40);
        m.put("ratio", 0.25);
        m.put("flag", true);
        m.put("list", List.of(1, 2, 3));
        m.put("nested", Map.of("a", "b", "xs", List.of("p", "q")));
        return m;
    }

    static Map<String, Object> table() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", new long[] {1, 2, 3, 4});
        t.put("score", new double[] {0.5, 1.5, Double.NaN, -2});
        t.put("label", new String[] {"a", null, "c", "d"});
        t.put("ok", new boolean[] {true, false, true, true});
        return t;
    }

    /** What the fixture holds: component, and its value. */
    static Map<Component, Object> entries() {
        Map<Component, Object> m = new LinkedHashMap<>();
        m.put(Component.of("golden-doubles", params("n", 1000)), doubles(1000));
        m.put(Component.of("golden-doubles", params("n", 20_000)), doubles(20_000)); // a blob file
        m.put(Component.of("golden-strings"), strings());
        m.put(Component.of("golden-map", params("kind", "json")), map());
        m.put(Component.builder("golden-table").version("2").parameters(params("rows", 4)).build(), table());
        return m;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        try (Cellar cellar = Cellar.builder().store(RocksDataStore.open(dir, StoreOptions.defaults())).build()) {
            for (Map.Entry<Component, Object> e : entries().entrySet()) {
                cellar.cached(e.getKey(), e::getValue);
            }
            cellar.store(Component.of("golden-model", params("k", 3)), "weights", new long[] {7, 8, 9});
        }
        // only what a store needs: no lock, log or temp files (they are recreated)
        List<Path> extra = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> p.getFileName().toString().matches("lock|LOCK|LOG.*|tmp")).forEach(extra::add);
        }
        for (Path p : extra) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        }
    }
}
