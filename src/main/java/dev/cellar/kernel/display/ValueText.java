package dev.cellar.kernel.display;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/**
 * Short text renderings of values: arrays and large collections show their type, length and first few
 * elements ({@code double[1000000] {0.1, 0.2, ...}}), never every element, and long strings are cut.
 */
public final class ValueText {
    private static final int MAX_ELEMENTS = 10;
    private static final int MAX_CHARS = 2_000;

    private ValueText() {
    }

    public static String of(Object value) {
        String s;
        try {
            s = render(value, 0);
        } catch (RuntimeException e) {
            // A user's toString() that throws must not break the cell that produced the value.
            s = value.getClass().getName() + " (toString() threw " + e.getClass().getSimpleName() + ")";
        }
        return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) + "..." : s;
    }

    private static String render(Object value, int depth) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "\"" + (s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) + "..." : s) + "\"";
        }
        if (value instanceof Character c) {
            return "'" + c + "'";
        }
        Class<?> type = value.getClass();
        if (type.isArray()) {
            return array(value, depth);
        }
        if (value instanceof Collection<?> c && c.size() > MAX_ELEMENTS) {
            StringBuilder sb = new StringBuilder(type.getSimpleName()).append('[').append(c.size()).append("] [");
            int i = 0;
            for (Object o : c) {
                if (i++ == MAX_ELEMENTS) {
                    break;
                }
                sb.append(render(o, depth + 1)).append(", ");
            }
            return sb.append("...]").toString();
        }
        if (value instanceof Map<?, ?> m) {
            if (m.size() > MAX_ELEMENTS) {
                return type.getSimpleName() + "[" + m.size() + " entries]";
            }
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sb.length() == 1 ? "" : ", ").append(render(e.getKey(), depth + 1)).append('=')
                        .append(render(e.getValue(), depth + 1));
            }
            return sb.append('}').toString();
        }
        return String.valueOf(value);
    }

    private static String array(Object array, int depth) {
        int len = Array.getLength(array);
        Class<?> elem = array.getClass();
        int dims = 0;
        while (elem.isArray()) {
            elem = elem.getComponentType();
            dims++;
        }
        StringBuilder sb = new StringBuilder(elem.getSimpleName()).append('[').append(len).append(']');
        sb.append("[]".repeat(dims - 1));
        if (depth > 0) {
            return sb.toString();
        }
        sb.append(" {");
        int shown = Math.min(len, MAX_ELEMENTS);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(render(Array.get(array, i), depth + 1));
        }
        if (len > shown) {
            sb.append(", ...");
        }
        return sb.append('}').toString();
    }
}
