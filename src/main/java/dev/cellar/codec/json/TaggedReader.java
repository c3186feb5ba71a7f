package dev.cellar.codec.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.CodecException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Cellar's tagged JSON tree back to Java values. Every node is checked against its tag (wrong shape,
 * out-of-range number, unknown tag: {@link CodecException} naming the place). Class names are only
 * ever resolved, without initialization, to records and enums through the caller's loader; anything
 * else is refused. Depth and the number of values are bounded.
 */
final class TaggedReader {
    /** Longest decimal text accepted for BigInteger/BigDecimal (parsing is superlinear). */
    static final int MAX_DIGITS = 10_000;
    /** What Double.toString/Float.toString produce for finite values; refuses hex and type suffixes. */
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?[0-9][0-9.E-]*");

    private final ClassLoader loader;
    private final int maxDepth;
    private long budget;

    TaggedReader(ClassLoader loader, int maxDepth, long maxBytes) {
        this.loader = loader;
        this.maxDepth = maxDepth;
        this.budget = maxBytes;
    }

    private static CodecException bad(Where at, String what) {
        return new CodecException("malformed JSON payload at " + at + ": " + what);
    }

    private void charge(long bytes, Where at) {
        budget -= bytes;
        if (budget < 0) throw new CodecException("decoding JSON at " + at + " exceeds the memory limit of this decode");
    }

