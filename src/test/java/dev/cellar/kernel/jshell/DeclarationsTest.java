package dev.cellar.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kernel-generated declarations made together (a hit's outputs): the same session as one by one. */
class DeclarationsTest {
    private final JShellEvaluator evaluator = new JShellEvaluator();
    private final List<String> ids = new ArrayList<>();

    @AfterEach
    void close() {
        ids.forEach(Bridge::discard);
        evaluator.close();
    }

    private String declaration(String type, String name, Object value) {
        String id = "declarations-test-" + name + "-" + ids.size();
        Bridge.put(id, value);
        ids.add(id);
        return type + " " + name + " = (" + type + ") dev.cellar.kernel.jshell.Bridge.take(\"" + id + "\");";
    }

    @Test
    void underTheKernelsJvmOptionsTheDeclarationsAreCompiledTogether() {
        // jvm.options opens jdk.jshell to the kernel; without it (or on a JDK whose internals moved) every
        // hit would silently go back to one compile per output.
        assertTrue(JShellEvaluator.declaresTogether());
    }

    @Test
    void everyVariableIsDeclaredWithItsTypeAndValueAndLaterCellsUseThem() throws CellError {
        evaluator.eval("int count = 1;\nlong twice() { return count * 2; }", 1);
        evaluator.declareAll(List.of(
                declaration("long", "count", 7L),
                declaration("String", "label", "seven"),
                declaration("double[]", "weights", new double[] {0.5, 0.25}),
                declaration("java.util.List<String>", "names", List.of("a", "b"))));

        Map<String, jdk.jshell.VarSnippet> vars = evaluator.variables();
        assertEquals("long", vars.get("count").typeName());
        assertEquals("String", vars.get("label").typeName());
        assertEquals("double[]", vars.get("weights").typeName());
        assertEquals("java.util.List<String>", vars.get("names").typeName());
        Map<String, Object> values = evaluator.values(List.of("count", "label", "weights", "names"));
        assertEquals(7L, values.get("count"));
        assertEquals("seven", values.get("label"));
        assertArrayEquals(new double[] {0.5, 0.25}, (double[]) values.get("weights"));
        assertEquals(List.of("a", "b"), values.get("names"));
        // The method that used the replaced `count` was recompiled against the new one.
        JShellEvaluator.Result r = evaluator.eval("twice() + \" \" + label + \" \" + names.get(1) + \" \" + weights[1]", 2);
        assertEquals("14 seven b 0.25", r.value());
    }

    @Test
    void aDeclarationThatDoesNotCompileIsReportedByItsSourceAndTheSessionGoesOn() throws CellError {
        String bad = declaration("NoSuchType", "broken", 1);
        CellError e = assertThrows(CellError.class, () -> evaluator.declareAll(List.of(
                declaration("int", "fine", 1), bad)));
        assertTrue(e.getMessage().contains(bad), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchType"), e.getMessage());
        assertEquals(3, evaluator.eval("1 + 2", 1).value());
    }

    @Test
    void anInitializerThatThrowsIsReported() {
        // A value of the wrong type: the cast in the initializer fails at run time.
        CellError e = assertThrows(CellError.class, () -> evaluator.declareAll(List.of(
                declaration("int", "n", 1), declaration("String", "s", 42))));
        assertTrue(e.getMessage().contains("failed"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be cast"), e.getMessage());
    }
}
