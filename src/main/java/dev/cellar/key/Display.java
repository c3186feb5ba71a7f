package dev.cellar.key;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/**
 * Short, readable renderings for key manifests and error messages. Numbers are written as Java
 * literals of their type ({@code 1}, {@code 1L}, {@code 1.0}, {@code 1.0f}), because {@code why}
 * must be able to show that a parameter changed from {@code 1} to {@code 1.0}.
 */
final class Display {
    static final int MAX = 80;

    private Display() {}

    static String value(Object v) {
        String s = render(v);
        return s.length() <= MAX ? s : s.substring(0, MAX - 1) + "…";
    }

    private static String render(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return quote(s);
        if (v instanceof Long l) return l + "L";
        if (v instanceof Float f) return f + "f";
        if (v instanceof Short s) return "(short) " + s;
        if (v instanceof Byte b) return "(byte) " + b;
        if (v instanceof Character c) return "'" + c + "'";
        if (v instanceof java.math.BigInteger b) return "BigInteger " + b;
        if (v instanceof java.math.BigDecimal d) return "BigDecimal " + d;
        if (v instanceof Enum<?> e) return Canonical.className(e.getDeclaringClass()) + "." + e.name();
        if (v instanceof ParameterTree p) return p.toString();
        if (v.getClass().isArray()) return array(v);
        if (v instanceof Collection<?> || v instanceof Map<?, ?>) {
            String s = String.valueOf(v);
            return s.length() <= 2 * MAX ? s : s.substring(0, 2 * MAX);
        }
        return String.valueOf(v);
    }

    private static String array(Object a) {
        int n = Array.getLength(a);
        Class<?> c = a.getClass().getComponentType();
        StringBuilder sb = new StringBuilder(Canonical.className(c.isArray() ? innermost(c) : c));
        sb.append('[').append(n).append(']');
        for (Class<?> d = c; d.isArray(); d = d.getComponentType()) {
            sb.append("[]");
        }
        sb.append(" {");
        for (int i = 0; i < n && sb.length() < MAX; i++) {
            if (i > 0) sb.append(", ");
            sb.append(render(Array.get(a, i)));
        }
        return sb.append('}').toString();
    }

    private static Class<?> innermost(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** The first non-blank line of a source text, shortened. */
    static String firstLine(String source) {
        for (String line : source.split("\n", -1)) {
            if (!line.isBlank()) {
                String t = line.strip();
                return t.length() <= MAX ? t : t.substring(0, MAX - 1) + "…";
            }
        }
        return "";
    }
}