    Object read(JsonNode n, Where at, int depth) {
        if (depth > maxDepth) throw bad(at, "nested deeper than " + maxDepth + " levels");
        charge(32, at);
        if (n == null || n.isMissingNode()) throw bad(at, "value missing");
        if (n.isNull()) return null;
        if (!n.isObject()) throw bad(at, "expected a tagged object, found " + n.getNodeType());
        JsonNode t = n.get("t");
        if (t == null || !t.isTextual()) throw bad(at, "no \"t\" tag");
        String tag = t.textValue();
        JsonNode v = n.get("v");
        int allowed = v == null ? 1 : 2;
        if (tag.equals("record") || tag.equals("enum") || tag.equals("object") || tag.equals("array")) allowed++;
        if (n.size() != allowed) throw bad(at, "unexpected fields for tag " + abbreviate(tag));
        if (v == null && !tag.equals("opt")) throw bad(at, "tag " + abbreviate(tag) + " without \"v\"");
        switch (tag) {
            case "bool":
                if (!v.isBoolean()) throw bad(at, "bool is not true/false");
                return v.booleanValue();
            case "i8":
                return (byte) integral(v, at, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case "i16":
                return (short) integral(v, at, Short.MIN_VALUE, Short.MAX_VALUE);
            case "char":
                return (char) integral(v, at, Character.MIN_VALUE, Character.MAX_VALUE);
            case "i32":
                return (int) integral(v, at, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "i64":
                return integral(v, at, Long.MIN_VALUE, Long.MAX_VALUE);
            case "f32":
                return parseFloat(text(v, at, 64), at);
            case "f64":
                return parseDouble(text(v, at, 64), at);
            case "bigint":
                try {
                    return new BigInteger(text(v, at, MAX_DIGITS));
                } catch (NumberFormatException e) {
                    throw bad(at, "not an integer");
                }
            case "bigdec":
                try {
                    return new BigDecimal(text(v, at, MAX_DIGITS));
                } catch (NumberFormatException e) {
                    throw bad(at, "not a decimal");
                }
            case "str": {
                String s = text(v, at, Integer.MAX_VALUE);
                charge(2L * s.length(), at);
                return s;
            }
            case "utf16":
                return utf16(v, at);
            case "opt":
                return v == null ? Optional.empty() : Optional.of(notNull(read(v, at.in("Optional", null), depth + 1), at));
            case "enum":
                return enumValue(n, v, at);
            case "record":
                return record(n, v, at, depth);
            case "object":
                return object(n, v, at, depth);
            case "array":
                return objectArray(n, v, at, depth);
            case "list":
                return collection(new ArrayList<>(), v, at, depth);
            case "set":
                return collection(new HashSet<>(), v, at, depth);
            case "linkedset":
                return collection(new LinkedHashSet<>(), v, at, depth);
            case "sortedset":
                try {
                    return collection(new TreeSet<>(), v, at, depth);
                } catch (ClassCastException e) {
                    throw bad(at, "sorted set of elements that are not mutually comparable");
                }
            case "map":
                return map(new HashMap<>(), v, at, depth);
            case "linkedmap":
                return map(new LinkedHashMap<>(), v, at, depth);
            case "sortedmap":
                try {
                    return map(new TreeMap<>(), v, at, depth);
                } catch (ClassCastException | NullPointerException e) {
                    throw bad(at, "sorted map with keys that are not mutually comparable");
                }
            default:
                if (tag.endsWith("[]")) return PrimitiveArrays.read(tag, v, at, this, depth);
                throw bad(at, "unknown tag " + abbreviate(tag));
        }
    }

    private static Object notNull(Object o, Where at) {
        if (o == null) throw bad(at, "Optional of null");
        return o;
    }

    static String abbreviate(String s) {
        return "\"" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "\"";
    }

    static long integral(JsonNode v, Where at, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw bad(at, "expected an integer, found " + v.getNodeType());
        long x = v.longValue();
        if (x < min || x > max) throw bad(at, x + " is out of range");
        return x;
    }

    static String text(JsonNode v, Where at, int maxLength) {
        if (!v.isTextual()) throw bad(at, "expected a string, found " + v.getNodeType());
        String s = v.textValue();
        if (s.length() > maxLength) throw bad(at, "text of " + s.length() + " characters is longer than " + maxLength);
        return s;
    }

    static double parseDouble(String s, Where at) {
        try {
            if (s.startsWith("NaN:")) {
                double d = Double.longBitsToDouble(Long.parseUnsignedLong(s.substring(4), 16));
                if (!Double.isNaN(d)) throw bad(at, "NaN bits that are not a NaN");
                return d;
            }
            if (!s.equals("NaN") && !s.equals("Infinity") && !s.equals("-Infinity") && !DECIMAL.matcher(s).matches()) {
                throw bad(at, "not a number: " + abbreviate(s));
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad(at, "not a number: " + abbreviate(s));
        }
    }

    static float parseFloat(String s, Where at) {
        try {
            if (s.startsWith("NaN:")) {
                float f = Float.intBitsToFloat(Integer.parseUnsignedInt(s.substring(4), 16));
                if (!Float.isNaN(f)) throw bad(at, "NaN bits that are not a NaN");
                return f;
            }
            if (!s.equals("NaN") && !s.equals("Infinity") && !s.equals("-Infinity") && !DECIMAL.matcher(s).matches()) {
                throw bad(at, "not a number: " + abbreviate(s));
            }
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw bad(at, "not a number: " + abbreviate(s));
        }
    }

    private String utf16(JsonNode v, Where at) {
        if (!v.isArray()) throw bad(at, "utf16 is not an array");
        charge(2L * v.size(), at);
        char[] cs = new char[v.size()];
        for (int i = 0; i < cs.length; i++) cs[i] = (char) integral(v.get(i), at, 0, Character.MAX_VALUE);
        return new String(cs);
    }

    private Class<?> resolve(JsonNode n, Where at) {
        JsonNode c = n.get("c");
        if (c == null || !c.isTextual()) throw bad(at, "no class name");
        String name = c.textValue();
        if (name.length() > 1000) throw bad(at, "class name too long");
        try {
            // loadClass first (a session loader may map a stored JShell wrapper name to the current one,
            // which Class.forName refuses); forName for array names, which loadClass does not resolve.
            return name.startsWith("[") ? Class.forName(name, false, loader) : loader.loadClass(name);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CodecException("class " + abbreviate(name) + " at " + at + " is not available in this session", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object enumValue(JsonNode n, JsonNode v, Where at) {
        Class<?> c = resolve(n, at);
        if (!c.isEnum()) throw new CodecException(c.getName() + " at " + at + " is not an enum class; refusing to decode into it");
        String name = text(v, at, 1000);
        try {
            return Enum.valueOf((Class) c, name);
        } catch (IllegalArgumentException e) {
            throw new CodecException(c.getName() + " has no constant " + abbreviate(name) + " (at " + at + ")");
        }
    }

    private Object record(JsonNode n, JsonNode v, Where at, int depth) {
        Class<?> c = resolve(n, at);
        if (!c.isRecord()) throw new CodecException(c.getName() + " at " + at + " is not a record class; refusing to decode into it");
        if (!v.isObject()) throw bad(at, "record body is not an object");
        RecordComponent[] components = c.getRecordComponents();
        if (v.size() != components.length) {
            throw bad(at, c.getName() + " has " + components.length + " components, stored record has " + v.size());
        }
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            Where inner = at.in(rc.getName(), null);
            JsonNode field = v.get(rc.getName());
            if (field == null) throw bad(at, "component " + rc.getName() + " of " + c.getName() + " missing");
            Object value = read(field, inner, depth + 1);
            Class<?> want = rc.getType().isPrimitive() ? box(rc.getType()) : rc.getType();
            if (value == null ? rc.getType().isPrimitive() : !want.isInstance(value)) {
                throw bad(inner, "stored " + (value == null ? "null" : value.getClass().getName())
                        + " does not fit component type " + rc.getType().getName());
            }
            args[i] = value;
        }
        try {
            Constructor<?> k = c.getDeclaredConstructor(types);
            k.trySetAccessible();
            return k.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new CodecException("constructor of " + c.getName() + " rejected the stored value at " + at + ": " + e.getCause(), e);
        } catch (ReflectiveOperationException e) {
            throw new CodecException("cannot construct " + c.getName() + " at " + at + ": " + e, e);
        }
    }

    /** A notebook class's instance: allocated without running a constructor, then its fields set. */
    private Object object(JsonNode n, JsonNode v, Where at, int depth) {
        Class<?> c = resolve(n, at);
        if (!PlainObjects.isNotebookClass(c)) {
            throw new CodecException(c.getName() + " at " + at + " is not a class declared in this notebook; refusing to decode into it");
        }
        if (!v.isObject()) throw bad(at, "object body is not an object");
        Map<String, java.lang.reflect.Field> fields = PlainObjects.fields(c);
        if (v.size() != fields.size()) {
            throw bad(at, c.getName() + " has " + fields.size() + " fields, stored object has " + v.size());
        }
        Object[] values = new Object[fields.size()];
        int i = 0;
        for (var e : fields.entrySet()) {
            Where inner = at.in(e.getKey(), null);
            JsonNode field = v.get(e.getKey());
            if (field == null) throw bad(at, "field " + e.getKey() + " of " + c.getName() + " missing");
            Object value = read(field, inner, depth + 1);
            Class<?> type = e.getValue().getType();
            Class<?> want = type.isPrimitive() ? box(type) : type;
            if (value == null ? type.isPrimitive() : !want.isInstance(value)) {
                throw bad(inner, "stored " + (value == null ? "null" : value.getClass().getName())
                        + " does not fit field type " + type.getName());
            }
            values[i++] = value;
        }
        Object o = PlainObjects.allocate(c);
        i = 0;
        for (var f : fields.values()) {
            try {
                f.set(o, values[i++]);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new CodecException("cannot set field " + f.getName() + " of " + c.getName() + " at " + at + ": " + e, e);
            }
        }
        return o;
    }

    private Object objectArray(JsonNode n, JsonNode v, Where at, int depth) {
        Class<?> e = resolve(n, at);
        if (!PlainObjects.isElementClass(e)) {
            throw new CodecException(e.getName() + " at " + at + " is not a record, enum or notebook class; refusing to decode into it");
        }
        if (!v.isArray()) throw bad(at, "array body is not an array");
        charge(8L * v.size(), at);
        Object[] out = (Object[]) java.lang.reflect.Array.newInstance(e, v.size());
        for (int i = 0; i < out.length; i++) {
            Object x = read(v.get(i), at.in("element", i), depth + 1);
            if (x != null && !e.isInstance(x)) throw bad(at.in("element", i), "stored " + x.getClass().getName() + " is not a " + e.getName());
            out[i] = x;
        }
        return out;
    }

    static Class<?> box(Class<?> p) {
        return java.lang.invoke.MethodType.methodType(p).wrap().returnType();
    }

    private Object collection(Collection<Object> out, JsonNode v, Where at, int depth) {
        if (!v.isArray()) throw bad(at, "collection is not an array");
        charge(16L * v.size(), at);
        int i = 0;
        for (JsonNode e : v) {
            Object x = read(e, at.in("element", i++), depth + 1);
            if (!out.add(x) && !(out instanceof List)) throw bad(at, "duplicate set element");
        }
        return out;
    }

    private Object map(Map<Object, Object> out, JsonNode v, Where at, int depth) {
        charge(48L * v.size(), at);
        if (v.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), read(e.getValue(), at.in("key", e.getKey()), depth + 1));
            }
            return out;
        }
        if (!v.isArray()) throw bad(at, "map is neither an object nor an array of pairs");
        int i = 0;
        for (JsonNode pair : v) {
            if (!pair.isArray() || pair.size() != 2) throw bad(at, "map entry " + i + " is not a [key, value] pair");
            Object k = read(pair.get(0), at.in("key", i), depth + 1);
            Object value = read(pair.get(1), at.in("value", i), depth + 1);
            if (out.containsKey(k)) throw bad(at, "duplicate map key at entry " + i);
            out.put(k, value);
            i++;
        }
        return out;
    }
}
