package dev.cellar.kernel.cached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.Snippet;
import jdk.jshell.VarSnippet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A remembered analysis of a cell body is reused only in a session that means the same to it: each
 * change the analysis can see gives the answer a fresh analysis gives.
 */
class BodyAnalysisTest {
    private final JShellEvaluator evaluator = new JShellEvaluator();
    private final BodyAnalysis analysis = new BodyAnalysis(evaluator);

    @AfterEach
    void close() {
        evaluator.close();
    }

    private void run(String code) throws CellError {
        evaluator.eval(code, 1);
    }

    /** The variables the body would declare, as the analysis says ("" for a snippet that declares none). */
    private String declares(BodyAnalysis.Result r) {
        return r.declared().stream().flatMap(List::stream)
                .map(s -> s instanceof VarSnippet v ? v.name() : s.kind() == Snippet.Kind.ERRONEOUS ? "error" : "")
                .collect(Collectors.joining(","));
    }

    private String declares(String body) throws CellError {
        return declares(analysis.of(body, false));
    }

    @Test
    void theSameTextInASessionThatMeansTheSameIsAnsweredFromMemory() throws CellError {
        run("int n = 3; double[] big = null;");
        String body = "double[] big = new double[n];\nfor (int i = 0; i < n; i++) big[i] = i;";
        BodyAnalysis.Result first = analysis.of(body, false);
        assertEquals("big,", declares(first));
        assertSame(first, analysis.of(body, false));
        // Statements, expressions, new values and redeclarations with the same type mean nothing new.
        run("System.out.print(\"\"); n = 4; int n = 5; double[] big = new double[1];");
        assertSame(first, analysis.of(body, false));
        // A session that added to its class path is never answered from memory.
        assertNotSame(analysis.of(body, true), analysis.of(body, true));
        assertEquals("big,", declares(analysis.of(body, true)));
    }

    @Test
    void aMethodDefinedOrRedefinedChangesTheAnswer() throws CellError {
        String body = "var x = f();";
        assertEquals("error", declares(body));
        run("int f() { return 1; }");
        assertEquals("x", declares(body));
        run("void f() { }");
        assertEquals("error", declares(body), "a void initializer: the same signature, a new definition");
    }

    @Test
    void aVariablesTypeChangesTheAnswer() throws CellError {
        String body = "var w = v.length();";
        run("String v = \"a\";");
        assertEquals("w", declares(body));
        run("Object v = \"a\";");
        assertEquals("error", declares(body));
        run("String v = \"b\";");
        assertEquals("w", declares(body));
    }

    @Test
    void aClassRedeclaredChangesTheAnswer() throws CellError {
        String body = "var z = new Foo().g();";
        run("class Foo { int g() { return 1; } }");
        assertEquals("z", declares(body));
        run("class Foo { }");
        assertEquals("error", declares(body));
    }

    @Test
    void anImportChangesTheAnswer() throws CellError {
        String body = "var l = new ArrayList<String>();";
        assertEquals("error", declares(body));
        run("import java.util.ArrayList;");
        assertEquals("l", declares(body));
    }

    @Test
    void aDroppedDeclarationChangesTheAnswer() throws CellError {
        String body = "var x = f();";
        run("int f() { return 1; }");
        assertEquals("x", declares(body));
        evaluator.shell().methods().filter(m -> m.name().equals("f")).toList().forEach(evaluator.shell()::drop);
        assertEquals("error", declares(body));
    }
}
