package dev.cellar.codec.json;

/**
 * A place inside a value (top level &gt; key "a" &gt; element 2), built as a cheap linked chain and
 * rendered to text only when an error message needs it: decoding a large list must not format a
 * string per element.
 */
final class Where {
    static final Where TOP = new Where(null, "top level", null);

    private final Where parent;
    private final String label;
    private final Object detail;

    private Where(Where parent, String label, Object detail) {
        this.parent = parent;
        this.label = label;
        this.detail = detail;
    }

    Where in(String label, Object detail) {
        return new Where(this, label, detail);
    }

    @Override
    public String toString() {
        String self = detail == null ? label
                : label + " " + (detail instanceof String s ? TaggedReader.abbreviate(s) : detail);
        return parent == null ? self : parent + " > " + self;
    }
}
