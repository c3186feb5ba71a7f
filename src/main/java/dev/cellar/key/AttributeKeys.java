package dev.cellar.key;

import dev.cellar.Key;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys of a component's named attributes ({@code store}/{@code retrieve}): SHA-256 over the
 * component's key, a zero byte and the attribute's name, with an {@code attribute} ingredient added.
 *
 * <p>It remembers the last key it derived, for the next call about the same component object:
 * {@code store(c, "v", x)} followed by {@code retrieve(c, "v", T)} (NeuroTools' pattern) then derives
 * the key once; deriving was half of a small entry's cost. Only for components whose key cannot change
 * after it was derived ({@link Recipe#keyIsFixed()}: no inputs, parameters of immutable values), and
 * only with the default key deriver, whose keys depend on the component alone. It holds one component.
 */
public final class AttributeKeys {
    private record Last(Recipe component, String attribute, Derivation derivation) {}

    private final KeyDeriver deriver;
    private final boolean remember;
    /** One immutable record, so a reader sees a consistent triple without locking. */
    private volatile Last last;

    public AttributeKeys(KeyDeriver deriver) {
        this.deriver = deriver;
        this.remember = deriver instanceof HashKeyDeriver;
    }

    /** @throws IllegalArgumentException if {@code attribute} is null or empty */
    public Derivation of(Recipe component, String attribute) {
        if (attribute == null || attribute.isEmpty()) {
            throw new IllegalArgumentException("attribute name must not be empty");
        }
        Last l = last;
        if (l != null && l.component == component && l.attribute.equals(attribute) && component.keyIsFixed()) {
            return l.derivation;
        }
        Derivation d = deriver.derive(component);
        Sink sha = Sink.borrowSha256();
        byte[] key;
        try {
            sha.putBytes(d.key().bytes());
            sha.put((byte) 0);
            sha.putBytes(attribute.getBytes(StandardCharsets.UTF_8));
            key = sha.finish();
        } finally {
            sha.release();
        }
        List<Ingredient> ings = new ArrayList<>(d.ingredients().size() + 1);
        ings.addAll(d.ingredients());
        ings.add(new Ingredient("attribute", "attribute", attribute, "", ""));
        Derivation out = new Derivation(Key.of(key), ings);
        // inputs only ever grow: no inputs now means the derivation saw none
        if (remember && component.keyIsFixed()) {
            last = new Last(component, attribute, out);
        }
        return out;
    }
}
