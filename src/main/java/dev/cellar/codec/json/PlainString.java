package dev.cellar.codec.json;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A top-level {@code String} in the JSON codec without a tree: the very bytes Jackson writes for
 * {@link TaggedWriter}'s {@code {"t":"str","v":...}}, and a reader for the common case of printable
 * ASCII without escapes. A string with surrogates (which may need the {@code utf16} tag) is left to the
 * general path; so is every payload the reader does not recognise exactly, so the general reader still
 * judges (and refuses) everything else. A 1 KB string was a sixth of a small store+retrieve pair.
 */
final class PlainString {
    static final String DESCRIPTOR = "str";
    private static final byte[] PREFIX = "{\"t\":\"str\",\"v\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "\"}".getBytes(StandardCharsets.US_ASCII);
    /** What {@link TaggedReader} charges a string: a tagged node plus two bytes per char. */
    private static final long NODE_CHARGE = 32;

    private PlainString() {}

    /** Jackson's bytes for the tagged string, or null if {@code s} holds a surrogate. */
    static byte[] encode(String s) {
        StringBuilder escaped = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                return null;
            }
            if (c < 0x20 || c == '"' || c == '\\') {
                if (escaped == null) {
                    escaped = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                JsonValues.escape(escaped, c);
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        byte[] body = (escaped == null ? s : escaped.toString()).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[PREFIX.length + body.length + SUFFIX.length];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(body, 0, out, PREFIX.length, body.length);
        System.arraycopy(SUFFIX, 0, out, PREFIX.length + body.length, SUFFIX.length);
        return out;
    }


    /**
     * The string if {@code bytes} are exactly the prefix, printable ASCII without quotes or backslashes,
     * and the suffix, and it fits in {@code maxBytes} as the general reader counts; otherwise null.
     */
    static String decode(ByteBuffer bytes, long maxBytes) {
        ByteBuffer b = bytes.duplicate();
        int n = b.remaining() - PREFIX.length - SUFFIX.length;
        if (n < 0 || NODE_CHARGE + 2L * n > maxBytes) {
            return null;
        }
        int at = b.position();
        for (int i = 0; i < PREFIX.length; i++) {
            if (b.get(at + i) != PREFIX[i]) {
                return null;
            }
        }
        int end = at + PREFIX.length + n;
        if (b.get(end) != SUFFIX[0] || b.get(end + 1) != SUFFIX[1]) {
            return null;
        }
        byte[] text = new byte[n];
        b.get(at + PREFIX.length, text);
        for (byte c : text) {
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return null;
            }
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }
}
