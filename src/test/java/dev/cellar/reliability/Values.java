package dev.cellar.reliability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Self-verifying values for reliability tests: everything about a value follows from its label (the
 * name the test stores it under), and each value carries a SHA-256 digest of that label, so a value
 * returned under the wrong key, a torn value or a flipped bit is detected by {@link #same}.
 * Kinds cover every codec path: Arrow arrays (inline and blob-sized), String[], tables, JSON maps.
 */
public final class Values {
    public static final int KINDS = 5;

    private Values() {}

    public static String digest(String label) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(label.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The value of {@code label}: kind {@code kind % KINDS} (0 double[], 1 String[], 2 JSON map,
     * 3 table, 4 long[]), with about {@code n} elements.
     */
    public static Object of(String label, int kind, int n) {
        String d = digest(label);
        long seed = Long.parseUnsignedLong(d.substring(0, 15), 16);
        SplittableRandom r = new SplittableRandom(seed);
        n = Math.max(1, n);
        switch (Math.floorMod(kind, KINDS)) {
            case 0 -> {
                double[] xs = new double[n];
                xs[0] = seed; // label-dependent: a value under the wrong key differs here first
                for (int i = 1; i < n; i++) xs[i] = r.nextDouble();
                return xs;
            }
            case 1 -> {
                String[] s = new String[Math.min(n, 5000)];
                s[0] = d;
                for (int i = 1; i < s.length; i++) s[i] = i % 17 == 0 ? null : label + "#" + r.nextInt(1_000_000);
                return s;
            }
            case 2 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", label);
                m.put("digest", d);
                List<Object> xs = new ArrayList<>();
                for (int i = 0; i < Math.min(n, 2000); i++) xs.add(r.nextLong());
                m.put("xs", xs);
                m.put("nested", Map.of("ok", true, "score", r.nextDouble()));
                return m;
            }
            case 3 -> {
                int rows = Math.min(n, 50_000);
                long[] id = new long[rows];
                double[] x = new double[rows];
                String[] name = new String[rows];
                for (int i = 0; i < rows; i++) {
                    id[i] = i == 0 ? seed : r.nextLong();
                    x[i] = r.nextDouble();
                    name[i] = i == 0 ? d : "r" + r.nextInt(1000);
                }
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("id", id);
                t.put("x", x);
                t.put("name", name);
                return t;
            }
            default -> {
                long[] xs = new long[n];
                xs[0] = seed;
                for (int i = 1; i < n; i++) xs[i] = r.nextLong();
                return xs;
            }
        }
    }

    /** Deep equality for the values above (arrays by content, maps and lists by element). */
    public static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getClass().isArray() || b.getClass().isArray()) {
            return a.getClass() == b.getClass() && Arrays.deepEquals(new Object[] {a}, new Object[] {b});
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Object k : ma.keySet()) {
                if (!same(ma.get(k), mb.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** A short description for failure messages. */
    public static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v.getClass().isArray()) {
            return v.getClass().getSimpleName() + "[" + java.lang.reflect.Array.getLength(v) + "]";
        }
        return v.getClass().getSimpleName() + (v instanceof Map<?, ?> m ? m.keySet().toString() : "");
    }
}
