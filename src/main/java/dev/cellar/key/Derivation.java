package dev.cellar.key;

import dev.cellar.Key;
import java.util.List;

/**
 * A derived key and the readable ingredients it was made from, in a fixed order. The ingredients are
 * stored beside the entry so that {@code why} can say which one changed.
 */
public record Derivation(Key key, List<Ingredient> ingredients) {
    public Derivation {
        ingredients = List.copyOf(ingredients);
    }
}
