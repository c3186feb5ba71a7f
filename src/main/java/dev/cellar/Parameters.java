package dev.cellar;

import dev.cellar.codec.json.JsonValues;
import dev.cellar.key.ParameterTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable, hierarchical set of named parameters: the analogue of NeuroTools' ParameterSet.
 *
 * <p>Names may be dotted paths ({@code "stim.rate"}), which address nested parameter sets. Values are
 * booleans, numbers (kept with their exact boxed type: {@code 1}, {@code 1L} and {@code 1.0} differ),
 * characters, strings, enums, primitive arrays, strings arrays, lists, and nested sets. Iteration
 * order is sorted by name, so two sets built in different orders are equal and encode identically.
 */
public final class Parameters implements ParameterTree {
    private static final Parameters EMPTY = new Parameters(new TreeMap<>());

    private final SortedMap<String, Object> values;

    private Parameters(SortedMap<String, Object> values) {
        this.values = Collections.unmodifiableSortedMap(values);
    }

    public static Parameters empty() {
        return EMPTY;
    }

    /**
     * Builds a set from alternating names and values: {@code Parameters.of("rate", 10.0, "n", 100)}.
     *
     * @throws IllegalArgumentException on an odd argument count, a non-string or repeated name, a
     *     null value, or a value of an unsupported type
     */
    public static Parameters of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "parameters come in name, value pairs; got " + namesAndValues.length + " arguments");
        }
        Parameters p = EMPTY;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("parameter name at position " + i + " is not a String: "
                        + namesAndValues[i]);
            }
            if (p.find(name).isPresent()) {
                throw new IllegalArgumentException("parameter '" + name + "' given twice");
            }
            p = p.with(name, namesAndValues[i + 1]);
        }
        return p;
    }

    /** Builds a set from a map whose values may themselves be maps (nested sets). */
    public static Parameters fromMap(Map<String, ?> map) {
        Parameters p = EMPTY;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            p = p.with(e.getKey(), e.getValue());
        }
        return p;
    }

    /**
     * Reads a JSON object file. Integers become {@code Long}, other numbers {@code Double}.
     *
     * @throws CellarException if the file cannot be read or is not a JSON object
     */
    public static Parameters fromJson(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new CellarException("cannot read parameter file " + file + ": " + e.getMessage(), e);
        }
    }

    /** @throws CellarException if {@code json} is not a JSON object */
    public static Parameters fromJson(String json) {
        Object tree = JsonValues.parse(json);
        if (!(tree instanceof Map<?, ?> map)) {
            throw new CellarException("parameter JSON must be an object, got " + JsonValues.kind(tree));
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> m = (Map<String, ?>) map;
        return fromMap(m);
    }

    /** A copy with {@code path} set to {@code value} (replacing any previous value). */
    public Parameters with(String path, Object value) {
        checkName(path);
        Objects.requireNonNull(value, () -> "parameter '" + path + "' is null; parameters cannot be null");
        int dot = path.indexOf('.');
        TreeMap<String, Object> copy = new TreeMap<>(values);
        if (dot < 0) {
            copy.put(path, normalize(path, value));
        } else {
            String head = path.substring(0, dot);
            Object child = values.get(head);
            Parameters nested = child instanceof Parameters ps ? ps : EMPTY;
            copy.put(head, nested.with(path.substring(dot + 1), value));
        }
        return new Parameters(copy);
    }

    /** The value at a dotted path, if any. */
    public Optional<Object> find(String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return Optional.ofNullable(values.get(path));
        }
        Object child = values.get(path.substring(0, dot));
        return child instanceof Parameters ps ? ps.find(path.substring(dot + 1)) : Optional.empty();
    }

    /** @throws NoSuchElementException if there is no value at {@code path} */
    public Object get(String path) {
        return find(path).orElseThrow(() -> new NoSuchElementException("no parameter '" + path + "'"));
    }

    /** @throws NoSuchElementException if absent; @throws ClassCastException if not a number */
    public double getDouble(String path) {
        return as(path, Number.class).doubleValue();
    }

    public long getLong(String path) {
        return as(path, Number.class).longValue();
    }

    public int getInt(String path) {
        return Math.toIntExact(getLong(path));
    }

    public boolean getBoolean(String path) {
        return as(path, Boolean.class);
    }

    public String getString(String path) {
        return as(path, String.class);
    }

    public Parameters getParameters(String path) {
        return as(path, Parameters.class);
    }

    private <T> T as(String path, Class<T> type) {
        Object v = get(path);
        if (!type.isInstance(v)) {
            throw new ClassCastException("parameter '" + path + "' is a " + v.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    /** Top-level names and values, sorted by name; nested sets appear as {@link Parameters}. */
    @Override
    public SortedMap<String, Object> asMap() {
        return values;
    }

    /** Every leaf as a dotted path, sorted. */
    public SortedMap<String, Object> flatten() {
        TreeMap<String, Object> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (v instanceof Parameters ps) {
                ps.flatten().forEach((k2, v2) -> out.put(k + "." + k2, v2));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static void checkName(String path) {
        if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException("bad parameter name '" + path + "'");
        }
    }

    private static Object normalize(String name, Object value) {
        if (value instanceof Map<?, ?> m) {
            Parameters p = EMPTY;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new IllegalArgumentException("parameter '" + name + "' has a non-string key " + e.getKey());
                }
                p = p.with(k, e.getValue());
            }
            return p;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                Objects.requireNonNull(o, () -> "parameter '" + name + "' contains null");
                out.add(normalize(name, o));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Parameters || value instanceof Boolean || value instanceof Character
                || value instanceof String || value instanceof Enum<?>
                || value instanceof Byte || value instanceof Short || value instanceof Integer
                || value instanceof Long || value instanceof Float || value instanceof Double
                || value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal) {
            return value;
        }
        if (value.getClass().isArray()) {
            if (value instanceof Object[] arr && !(value instanceof String[])) {
                return normalize(name, List.of(arr));
            }
            return cloneArray(value);
        }
        if (value instanceof Record) {
            return value; // records of supported values encode canonically by component
        }
        throw new IllegalArgumentException("parameter '" + name + "' has type " + value.getClass().getName()
                + ", which has no canonical encoding; use a number, string, boolean, enum, array, list, map"
                + " or record of those");
    }

    private static Object cloneArray(Object a) {
        if (a instanceof double[] x) return x.clone();
        if (a instanceof float[] x) return x.clone();
        if (a instanceof long[] x) return x.clone();
        if (a instanceof int[] x) return x.clone();
        if (a instanceof short[] x) return x.clone();
        if (a instanceof byte[] x) return x.clone();
        if (a instanceof char[] x) return x.clone();
        if (a instanceof boolean[] x) return x.clone();
        if (a instanceof String[] x) return x.clone();
        throw new IllegalArgumentException("unsupported array " + a.getClass());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Parameters p) || p.values.size() != values.size()) {
            return false;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!java.util.Objects.deepEquals(e.getValue(), p.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            h += e.getKey().hashCode() ^ java.util.Arrays.deepHashCode(new Object[] {e.getValue()});
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        flatten().forEach((k, v) -> {
            if (sb.length() > 1) sb.append(", ");
            sb.append(k).append('=').append(v.getClass().isArray() ? arrayString(v) : v);
        });
        return sb.append('}').toString();
    }

    private static String arrayString(Object a) {
        String s = java.util.Arrays.deepToString(new Object[] {a});
        return s.substring(1, s.length() - 1);
    }
}
