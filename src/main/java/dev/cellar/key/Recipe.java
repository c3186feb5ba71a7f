package dev.cellar.key;

import dev.cellar.Key;
import java.util.List;
import java.util.SortedMap;

/**
 * What a key is derived from, as this package sees it: a type, a version, parameters, named source
 * texts and upstream inputs. {@code dev.cellar.Component} is the implementation users build; the key
 * package names only this interface, so keys depend on the vocabulary below the API, never on the API.
 */
public interface Recipe {
    String type();

    String version();

    ParameterTree parameters();

    /** Named source texts (a cell body, helper methods), sorted by name. */
    SortedMap<String, String> code();

    /** The upstream inputs, in order (order is part of the key). */
    List<? extends Input> inputs();

    /**
     * True only if nothing this recipe's key is derived from can change from now on, so a key derived
     * earlier from this very object is still its key ({@link AttributeKeys} then reuses it). False, the
     * safe answer, unless an implementation can prove it.
     */
    default boolean keyIsFixed() {
        return false;
    }

    /** One upstream input: exactly one of {@link Upstream}, {@link Value}, {@link Provenance} or {@link Library}. */
    interface Input {
        String name();
    }

    /** Another recipe; it enters the key by its own key. */
    interface Upstream extends Input {
        Recipe component();
    }

    /** A value; it enters the key by a digest of its canonical encoding (a {@code Path} by its file's content). */
    interface Value extends Input {
        Object value();

        /** {@code ValueDigest.of(value())} if the caller took it already, else null (the deriver takes it). */
        default String digest() {
            return null;
        }
    }

    /** A known key: a value produced by a cached computation and proven unchanged since. */
    interface Provenance extends Input {
        Key key();
    }

    /**
     * A library the computation could call into (a jar on a notebook's class path): it enters the key by
     * the digest of its content; {@code why} names it by {@link #name()} and shows its version.
     */
    interface Library extends Input {
        /** The version, or null if unknown. */
        String version();

        /** A digest of the library's content. */
        String digest();
    }
}
