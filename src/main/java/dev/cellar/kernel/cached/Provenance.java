package dev.cellar.kernel.cached;

import dev.cellar.Key;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which session variables hold a value a cached cell produced or restored, and the digest it had then.
 * A later cell reading such a variable, still with that digest, is keyed by the producing entry's key
 * instead of by the value (cheaper, and {@code why} can name the upstream cell).
 */
final class Provenance {
    record Origin(Key key, String digest) {}

    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    void record(String variable, Key key, String digest) {
        if (digest != null) {
            origins.put(variable, new Origin(key, digest));
        }
    }

    /** The key that produced {@code variable} if its value still has {@code digest}, else null. */
    Key keyIfUnchanged(String variable, String digest) {
        Origin o = origins.get(variable);
        return o != null && o.digest().equals(digest) ? o.key() : null;
    }
}
