package dev.cellar.ops;

import dev.cellar.codec.json.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of an operation: a few lines of text and optionally a table, plus the same facts as a
 * JSON tree for scripts ({@code --json}).
 */
public final class Report {
    private final List<String> lines = new ArrayList<>();
    private List<String> columns = List.of();
    private final List<List<String>> rows = new ArrayList<>();
    private final Map<String, Object> json = new LinkedHashMap<>();

    Report line(String text) {
        lines.add(text);
        return this;
    }

    Report columns(String... names) {
        columns = List.of(names);
        return this;
    }

    Report row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    Report put(String field, Object value) {
        json.put(field, value);
        return this;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /** Aligned plain text: the table (if any) then the lines. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (!columns.isEmpty()) {
            int[] w = new int[columns.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = columns.get(i).length();
                for (List<String> r : rows) {
                    w[i] = Math.max(w[i], r.get(i).length());
                }
            }
            appendRow(sb, columns, w);
            for (List<String> r : rows) {
                appendRow(sb, r, w);
            }
        }
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString().stripTrailing();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(String.format("%-" + w[i] + "s", cells.get(i)));
            if (i < cells.size() - 1) {
                line.append("  ");
            }
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** An HTML table (for notebooks) followed by the lines in a {@code <pre>}. */
    public String html() {
        StringBuilder sb = new StringBuilder();
        if (!columns.isEmpty()) {
            sb.append("<table class=\"cellar\"><thead><tr>");
            columns.forEach(c -> sb.append("<th>").append(escape(c)).append("</th>"));
            sb.append("</tr></thead><tbody>");
            for (List<String> r : rows) {
                sb.append("<tr>");
                r.forEach(c -> sb.append("<td>").append(escape(c)).append("</td>"));
                sb.append("</tr>");
            }
            sb.append("</tbody></table>");
        }
        if (!lines.isEmpty()) {
            sb.append("<pre>").append(escape(String.join("\n", lines))).append("</pre>");
        }
        return sb.toString();
    }

    /** The facts as JSON with sorted keys. */
    public String json() {
        return JsonValues.writePretty(json);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
