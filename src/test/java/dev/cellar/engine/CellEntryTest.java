package dev.cellar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The notes of a %%cached entry: the names on disk are a format; entries written before CellEntry still read. */
class CellEntryTest {
    /** Notes exactly as the kernel wrote them before the typed entry existed (literals, in its order). */
    private static Map<String, String> oldForm() {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("type.xs", "double[]");
        notes.put("type.label", "String");
        notes.put("digest.xs", "0123456789abcdef0123456789abcdef");
        notes.put("digest.label", "fedcba9876543210fedcba9876543210");
        notes.put("outputs", "xs,label");
        notes.put("output", "[{\"stream\":\"stdout\",\"text\":\"hi\\n\"}]");
        notes.put("null.label", "true");
        return notes;
    }

    @Test
    void anEntryInTheOldFormReadsAsItWasWritten() {
        CellEntry e = CellEntry.fromNotes(oldForm(), Set.of("xs"));
        assertEquals(List.of(
                new CellEntry.Output("xs", "double[]", false, "0123456789abcdef0123456789abcdef", false),
                new CellEntry.Output("label", "String", true, "fedcba9876543210fedcba9876543210", false)), e.outputs());
        assertEquals("[{\"stream\":\"stdout\",\"text\":\"hi\\n\"}]", e.printed());
        // Written back, it has the same notes (same names on disk), whatever their order.
        assertEquals(oldForm(), e.toNotes());
    }

    @Test
    void changedVariablesAreListedSoThatAHitCanCopyThemIntoPlace() {
        CellEntry e = new CellEntry(List.of(new CellEntry.Output("sum", "int", false, "d1", false),
                new CellEntry.Output("arrOne", "int[]", false, "d2", true)), null);
        Map<String, String> notes = e.toNotes();
        assertEquals("sum,arrOne", notes.get("outputs"));
        assertEquals("arrOne", notes.get("changed"));
        assertFalse(notes.containsKey("output"));
        assertEquals(e, CellEntry.fromNotes(notes, Set.of("sum", "arrOne")));
    }

    @Test
    void anEntryThatDoesNotListItsOutputsUsesItsStoredValuesAndLacksTheirTypes() {
        CellEntry e = CellEntry.fromNotes(Map.of("type.a", "int"), Set.of("a", "b"));
        assertEquals("int", e.output("a").type());
        assertNull(e.output("b").type(), "an output without a type cannot be restored: the kernel recomputes");
        assertTrue(e.outputs().stream().noneMatch(CellEntry.Output::changedInPlace));
    }
}
