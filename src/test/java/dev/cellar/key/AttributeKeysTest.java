package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.Parameters;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An attribute's key is derived once for a store followed by a retrieve of the same component, and
 * never remembered where what it was derived from can change: the remembered key is never stale.
 */
class AttributeKeysTest {
    private final AttributeKeys keys = new AttributeKeys(new HashKeyDeriver());

    @Test
    void theSameComponentAndAttributeReuseTheDerivation() {
        Component c = Component.of("sweep", Parameters.of("n", 3, "rate", 1.5, "tags", List.of("a", "b"),
                "nested.k", "v"));
        Derivation first = keys.of(c, "v");
        assertSame(first, keys.of(c, "v"));
        assertNotSame(first, keys.of(c, "w"));
        assertEquals(first.key(), keys.of(c, "v").key());
    }

    @Test
    void anEqualButDifferentComponentIsDerivedAgainWithTheSameKey() {
        Derivation a = keys.of(Component.of("sweep", Parameters.of("n", 3)), "v");
        Derivation b = keys.of(Component.of("sweep", Parameters.of("n", 3)), "v");
        assertNotSame(a, b);
        assertEquals(a.key(), b.key());
    }

    @Test
    void anArrayParameterChangedInPlaceGivesItsNewKey() {
        Component c = Component.of("sweep", Parameters.of("xs", new double[] {1, 2}));
        Key before = keys.of(c, "v").key();
        ((double[]) c.parameters().get("xs"))[0] = 7;
        Key after = keys.of(c, "v").key();
        assertNotEquals(before, after);
        assertEquals(new AttributeKeys(new HashKeyDeriver()).of(c, "v").key(), after);
    }

    @Test
    void anInputAddedAfterwardsGivesItsNewKey() {
        Component c = Component.of("sweep", Parameters.of("n", 1));
        Key before = keys.of(c, "v").key();
        c.addInput(Component.of("upstream"));
        assertNotEquals(before, keys.of(c, "v").key());
    }

    @Test
    void aCustomDeriverIsAskedEveryTime() {
        int[] calls = {0};
        HashKeyDeriver real = new HashKeyDeriver();
        KeyDeriver counting = r -> {
            calls[0]++;
            return real.derive(r);
        };
        AttributeKeys custom = new AttributeKeys(counting);
        Component c = Component.of("sweep", Parameters.of("n", 1));
        custom.of(c, "v");
        custom.of(c, "v");
        assertEquals(2, calls[0]);
    }

    @Test
    void storeThenRetrieveThroughACellarHits() {
        try (Cellar cellar = Cellar.inMemory()) {
            Component c = Component.of("sweep", Parameters.of("n", 1));
            cellar.store(c, "v", "text");
            assertEquals("text", cellar.retrieve(c, "v", String.class).orElseThrow());
            Component d = Component.of("sweep", Parameters.of("xs", new int[] {1}));
            cellar.store(d, "v", "old");
            ((int[]) d.parameters().get("xs"))[0] = 2;
            assertTrue(cellar.retrieve(d, "v", String.class).isEmpty(), "a changed parameter is a miss");
        }
    }
}
