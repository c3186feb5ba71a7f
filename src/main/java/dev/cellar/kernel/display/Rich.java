package dev.cellar.kernel.display;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns values into display data: tables (a map of column name to equally long arrays or lists, or a
 * list of records) as HTML plus a text summary; anything else as short text ({@link ValueText}).
 */
public final class Rich {
    static final int MAX_ROWS = 20;

    private Rich() {
    }

    public static MimeBundle render(Object value) {
        if (value instanceof MimeBundle b) {
            return b;
        }
        MimeBundle special = Renderers.renderSpecial(value);
        if (special != null) {
            return special;
        }
        MimeBundle b = MimeBundle.text(ValueText.of(value));
        String html = table(value);
        return html == null ? b : b.with(MimeBundle.HTML, html);
    }

    /** An HTML table for table-shaped values, else null. */
    public static String table(Object value) {
        try {
            if (value instanceof Map<?, ?> m && !m.isEmpty()) {
                return columns(m);
            }
            if (value instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Record r) {
                return records(l, r.getClass());
            }
        } catch (RuntimeException e) {
            // A value that only looks like a table: fall back to text.
        }
        return null;
    }

    private static String columns(Map<?, ?> m) {
        List<String> names = new ArrayList<>();
        List<List<Object>> cols = new ArrayList<>();
        int rows = -1;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                return null;
            }
            List<Object> col = asList(e.getValue());
            if (col == null || (rows >= 0 && col.size() != rows)) {
                return null;
            }
            rows = col.size();
            names.add(name);
            cols.add(col);
        }
        StringBuilder sb = header(names);
        for (int r = 0; r < Math.min(rows, MAX_ROWS); r++) {
            sb.append("<tr>");
            for (List<Object> col : cols) {
                cell(sb, col.get(r));
            }
            sb.append("</tr>");
        }
        return footer(sb, rows);
    }

    private static String records(List<?> l, Class<?> type) {
        RecordComponent[] comps = type.getRecordComponents();
        List<String> names = new ArrayList<>();
        for (RecordComponent c : comps) {
            names.add(c.getName());
        }
        StringBuilder sb = header(names);
        for (int r = 0; r < Math.min(l.size(), MAX_ROWS); r++) {
            Object row = l.get(r);
            if (row == null || row.getClass() != type) {
                return null;
            }
            sb.append("<tr>");
            for (RecordComponent c : comps) {
                try {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    cell(sb, accessor.invoke(row));
                } catch (ReflectiveOperationException e) {
                    return null;
                }
            }
            sb.append("</tr>");
        }
        return footer(sb, l.size());
    }

    private static List<Object> asList(Object v) {
        if (v != null && v.getClass().isArray()) {
            int n = Array.getLength(v);
            List<Object> out = new ArrayList<>(Math.min(n, MAX_ROWS));
            for (int i = 0; i < Math.min(n, MAX_ROWS); i++) {
                out.add(Array.get(v, i));
            }
            // Keep the real length for the shape check and the row count.
            return new SizedList(out, n);
        }
        if (v instanceof List<?> l) {
            return new SizedList(new ArrayList<>(l.subList(0, Math.min(l.size(), MAX_ROWS))), l.size());
        }
        return null;
    }

    private static StringBuilder header(List<String> names) {
        StringBuilder sb = new StringBuilder("<table><thead><tr>");
        for (String n : names) {
            sb.append("<th>").append(escape(n)).append("</th>");
        }
        return sb.append("</tr></thead><tbody>");
    }

    private static String footer(StringBuilder sb, int rows) {
        sb.append("</tbody></table>");
        if (rows > MAX_ROWS) {
            sb.append("<p>").append(MAX_ROWS).append(" of ").append(rows).append(" rows</p>");
        }
        return sb.toString();
    }

    private static void cell(StringBuilder sb, Object v) {
        sb.append("<td>").append(escape(v instanceof String s ? s : ValueText.of(v))).append("</td>");
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The first rows of a column, reporting the column's full length. */
    private static final class SizedList extends java.util.AbstractList<Object> {
        private final List<Object> head;
        private final int size;

        SizedList(List<Object> head, int size) {
            this.head = head;
            this.size = size;
        }

        @Override
        public Object get(int i) {
            return head.get(i);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
