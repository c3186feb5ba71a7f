package dev.cellar.codec.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellar.CodecException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Java values to cellar's explicitly tagged JSON tree: every value is {@code {"t": tag, "v": ...}}
 * (records and enums add {@code "c"}: the class name), so each element decodes back to its exact
 * type. Unordered collections are written sorted (map keys, set elements by their JSON text) so that
 * equal values give equal bytes. The tags are the whole format: nothing here asks Jackson to record
 * or resolve types.
 */
final class TaggedWriter {
    static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

    private final int maxDepth;
    /** Where we are, outermost first, for error messages; rendered only on error. */
    private final Deque<Step> path = new ArrayDeque<>();

    private record Step(String kind, Object detail, Object container) {
        @Override
        public String toString() {
            return switch (kind) {
                case "element" -> "element " + detail + " of " + container;
                case "key" -> "a key of Map";
                case "value" -> "value for key " + abbreviate(detail) + " of Map";
                case "component" -> "component " + detail + " of " + ((Class<?>) container).getName();
                case "field" -> "field " + detail + " of " + ((Class<?>) container).getName();
                default -> "value of Optional";
            };
        }
    }

    TaggedWriter(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** The tag of a value's top level, used as the codec descriptor. */
    static String describe(Object v) {
        if (v instanceof Enum<?> e) return "enum " + e.getDeclaringClass().getName();
        if (v != null && v.getClass().isRecord()) return "record " + v.getClass().getName();
        return null;
    }

    JsonNode write(Object v) {
        if (path.size() > maxDepth) {
            throw new CodecException(where() + "nesting deeper than " + maxDepth + " levels (a value that contains itself?)");
        }
        if (v == null) return F.nullNode();
        if (v instanceof Boolean b) return tagged("bool", F.booleanNode(b));
        if (v instanceof Byte b) return tagged("i8", F.numberNode(b.byteValue()));
        if (v instanceof Short s) return tagged("i16", F.numberNode(s.shortValue()));
        if (v instanceof Character c) return tagged("char", F.numberNode((int) c));
        if (v instanceof Integer i) return tagged("i32", F.numberNode(i.intValue()));
        if (v instanceof Long l) return tagged("i64", F.numberNode(l.longValue()));
        if (v instanceof Float f) return tagged("f32", F.textNode(floatText(f)));
        if (v instanceof Double d) return tagged("f64", F.textNode(doubleText(d)));
        if (v instanceof BigInteger b) return tagged("bigint", F.textNode(b.toString()));
        if (v instanceof BigDecimal b) return tagged("bigdec", F.textNode(b.toString()));
        if (v instanceof String s) return string(s);
        if (v instanceof Enum<?> e) {
            ObjectNode n = tagged("enum", F.textNode(e.name()));
            n.put("c", e.getDeclaringClass().getName());
            return n;
        }
        if (v instanceof Optional<?> o) {
            ObjectNode n = F.objectNode();
            n.put("t", "opt");
            if (o.isPresent()) n.set("v", nested("optional", null, null, o.get()));
            return n;
        }
        Class<?> c = v.getClass();
        if (c.isRecord()) return record(v, c);
        if (c.isArray()) return array(v, c);
        if (PlainObjects.isNotebookClass(c)) return object(v, c);
        if (v instanceof Map<?, ?> m) return map(m);
        if (v instanceof List<?> l) return list("list", l, false);
        if (v instanceof Set<?> s) {
            if (s instanceof SortedSet<?> ss && ss.comparator() == null) return list("sortedset", s, false);
            if (s instanceof LinkedHashSet<?>) return list("linkedset", s, false);
            return list("set", s, true);
        }
        throw new CodecException(where() + c.getTypeName() + " has no codec");
    }

    private String where() {
        if (path.isEmpty()) return "";
        List<String> inner = new ArrayList<>();
        for (Step s : path) inner.add(s.toString());
        java.util.Collections.reverse(inner);
        return String.join(", in ", inner) + ": ";
    }

    private JsonNode nested(String kind, Object detail, Object container, Object v) {
        path.addLast(new Step(kind, detail, container));
        try {
            return write(v);
        } finally {
            path.removeLast();
        }
    }

    private static ObjectNode tagged(String tag, JsonNode value) {
        ObjectNode n = F.objectNode();
        n.put("t", tag);
        n.set("v", value);
        return n;
    }

    /** Exact text: shortest round-trip decimal, or the raw bits of a non-canonical NaN. */
    static String doubleText(double d) {
        if (Double.isNaN(d) && Double.doubleToRawLongBits(d) != Double.doubleToRawLongBits(Double.NaN)) {
            return "NaN:" + Long.toHexString(Double.doubleToRawLongBits(d));
        }
        return Double.toString(d);
    }

    static String floatText(float f) {
        if (Float.isNaN(f) && Float.floatToRawIntBits(f) != Float.floatToRawIntBits(Float.NaN)) {
            return "NaN:" + Integer.toHexString(Float.floatToRawIntBits(f));
        }
        return Float.toString(f);
    }

    /** JSON text cannot carry an unpaired surrogate through UTF-8, so such strings go as UTF-16 units. */
    private static JsonNode string(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                ArrayNode units = F.arrayNode(s.length());
                for (int j = 0; j < s.length(); j++) units.add((int) s.charAt(j));
                return tagged("utf16", units);
            }
        }
        return tagged("str", F.textNode(s));
    }

    private JsonNode record(Object v, Class<?> c) {
        TreeMap<String, JsonNode> fields = new TreeMap<>();
        for (RecordComponent rc : c.getRecordComponents()) {
            Method accessor = rc.getAccessor();
            accessor.trySetAccessible();
            Object value;
            try {
                value = accessor.invoke(v);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new CodecException(where() + "cannot read component " + rc.getName() + " of " + c.getName() + ": " + e, e);
            }
            Class<?> restored = restoredClass(value);
            Class<?> declared = rc.getType().isPrimitive() ? TaggedReader.box(rc.getType()) : rc.getType();
            if (restored != null && !declared.isAssignableFrom(restored)) {
                // refuse now rather than store an entry that can never be decoded into this record
                throw new CodecException(where() + "component " + rc.getName() + " of " + c.getName() + " is declared "
                        + rc.getType().getTypeName() + ", but a " + value.getClass().getTypeName()
                        + " is restored as " + restored.getTypeName());
            }
            fields.put(rc.getName(), nested("component", rc.getName(), c, value));
        }
        ObjectNode body = F.objectNode();
        fields.forEach(body::set);
        ObjectNode n = tagged("record", body);
        n.put("c", c.getName());
        return n;
    }

    /** A notebook class's instance by its fields; decoding sets them again without running a constructor. */
    private JsonNode object(Object v, Class<?> c) {
        ObjectNode body = F.objectNode();
        for (var e : PlainObjects.fields(c).entrySet()) {
            Object value;
            try {
                value = e.getValue().get(v);
            } catch (IllegalAccessException ex) {
                throw new CodecException(where() + "cannot read field " + e.getKey() + " of " + c.getName() + ": " + ex, ex);
            }
            Class<?> restored = restoredClass(value);
            Class<?> type = e.getValue().getType();
            Class<?> declared = type.isPrimitive() ? TaggedReader.box(type) : type;
            if (restored != null && !declared.isAssignableFrom(restored)) {
                throw new CodecException(where() + "field " + e.getKey() + " of " + c.getName() + " is declared "
                        + type.getTypeName() + ", but a " + value.getClass().getTypeName() + " is restored as "
                        + restored.getTypeName());
            }
            body.set(e.getKey(), nested("field", e.getKey(), c, value));
        }
        ObjectNode n = tagged("object", body);
        n.put("c", c.getName());
        return n;
    }

    /** The class {@link TaggedReader} rebuilds for a value (collections come back as standard ones). */
    static Class<?> restoredClass(Object v) {
        if (v == null) return null;
        if (v instanceof List) return ArrayList.class;
        if (v instanceof Set<?> s) {
            if (s instanceof SortedSet<?> ss && ss.comparator() == null) return java.util.TreeSet.class;
            return s instanceof LinkedHashSet ? LinkedHashSet.class : java.util.HashSet.class;
        }
        if (v instanceof Map<?, ?> m) {
            if (m instanceof SortedMap<?, ?> sm && sm.comparator() == null) return TreeMap.class;
            return m instanceof LinkedHashMap ? LinkedHashMap.class : java.util.HashMap.class;
        }
        return v.getClass();
    }

    private JsonNode array(Object v, Class<?> c) {
        Class<?> e = c.getComponentType();
        ArrayNode a = F.arrayNode();
        String tag = e.getName() + "[]";
        if (e == boolean.class) for (boolean x : (boolean[]) v) a.add(x);
        else if (e == byte.class) for (byte x : (byte[]) v) a.add(x);
        else if (e == short.class) for (short x : (short[]) v) a.add(x);
        else if (e == char.class) for (char x : (char[]) v) a.add((int) x);
        else if (e == int.class) for (int x : (int[]) v) a.add(x);
        else if (e == long.class) for (long x : (long[]) v) a.add(x);
        else if (e == float.class) for (float x : (float[]) v) a.add(floatText(x));
        else if (e == double.class) for (double x : (double[]) v) a.add(doubleText(x));
        else if (e == String.class) {
            tag = "String[]";
            Object[] xs = (Object[]) v;
            for (int i = 0; i < xs.length; i++) a.add(nested("element", i, "String[]", xs[i]));
        } else if (PlainObjects.isElementClass(e)) {
            Object[] xs = (Object[]) v;
            for (int i = 0; i < xs.length; i++) a.add(nested("element", i, c.getSimpleName(), xs[i]));
            ObjectNode n = tagged("array", a);
            n.put("c", e.getName());
            return n;
        } else {
            throw new CodecException(where() + c.getTypeName() + " has no codec (JSON holds primitive arrays, String[]"
                    + " and arrays of records, enums and classes declared in the notebook)");
        }
        return tagged(tag, a);
    }

    private JsonNode list(String tag, Collection<?> items, boolean sort) {
        String kind = items instanceof List ? "List" : "Set";
        List<JsonNode> nodes = new ArrayList<>(items.size());
        int i = 0;
        for (Object o : items) {
            nodes.add(nested("element", i++, kind, o));
        }
        if (sort) nodes.sort(Comparator.comparing(JsonNode::toString));
        ArrayNode a = F.arrayNode(nodes.size());
        a.addAll(nodes);
        return tagged(tag, a);
    }

    private JsonNode map(Map<?, ?> m) {
        boolean ordered = m instanceof LinkedHashMap;
        String tag = m instanceof SortedMap<?, ?> sm && sm.comparator() == null ? "sortedmap" : ordered ? "linkedmap" : "map";
        boolean stringKeys = m.keySet().stream().allMatch(k -> k instanceof String);
        List<JsonNode[]> entries = new ArrayList<>(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object k = e.getKey();
            JsonNode key = stringKeys ? F.textNode((String) k) : nested("key", null, null, k);
            JsonNode value = nested("value", k, null, e.getValue());
            entries.add(new JsonNode[] {key, value});
        }
        if (!ordered) entries.sort(Comparator.comparing(kv -> stringKeys ? kv[0].textValue() : kv[0].toString()));
        if (stringKeys) {
            ObjectNode o = F.objectNode();
            for (JsonNode[] kv : entries) o.set(kv[0].textValue(), kv[1]);
            return tagged(tag, o);
        }
        ArrayNode a = F.arrayNode(entries.size());
        for (JsonNode[] kv : entries) a.add(F.arrayNode(2).add(kv[0]).add(kv[1]));
        return tagged(tag, a);
    }

    private static String abbreviate(Object k) {
        String s = k instanceof String ? "\"" + k + "\"" : String.valueOf(k);
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
