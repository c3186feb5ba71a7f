package dev.cellar.engine;

import dev.cellar.codec.json.JsonValues;
import dev.cellar.key.Ingredient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        Out o = new Out();
        o.ascii("{\"computeNanos\":").number(m.computeNanos());
        o.ascii(",\"created\":").number(m.createdMillis());
        o.ascii(",\"format\":").number(m.format());
        o.ascii(",\"ingredients\":[");
        boolean first = true;
        for (Ingredient i : m.ingredients()) {
            o.ascii(first ? "{\"detail\":" : ",{\"detail\":").string(i.detail());
            first = false;
            o.ascii(",\"digest\":").string(i.digest());
            o.ascii(",\"display\":").string(i.display());
            o.ascii(",\"kind\":").string(i.kind());
            o.ascii(",\"name\":").string(i.name()).ascii("}");
        }
        o.ascii("],\"key\":").string(m.key());
        o.ascii(",\"name\":").string(m.name());
        o.ascii(",\"notes\":{");
        first = true;
        for (Map.Entry<String, String> n : m.notes().entrySet()) { // a TreeMap: sorted as Jackson sorts
            o.ascii(first ? "" : ",").string(n.getKey()).ascii(":").string(n.getValue());
            first = false;
        }
        o.ascii("},\"outputs\":[");
        first = true;
        for (Map.Entry<String, Manifest.Output> e : m.outputs().entrySet()) {
            Manifest.Output out = e.getValue();
            o.ascii(first ? "{\"codec\":" : ",{\"codec\":").string(out.codec());
            first = false;
            o.ascii(",\"crc32c\":").number(out.crc32c());
            o.ascii(",\"descriptor\":").string(out.descriptor());
            o.ascii(",\"name\":").string(e.getKey());
            o.ascii(",\"payload\":").string(out.payload());
            o.ascii(",\"size\":").number(out.size()).ascii("}");
        }
        return o.ascii("]}").bytes();
    }

    /** A growing byte array; printable ASCII goes straight in, anything else through {@link #string(StringBuilder, String)}. */
    private static final class Out {
        private byte[] b = new byte[1536];
        private int n;

        private void room(int k) {
            if (n + k > b.length) {
                b = Arrays.copyOf(b, Math.max(n + k, 2 * b.length));
            }
        }

        Out ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                b[n++] = (byte) s.charAt(i);
            }
            return this;
        }

        Out number(long v) {
            return ascii(Long.toString(v));
        }

        Out string(String s) {
            room(s.length() + 2);
            int start = n;
            b[n++] = '"';
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    n = start; // rare: escapes or non-ASCII, written exactly as Jackson writes them
                    StringBuilder sb = new StringBuilder(s.length() + 16);
                    ManifestJson.string(sb, s);
                    byte[] e = sb.toString().getBytes(StandardCharsets.UTF_8);
                    room(e.length);
                    System.arraycopy(e, 0, b, n, e.length);
                    n += e.length;
                    return this;
                }
                b[n++] = (byte) c;
            }
            b[n++] = '"';
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(b, n);
        }
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

    /**
     * The manifest in {@code json} if the bytes have exactly the layout {@link #write} gives them (keys in
     * that order, no spaces, ASCII) and pass every check {@link Manifest#fromJson} makes; otherwise null,
     * and the general path reads them (and gives the error, if any). No tree, no map look-ups.
     */
    static Manifest read(byte[] json) {
        try {
            Reader r = new Reader(json);
            r.expect("{\"computeNanos\":");
            long computeNanos = r.integer();
            r.expect(",\"created\":");
            long created = r.integer();
            r.expect(",\"format\":");
            long format = r.integer();
            if (format < 1 || format > Manifest.FORMAT) {
                return null;
            }
            r.expect(",\"ingredients\":[");
            List<Ingredient> ings = new ArrayList<>();
            while (!r.skip(']')) {
                if (!ings.isEmpty()) {
                    r.expect(",");
                }
                r.expect("{\"detail\":");
                String detail = r.quoted();
                r.expect(",\"digest\":");
                String digest = r.quoted();
                r.expect(",\"display\":");
                String display = r.quoted();
                r.expect(",\"kind\":");
                String kind = r.quoted();
                r.expect(",\"name\":");
                ings.add(new Ingredient(kind, r.quoted(), display, detail, digest));
                r.expect("}");
            }
            r.expect(",\"key\":");
            String key = r.quoted();
            r.expect(",\"name\":");
            String name = r.quoted();
            r.expect(",\"notes\":{");
            Map<String, String> notes = new TreeMap<>();
            while (!r.skip('}')) {
                if (!notes.isEmpty()) {
                    r.expect(",");
                }
                String k = r.quoted();
                r.expect(":");
                if (notes.put(k, r.quoted()) != null) {
                    return null;
                }
            }
            r.expect(",\"outputs\":[");
            Map<String, Manifest.Output> outs = new LinkedHashMap<>();
            while (!r.skip(']')) {
                if (!outs.isEmpty()) {
                    r.expect(",");
                }
                r.expect("{\"codec\":");
                String codec = r.quoted();
                r.expect(",\"crc32c\":");
                long crc = r.integer();
                r.expect(",\"descriptor\":");
                String descriptor = r.quoted();
                r.expect(",\"name\":");
                String output = r.quoted();
                r.expect(",\"payload\":");
                String payload = r.quoted();
                r.expect(",\"size\":");
                long size = r.integer();
                r.expect("}");
                if (size < 0 || outs.put(output, new Manifest.Output(payload, codec, descriptor, size, crc)) != null) {
                    return null;
                }
            }
            r.expect("}");
            if (r.pos != json.length) {
                return null;
            }
            return new Manifest((int) format, name, key, created, computeNanos, ings, outs, notes);
        } catch (NotMine e) {
            return null;
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

        /** Exactly these ASCII bytes next, no spaces. */
        void expect(String literal) {
            int k = literal.length();
            if (pos + k > b.length) {
                throw NOT_MINE;
            }
            for (int i = 0; i < k; i++) {
                if (b[pos + i] != literal.charAt(i)) {
                    throw NOT_MINE;
                }
            }
            pos += k;
        }

        /** Steps over {@code c} if it is next. */
        boolean skip(char c) {
            if (pos < b.length && b[pos] == c) {
                pos++;
                return true;
            }
            return false;
        }

        /** A string starting right here. */
        String quoted() {
            if (pos >= b.length || b[pos] != '"') {
                throw NOT_MINE;
            }
            return string();
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
        long integer() {
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
