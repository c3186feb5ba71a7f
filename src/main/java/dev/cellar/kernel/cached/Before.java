package dev.cellar.kernel.cached;

import dev.cellar.key.ValueDigest;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A session variable the body reads, as it was before the body ran: its object and the digest of its
 * value, taken once and used for the key as well. After the body, {@link #changedTo} tells whether the
 * body reassigned it or changed it in place (a filled array, {@code list.add}, a field set on an object
 * it holds). {@code onlyRead}: the source proves the body cannot change the content (a primitive array
 * only indexed for reading), so the same object needs no second digest.
 */
record Before(String name, Object value, String digest, boolean onlyRead) {
    /** Values that cannot change in place: a different object is the only way to a different value. */
    static boolean immutable(Object v) {
        return v == null || v instanceof String || v instanceof Number && (v instanceof Integer || v instanceof Long
                || v instanceof Double || v instanceof Float || v instanceof Short || v instanceof Byte
                || v.getClass() == BigInteger.class || v.getClass() == BigDecimal.class)
                || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>;
    }

    /**
     * The variable as it is now, or null if the body left it unchanged. {@code trustOnlyRead}: take
     * {@code onlyRead} as proof (false when another variable changed, which might hold the same array).
     */
    After changedTo(Object now, boolean trustOnlyRead) {
        if (now == value && (onlyRead && trustOnlyRead || immutable(now))) {
            return null;
        }
        if (immutable(now) && immutable(value)) {
            return java.util.Objects.equals(now, value) ? null : new After(name, now, null, true, null);
        }
        String d;
        try {
            d = ValueDigest.of(now, "variable " + name);
        } catch (RuntimeException e) {
            return new After(name, now, null, now != value, e.getMessage());
        }
        return d.equals(digest) ? null : new After(name, now, d, now != value, null);
    }

    /**
     * A changed variable: its new object, the digest of its new value (null if it has no canonical
     * encoding: {@code problem} says why), and whether the body assigned another object to it.
     */
    record After(String name, Object value, String digest, boolean reassigned, String problem) {}
}
