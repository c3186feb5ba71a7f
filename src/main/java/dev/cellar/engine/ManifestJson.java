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

        Out number(long v) {
            return ascii(Long.toString(v));
        }

        Out string(String s) {
            byte[] raw = s.getBytes(StandardCharsets.UTF_8); // for ASCII a copy, and as long as s
            boolean plain = raw.length == s.length();
            for (int i = 0; plain && i < raw.length; i++) {
                byte c = raw[i];
                plain = c >= 0x20 && c != '"' && c != '\\' && c != 0x7f;
            }
            if (!plain) { // rare: escapes or non-ASCII, written exactly as Jackson writes them
                StringBuilder sb = new StringBuilder(s.length() + 16);
                ManifestJson.string(sb, s);
                raw = sb.toString().getBytes(StandardCharsets.UTF_8);
                room(raw.length);
                System.arraycopy(raw, 0, b, n, raw.length);
                n += raw.length;
                return this;
            }
            room(raw.length + 2);
            b[n++] = '"';
            System.arraycopy(raw, 0, b, n, raw.length);
            n += raw.length;
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
