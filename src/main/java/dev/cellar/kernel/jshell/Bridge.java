package dev.cellar.kernel.jshell;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands objects between the kernel and snippets running in the same JVM, by id. Snippets the kernel
 * generates read restored values with {@code (T) dev.cellar.kernel.jshell.Bridge.take("id")} and publish the
 * values the kernel asks for with {@code dev.cellar.kernel.jshell.Bridge.put("id", ...)} (a void call, so
 * JShell creates no temporary variable). Public only because generated snippets must see it.
 */
public final class Bridge {
    private static final Map<String, Object> SLOTS = new ConcurrentHashMap<>();
    private static final Object NULL = new Object();

    private Bridge() {
    }

    /** Leaves {@code value} under {@code id} for one {@link #take}. */
    public static void put(String id, Object value) {
        SLOTS.put(id, value == null ? NULL : value);
    }

    /**
     * Removes and returns the value left under {@code id}.
     *
     * @throws IllegalStateException if nothing was left under {@code id}
     */
    public static Object take(String id) {
        Object v = SLOTS.remove(id);
        if (v == null) {
            throw new IllegalStateException("no value left under '" + id + "'");
        }
        return v == NULL ? null : v;
    }

    public static void discard(String id) {
        SLOTS.remove(id);
    }
}
