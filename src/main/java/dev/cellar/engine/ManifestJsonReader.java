package dev.cellar.engine;

import dev.cellar.codec.json.JsonValues;
import dev.cellar.key.Ingredient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a manifest's JSON (see {@link ManifestJson} for why not through Jackson). {@link #read} takes the
 * exact layout {@link ManifestJson#write} gives, straight into a {@link Manifest}; {@link #parse} takes a
 * strict subset of JSON (ASCII text, objects, arrays, strings with all JSON escapes, integers that fit a
 * long) into the tree Jackson would give. Anything else (non-ASCII bytes, other numbers, literals,
 * deep nesting, malformed text) goes to {@link JsonValues#parse}, which gives the same tree or the error
 * a manifest has always got, so neither fast path accepts what the general parser refuses.
 */
final class ManifestJsonReader {
    private static final int MAX_DEPTH = 8;

    private ManifestJsonReader() {}

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
        return read(json, true);
    }

    /**
     * As {@link #read(byte[])}; without {@code ingredients} the ingredients are checked as strictly but
     * not kept (the manifest has none): a restore never reads them, and their forty-odd strings were a
     * quarter of what reading a small entry's manifest cost.
     */
    static Manifest read(byte[] json, boolean ingredients) {
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
            boolean firstIngredient = true;
            while (!r.skip("]")) {
                if (!firstIngredient) {
                    r.expect(",");
                }
                firstIngredient = false;
                r.expect("{\"detail\":");
                String detail = r.quoted(ingredients);
                r.expect(",\"digest\":");
                String digest = r.quoted(ingredients);
                r.expect(",\"display\":");
                String display = r.quoted(ingredients);
                r.expect(",\"kind\":");
                String kind = r.quoted(ingredients);
                r.expect(",\"name\":");
                String ingredientName = r.quoted(ingredients);
                r.expect("}");
                if (ingredients) {
                    ings.add(new Ingredient(kind, ingredientName, display, detail, digest));
                }
            }
            r.expect(",\"key\":");
            String key = r.quoted();
            r.expect(",\"name\":");
            String name = r.quoted();
            r.expect(",\"notes\":{");
            Map<String, String> notes = new TreeMap<>();
            while (!r.skip("}")) {
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
            while (!r.skip("]")) {
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
                List<Manifest.Part> parts = new ArrayList<>();
                if (r.skip(",\"parts\":[")) {
                    while (!r.skip("]")) {
                        r.expect(parts.isEmpty() ? "{\"crc32c\":" : ",{\"crc32c\":");
                        long partCrc = r.integer();
                        r.expect(",\"payload\":");
                        String partPayload = r.quoted();
                        r.expect(",\"size\":");
                        long partSize = r.integer();
                        r.expect("}");
                        if (partSize < 0) {
                            return null;
                        }
                        parts.add(new Manifest.Part(partPayload, partSize, partCrc));
                    }
                }
                r.expect(",\"payload\":");
                String payload = r.quoted();
                r.expect(",\"size\":");
                long size = r.integer();
                r.expect("}");
                if (size < 0 || outs.put(output, new Manifest.Output(payload, codec, descriptor, size, crc, parts)) != null) {
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

        /** Steps over these ASCII bytes if they are next. */
        boolean skip(String literal) {
            int k = literal.length();
            if (pos + k > b.length) {
                return false;
            }
            for (int i = 0; i < k; i++) {
                if (b[pos + i] != literal.charAt(i)) {
                    return false;
                }
            }
            pos += k;
            return true;
        }

        /** A string starting right here. */
        String quoted() {
            if (pos >= b.length || b[pos] != '"') {
                throw NOT_MINE;
            }
            return string();
        }

        /** {@link #quoted()} if {@code keep}, else the same string stepped over (null): no copy made. */
        String quoted(boolean keep) {
            if (keep) {
                return quoted();
            }
            skipQuoted();
            return null;
        }

        /** Steps over a string starting right here, accepting exactly what {@link #quoted()} accepts. */
        private void skipQuoted() {
            if (pos >= b.length || b[pos] != '"') {
                throw NOT_MINE;
            }
            pos++;
            while (pos < b.length) {
                byte c = b[pos];
                if (c == '"') {
                    pos++;
                    return;
                }
                if (c == '\\') {
                    skipEscape();
                    continue;
                }
                if (c < 0x20 || c > 0x7e) {
                    throw NOT_MINE;
                }
                pos++;
            }
            throw NOT_MINE;
        }

        /** At a backslash inside a string: steps over the escape that {@link #escaped} would accept. */
        private void skipEscape() {
            if (++pos >= b.length) {
                throw NOT_MINE;
            }
            byte e = b[pos++];
            switch (e) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> { }
                case 'u' -> unicode();
                default -> throw NOT_MINE;
            }
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
            if (n == 0 || n > 19 || (n > 1 && b[digits] == '0')) {
                throw NOT_MINE;
            }
            if (pos < b.length && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
                throw NOT_MINE;
            }
            try {
                return Long.parseLong(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException e) { // beyond a long: Jackson's BigInteger, not ours
                throw NOT_MINE;
            }
        }
    }
}
