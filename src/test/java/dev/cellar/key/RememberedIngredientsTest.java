package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The deriver remembers the last type's and version's ingredients; a key must not depend on what was
 * derived before it: alternating types and versions give each recipe its own key, and a null version
 * (display "null") is never taken for the string "null".
 */
class RememberedIngredientsTest {
    private final HashKeyDeriver deriver = new HashKeyDeriver();

    record R(String type, String version) implements Recipe {
        @Override
        public ParameterTree parameters() {
            return TreeMap::new;
        }

        @Override
        public SortedMap<String, String> code() {
            return new TreeMap<>();
        }

        @Override
        public List<? extends Input> inputs() {
            return List.of();
        }
    }

    @Test
    void keysDoNotDependOnTheRecipeDerivedBefore() {
        List<R> recipes = List.of(new R("a", "1"), new R("b", "1"), new R("a", "2"), new R("a", "1"), new R("b", ""));
        List<Key> first = new ArrayList<>();
        for (R r : recipes) {
            first.add(deriver.derive(r).key());
        }
        for (int i = recipes.size() - 1; i >= 0; i--) {
            assertEquals(first.get(i), deriver.derive(recipes.get(i)).key(), recipes.get(i).toString());
            assertEquals(first.get(i), HashKeyDeriver.keyOf(deriver.derive(recipes.get(i)).ingredients()));
        }
        assertEquals(first.get(0), first.get(3));
        assertEquals(5 - 1, first.stream().distinct().count());
    }

    @Test
    void aNullVersionIsNotTheStringNull() {
        Key ofNull = deriver.derive(new R("a", null)).key();
        Key ofString = deriver.derive(new R("a", "null")).key();
        Key ofNullAgain = deriver.derive(new R("a", null)).key();
        assertNotEquals(ofNull, ofString);
        assertEquals(ofNull, ofNullAgain);
        assertEquals(ofString, deriver.derive(new R("a", "null")).key());
    }
}
