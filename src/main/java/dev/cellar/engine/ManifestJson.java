package dev.cellar.engine;

import dev.cellar.codec.json.JsonValues;
import dev.cellar.key.Ingredient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest's JSON, written and read without a general JSON library on the path every small entry
 * takes (through Jackson's tree model the manifest was a sixth of a small store+retrieve pair).
 *
 * <p>The writer produces exactly the bytes {@link JsonValues#write} produces for the same tree (compact,
 * keys sorted, the same escapes), so stored entries do not change and any cellar reads them. The
 * reader accepts a strict subset of JSON: ASCII text, objects, arrays, strings (with all JSON escapes)
 * and integers of at most 18 digits. Anything else (non-ASCII bytes, other numbers, literals, deep
 * nesting, malformed text) goes to {@link JsonValues#parse}, which either gives the same tree or the
 * error a manifest has always got, so the fast path never accepts what the general parser refuses.
 */
final class ManifestJson {
    private static final int MAX_DEPTH = 8;

    private ManifestJson() {}

    // ---- writing -------------------------------------------------------------------------------

    static byte[] write(Manifest m) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"computeNanos\":").append(m.computeNanos());
        sb.append(",\"created\":").append(m.createdMillis());
        sb.append(",\"format\":").append(m.format());
        sb.append(",\"ingredients\":[");
        boolean first = true;
        for (Ingredient i : m.ingredients()) {
            sb.append(first ? "{" : ",{");
            first = false;
            field(sb, "detail", i.detail(), true);
            field(sb, "digest", i.digest(), false);
            field(sb, "display", i.display(), false);
            field(sb, "kind", i.kind(), false);
            field(sb, "name", i.name(), false);
            sb.append('}');
        }
        sb.append("],");
        field(sb, "key", m.key(), true);
        field(sb, "name", m.name(), false);
        sb.append(",\"notes\":{");
        first = true;
        for (Map.Entry<String, String> n : m.notes().entrySet()) { // a TreeMap: sorted as Jackson sorts
            field(sb, n.getKey(), n.getValue(), first);
            first = false;
        }
        sb.append("},\"outputs\":[");
        first = true;
        for (Map.Entry<String, Manifest.Output> e : m.outputs().entrySet()) {
            Manifest.Output o = e.getValue();
            sb.append(first ? "{" : ",{");
            first = false;
            field(sb, "codec", o.codec(), true);
            sb.append(",\"crc32c\":").append(o.crc32c());
            field(sb, "descriptor", o.descriptor(), false);
            field(sb, "name", e.getKey(), false);
            if (!o.parts().isEmpty()) {
                sb.append(",\"parts\":[");
                boolean firstPart = true;
                for (Manifest.Part p : o.parts()) {
                    sb.append(firstPart ? "{" : ",{");
                    firstPart = false;
                    sb.append("\"crc32c\":").append(p.crc32c());
                    field(sb, "payload", p.payload(), false);
                    sb.append(",\"size\":").append(p.size()).append('}');
                }
                sb.append(']');
            }
            field(sb, "payload", o.payload(), false);
            sb.append(",\"size\":").append(o.size());
            sb.append('}');
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder sb, String name, String value, boolean first) {
        if (!first) {
            sb.append(',');
        }
        string(sb, name);
        sb.append(':');
        string(sb, value);
    }

    /** Jackson's default escapes: quote, backslash, the five short control escapes, other controls as \\u00XX. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append("\\u00").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xF]);
            }
        }
        sb.append('"');
    }

    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    // ---- reading -------------------------------------------------------------------------------

    /**
     * The tree {@link JsonValues#parse(byte[])} would return for {@code json}.
     *
     * @throws dev.cellar.CodecException if the text is not well-formed JSON
     */
    static Object parse(byte[] json) {
        try {
            Reader r = new Reader(json);
            Object tree = r.value(0);
            r.skipSpace();
            if (r.pos != json.length) {
                throw NOT_MINE;
            }
            return tree;
        } catch (NotMine e) {
            return JsonValues.parse(json);
        }
    }

    /** "Ask the general parser": thrown for anything outside the subset, without a stack trace. */
    private static final class NotMine extends RuntimeException {
        NotMine() {
            super("outside the manifest subset", null, false, false);
        }
    }

    private static final NotMine NOT_MINE = new NotMine();

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        void skipSpace() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
                pos++;
            }
        }

        private byte next() {
            skipSpace();
            if (pos >= b.length) {
                throw NOT_MINE;
            }
            return b[pos];
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw NOT_MINE;
            }
            byte c = next();
            if (c == '{') {
                pos++;
                Map<String, Object> map = new LinkedHashMap<>();
                if (next() == '}') {
                    pos++;
                    return map;
                }
                while (true) {
                    if (next() != '"') {
                        throw NOT_MINE;
                    }
                    String k = string();
                    if (next() != ':') {
                        throw NOT_MINE;
                    }
                    pos++;
                    map.put(k, value(depth + 1));
                    byte d = next();
                    pos++;
                    if (d == '}') {
                        return map;
                    }
                    if (d != ',') {
                        throw NOT_MINE;
                    }
                }
            }
            if (c == '[') {
                pos++;
                List<Object> list = new ArrayList<>();
                if (next() == ']') {
                    pos++;
                    return list;
                }
                while (true) {
                    list.add(value(depth + 1));
                    byte d = next();
                    pos++;
                    if (d == ']') {
                        return list;
                    }
                    if (d != ',') {
                        throw NOT_MINE;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            return integer();
        }

        /** At an opening quote. */
        private String string() {
            int start = ++pos;
            while (pos < b.length) {
                byte c = b[pos];
                if (c == '"') {
                    return new String(b, start, pos++ - start, StandardCharsets.ISO_8859_1);
                }
                if (c == '\\') {
                    return escaped(start);
                }
                if (c < 0x20 || c > 0x7e) { // a raw control character (malformed) or a non-ASCII byte (negative)
                    throw NOT_MINE;
                }
                pos++;
            }
            throw NOT_MINE;
        }

        /** The rest of a string that has escapes, from its start. */
        private String escaped(int start) {
            StringBuilder sb = new StringBuilder(pos - start + 16);
            sb.append(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
            while (pos < b.length) {
                byte c = b[pos++];
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20 || c > 0x7e) {
                    throw NOT_MINE;
                }
                if (c != '\\') {
                    sb.append((char) c);
                    continue;
                }
                if (pos >= b.length) {
                    throw NOT_MINE;
                }
                byte e = b[pos++];
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> sb.append(unicode());
                    default -> throw NOT_MINE;
                }
            }
            throw NOT_MINE;
        }

        private char unicode() {
            if (pos + 4 > b.length) {
                throw NOT_MINE;
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(b[pos++], 16);
                if (d < 0) {
                    throw NOT_MINE;
                }
                v = v << 4 | d;
            }
            return (char) v;
        }

        /** {@code -?(0|[1-9][0-9]{0,17})} followed by a delimiter; longer or other numbers are not mine. */
        private Long integer() {
            int start = pos;
            if (pos < b.length && b[pos] == '-') {
                pos++;
            }
            int digits = pos;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            int n = pos - digits;
            if (n == 0 || n > 18 || (n > 1 && b[digits] == '0')) {
                throw NOT_MINE;
            }
            if (pos < b.length && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
                throw NOT_MINE;
            }
            return Long.parseLong(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
        }
    }
}
