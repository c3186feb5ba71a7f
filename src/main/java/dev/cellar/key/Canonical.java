package dev.cellar.key;

import dev.cellar.CellarException;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The canonical, type-tagged encoding of values that keys are made of (format {@link
 * HashKeyDeriver#KEY_FORMAT}). Every value starts with a one-byte tag; lengths and numbers are
 * little-endian; numbers keep their type and exact bits ({@code 1}, {@code 1L}, {@code 1.0},
 * {@code 1.0f} differ, and so do {@code 0.0} and {@code -0.0}); strings are UTF-8 with their length;
 * lists keep order; sets are sorted by their elements' encodings and maps by their keys' encodings,
 * so iteration order never matters. Every encoding is self-delimiting, so concatenations are
 * unambiguous. Primitive arrays above {@link #LARGE_ARRAY_BYTES} enter by their XXH3-128 digest,
 * taken in place.
 *
 * <p>Any change to this class that changes a single output byte must bump the key format.
 */
final class Canonical {
    /** Primitive arrays with more content bytes than this are digested in place instead of copied. */
    static final int LARGE_ARRAY_BYTES = 4096;

    static final byte NULL = 0x00;
    static final byte BOOLEAN = 0x01;
    static final byte BYTE = 0x02;
    static final byte SHORT = 0x03;
    static final byte CHAR = 0x04;
    static final byte INT = 0x05;
    static final byte LONG = 0x06;
    static final byte FLOAT = 0x07;
    static final byte DOUBLE = 0x08;
    static final byte STRING = 0x09;
    /** A string holding unpaired surrogates, which UTF-8 cannot carry: its UTF-16 code units. */
    static final byte STRING_UTF16 = 0x0a;
    static final byte BIG_INTEGER = 0x0b;
    static final byte BIG_DECIMAL = 0x0c;
    static final byte ENUM = 0x0d;
    static final byte PRIMITIVE_ARRAY = 0x10;
    static final byte ARRAY = 0x11;
    static final byte LIST = 0x12;
    static final byte SET = 0x13;
    static final byte MAP = 0x14;
    static final byte RECORD = 0x15;
    static final byte PARAMETERS = 0x16;
    static final byte OPTIONAL = 0x17;
    /** An instance of a plain class declared in a JShell session: its fields by name. */
    static final byte OBJECT = 0x18;

    static final byte INLINE = 0;
    static final byte DIGESTED = 1;

    /** JShell wraps every snippet's classes in {@code REPL.$JShell$NN}, where NN changes per session. */
    private static final Pattern JSHELL_WRAPPER = Pattern.compile("^REPL\\.\\$JShell\\$\\d+[A-Z]*\\$(.+)$");

    private final Sink out;
    /** Containers on the current path, to refuse a value that contains itself; made at the first container. */
    private IdentityHashMap<Object, Boolean> open;

    private Canonical(Sink out, IdentityHashMap<Object, Boolean> open) {
        this.out = out;
        this.open = open;
    }

    /**
     * Streams the encoding of {@code value} into {@code out}.
     *
     * @param what how to name the value in an error, e.g. {@code "input xs"}
     * @throws CellarException naming the path inside the value and the type that has no encoding
     */
    static void encode(Object value, Sink out, String what) {
        if (value instanceof String s) { // as value(s) does, without an encoder per string
            string(s, out);
            return;
        }
        try {
            new Canonical(out, null).value(value);
        } catch (Unencodable e) {
            throw new CellarException(e.describe(what));
        }
    }

    /** The encoding as bytes (for small values and tests). */
    static byte[] bytes(Object value, String what) {
        Sink s = Sink.toBytes();
        encode(value, s, what);
        return s.toByteArray();
    }

    /** A class's name with JShell's per-session wrapper removed, so snippet types key the same every session. */
    static String className(Class<?> c) {
        return className(c.getName());
    }

    /** {@code REPL.$JShell$11B$P} (snippet 11, redefined once) becomes {@code P}. */
    static String className(String binaryName) {
        Matcher m = JSHELL_WRAPPER.matcher(binaryName);
        return m.matches() ? m.group(1) : binaryName;
    }

    /** The element tag of a primitive array class, or -1. */
    static byte elementCode(Class<?> arrayClass) {
        Class<?> c = arrayClass.getComponentType();
        if (c == double.class) return DOUBLE;
        if (c == float.class) return FLOAT;
        if (c == long.class) return LONG;
        if (c == int.class) return INT;
        if (c == short.class) return SHORT;
        if (c == char.class) return CHAR;
        if (c == byte.class) return BYTE;
        if (c == boolean.class) return BOOLEAN;
        return -1;
    }

    static int width(byte elementCode) {
        switch (elementCode) {
            case DOUBLE: case LONG: return 8;
            case FLOAT: case INT: return 4;
            case SHORT: case CHAR: return 2;
            default: return 1;
        }
    }

    /** True if the array is large enough to be digested in place rather than encoded inline. */
    static boolean isLarge(Object primitiveArray, byte elementCode) {
        return (long) Array.getLength(primitiveArray) * width(elementCode) > LARGE_ARRAY_BYTES;
    }

    private void value(Object v) {
        if (v == null) {
            out.put(NULL);
        } else if (v instanceof String s) {
            string(s, out);
        } else if (v instanceof Integer i) {
            out.put(INT);
            out.putInt(i);
        } else if (v instanceof Long l) {
            out.put(LONG);
            out.putLong(l);
        } else if (v instanceof Double d) {
            out.put(DOUBLE);
            out.putLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof Float f) {
            out.put(FLOAT);
            out.putInt(Float.floatToRawIntBits(f));
        } else if (v instanceof Boolean b) {
            out.put(BOOLEAN);
            out.put(b ? (byte) 1 : 0);
        } else if (v instanceof Byte b) {
            out.put(BYTE);
            out.put(b);
        } else if (v instanceof Short s) {
            out.put(SHORT);
            out.putShort(s);
        } else if (v instanceof Character c) {
            out.put(CHAR);
            out.putShort((short) c.charValue());
        } else if (v.getClass().isArray()) {
            array(v);
        } else if (v.getClass() == BigInteger.class) { // a subclass could redefine its bits
            out.put(BIG_INTEGER);
            bigInteger((BigInteger) v);
        } else if (v.getClass() == BigDecimal.class) {
            BigDecimal d = (BigDecimal) v;
            out.put(BIG_DECIMAL);
            out.putInt(d.scale());
            bigInteger(d.unscaledValue());
        } else if (v instanceof Enum<?> e) {
            out.put(ENUM);
            string(className(e.getDeclaringClass()), out);
            string(e.name(), out);
        } else if (v instanceof ParameterTree p) {
            container(p, () -> parameters(p));
        } else if (v instanceof Record r) {
            container(r, () -> record(r));
        } else if (v instanceof Optional<?> o) {
            out.put(OPTIONAL);
            if (o.isPresent()) {
                out.put((byte) 1);
                within("content", () -> value(o.get()));
            } else {
                out.put((byte) 0);
            }
        } else if (v instanceof List<?> l) {
            container(l, () -> list(l));
        } else if (v instanceof Set<?> s) {
            container(s, () -> set(s));
        } else if (v instanceof Map<?, ?> m) {
            container(m, () -> map(m));
        } else if (NotebookObjects.isNotebookClass(v.getClass())) {
            container(v, () -> object(v));
        } else {
            throw new Unencodable(className(v.getClass()) + " has no canonical encoding");
        }
    }

    private static void string(String s, Sink out) {
        if (wellFormed(s)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.put(STRING);
            out.putInt(b.length);
            out.putBytes(b);
        } else {
            // UTF-8 would turn a lone surrogate into '?', making two different strings equal.
            out.put(STRING_UTF16);
            out.putInt(s.length());
            for (int i = 0; i < s.length(); i++) {
                out.putShort((short) s.charAt(i));
            }
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private void bigInteger(BigInteger b) {
        byte[] bytes = b.toByteArray();
        out.putInt(bytes.length);
        out.putBytes(bytes);
    }

    private void array(Object a) {
        byte code = elementCode(a.getClass());
        int n = Array.getLength(a);
        if (code < 0) {
            container(a, () -> {
                Object[] arr = (Object[]) a;
                out.put(ARRAY);
                string(className(a.getClass().getComponentType()), out);
                out.putInt(n);
                for (int i = 0; i < n; i++) {
                    Object e = arr[i];
                    within(i, () -> value(e));
                }
            });
            return;
        }
        out.put(PRIMITIVE_ARRAY);
        out.put(code);
        out.putInt(n);
        if (isLarge(a, code)) {
            out.put(DIGESTED);
            out.putBytes(Xxh3.primitiveArray(a, code));
        } else {
            out.put(INLINE);
            out.putBytes(littleEndianBytes(a));
        }
    }

    /** The little-endian image of a primitive array's elements (booleans as 0 and 1). */
    static byte[] littleEndianBytes(Object a) {
        return PrimitiveBytes.littleEndian(a);
    }

    private void list(List<?> l) {
        out.put(LIST);
        out.putInt(l.size());
        int i = 0;
        for (Object e : l) {
            int index = i++;
            within(index, () -> value(e));
        }
    }

    private void set(Set<?> s) {
        List<byte[]> encodings = new ArrayList<>(s.size());
        for (Object e : s) {
            encodings.add(within("an element", () -> nested(e)));
        }
        encodings.sort(Arrays::compareUnsigned);
        out.put(SET);
        out.putInt(encodings.size());
        for (byte[] e : encodings) {
            out.putBytes(e);
        }
    }

    private void map(Map<?, ?> m) {
        List<Entry> entries = new ArrayList<>(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object k = e.getKey();
            entries.add(new Entry(within("a key", () -> nested(k)), k, e.getValue()));
        }
        entries.sort((x, y) -> {
            int c = Arrays.compareUnsigned(x.key, y.key);
            // Only an identity map can hold two keys with one encoding; order them by value then.
            return c != 0 ? c : Arrays.compareUnsigned(valueBytes(x), valueBytes(y));
        });
        out.put(MAP);
        out.putInt(entries.size());
        for (Entry e : entries) {
            out.putBytes(e.key);
            if (e.valueBytes != null) {
                out.putBytes(e.valueBytes);
            } else {
                within("the value for key " + Display.value(e.keyObject), () -> value(e.value));
            }
        }
    }

    private byte[] valueBytes(Entry e) {
        if (e.valueBytes == null) {
            e.valueBytes = within("a value", () -> nested(e.value));
        }
        return e.valueBytes;
    }

    private void record(Record r) {
        RecordComponent[] components = r.getClass().getRecordComponents();
        out.put(RECORD);
        string(className(r.getClass()), out);
        out.putInt(components.length);
        for (RecordComponent c : components) {
            string(c.getName(), out);
            Object v;
            try {
                var accessor = c.getAccessor();
                // Records declared in JShell snippets or as private nested types are not public.
                if (!accessor.canAccess(r)) {
                    accessor.trySetAccessible();
                }
                v = accessor.invoke(r);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new Unencodable("cannot read component " + c.getName() + " of record "
                        + className(r.getClass()) + " (" + e + ")");
            }
            within("component " + c.getName(), () -> value(v));
        }
    }

    private void object(Object o) {
        Map<String, Object> fields;
        try {
            fields = NotebookObjects.fields(o);
        } catch (IllegalArgumentException e) {
            throw new Unencodable(e.getMessage());
        }
        out.put(OBJECT);
        string(className(o.getClass()), out);
        out.putInt(fields.size());
        fields.forEach((name, v) -> {
            string(name, out);
            within("field " + name, () -> value(v));
        });
    }

    private void parameters(ParameterTree p) {
        out.put(PARAMETERS);
        out.putInt(p.asMap().size());
        for (Map.Entry<String, Object> e : p.asMap().entrySet()) {
            string(e.getKey(), out);
            within("parameter " + e.getKey(), () -> value(e.getValue()));
        }
    }

    private byte[] nested(Object v) {
        Sink s = Sink.toBytes();
        new Canonical(s, open).value(v); // called inside a container: open exists
        return s.toByteArray();
    }

    private void container(Object c, Runnable body) {
        open = open != null ? open : new IdentityHashMap<>();
        if (open.put(c, Boolean.TRUE) != null) {
            throw new Unencodable(className(c.getClass()) + " contains itself, so it has no canonical encoding");
        }
        try {
            body.run();
        } finally {
            open.remove(c);
        }
    }

    private static void within(int index, Runnable body) {
        try {
            body.run();
        } catch (Unencodable e) {
            e.segments.add("element [" + index + "]");
            throw e;
        }
    }

    private static void within(String segment, Runnable body) {
        within(segment, () -> {
            body.run();
            return null;
        });
    }

    private static <T> T within(String segment, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (Unencodable e) {
            e.segments.add(segment);
            throw e;
        }
    }

    private static final class Entry {
        final byte[] key;
        final Object keyObject;
        final Object value;
        byte[] valueBytes;

        Entry(byte[] key, Object keyObject, Object value) {
            this.key = key;
            this.keyObject = keyObject;
            this.value = value;
        }
    }

    /** Thrown inside the encoder; each level on the way out adds where it was, innermost first. */
    private static final class Unencodable extends RuntimeException {
        final List<String> segments = new ArrayList<>();

        Unencodable(String reason) {
            super(reason, null, false, false);
        }

        String describe(String what) {
            return segments.stream().map(s -> s + " of ").collect(Collectors.joining()) + what + ": " + getMessage();
        }
    }
}
