package dev.cellar.kernel.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a notebook shows for a value: data by MIME type ({@code text/plain} always, {@code text/html}
 * for tables, ...). The kernel's own form of Jupyter display data, so that rendering and caching do
 * not depend on the protocol library; the protocol package converts it at the edge.
 */
public record MimeBundle(Map<String, Object> data) {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";

    public MimeBundle {
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** A bundle of plain text only. */
    public static MimeBundle text(String text) {
        return new MimeBundle(Map.of(TEXT, text));
    }

    /** This bundle with {@code value} under {@code mimeType} (replacing what was there). */
    public MimeBundle with(String mimeType, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(data);
        m.put(mimeType, value);
        return new MimeBundle(m);
    }

    /** The plain-text rendering, or "" if there is none. */
    public String plainText() {
        Object t = data.get(TEXT);
        return t == null ? "" : t.toString();
    }
}
