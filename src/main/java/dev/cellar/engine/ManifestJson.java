package dev.cellar.engine;

import dev.cellar.codec.json.JsonValues;
import dev.cellar.key.Ingredient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A manifest's JSON, written without a general JSON library on the path every small entry takes
 * (through Jackson's tree model the manifest was a sixth of a small store+retrieve pair); read by
 * {@link ManifestJsonReader}. It writes exactly the bytes {@link JsonValues#write} writes for the same
 * tree (compact, keys sorted, the same escapes), so stored entries do not change and any cellar reads them.
 */
final class ManifestJson {
    private ManifestJson() {}

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
            if (!out.parts().isEmpty()) {
                o.ascii(",\"parts\":[");
                boolean firstPart = true;
                for (Manifest.Part p : out.parts()) {
                    o.ascii(firstPart ? "{\"crc32c\":" : ",{\"crc32c\":").number(p.crc32c());
                    firstPart = false;
                    o.ascii(",\"payload\":").string(p.payload());
                    o.ascii(",\"size\":").number(p.size()).ascii("}");
                }
                o.ascii("]");
            }
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

        /** The decimal digits, as {@link Long#toString(long)} gives them, without the string. */
        Out number(long v) {
            if (v == Long.MIN_VALUE) {
                return ascii(Long.toString(v));
            }
            room(20);
            if (v < 0) {
                b[n++] = '-';
                v = -v;
            }
            int digits = 1;
            for (long t = v; t >= 10; t /= 10) {
                digits++;
            }
            for (int i = n + digits - 1; i >= n; i--) {
                b[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            n += digits;
            return this;
        }

        Out string(String s) {
            int len = s.length();
            room(len + 2);
            int start = n;
            b[n++] = '"';
            for (int i = 0; i < len; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                    // rare: escapes or non-ASCII, written exactly as Jackson writes them
                    n = start;
                    StringBuilder sb = new StringBuilder(len + 16);
                    ManifestJson.string(sb, s);
                    byte[] raw = sb.toString().getBytes(StandardCharsets.UTF_8);
                    room(raw.length);
                    System.arraycopy(raw, 0, b, n, raw.length);
                    n += raw.length;
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
            JsonValues.escape(sb, c);
        }
        sb.append('"');
    }

}
