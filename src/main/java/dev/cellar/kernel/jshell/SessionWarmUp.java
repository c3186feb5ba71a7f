package dev.cellar.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.VarSnippet;

/** A fresh kernel's head start on JShell, run before its first cell (see {@link #run}). */
final class SessionWarmUp {
    private SessionWarmUp() {}

    /**
     * Runs JShell's source analysis, compiler and class loading once, on throwaway declarations of the
     * shape a {@code %%cached} hit declares its outputs with, declared as it declares them, then drops
     * them, so that a fresh kernel's first cell does not pay for them. The first compile of a var
     * declaration in a new JShell costs far more than later ones (its compiler context is built then).
     * The session is left as it was: no variable, method, type or import is added.
     */
    static void run(JShellEvaluator evaluator, JShell shell, UserCodeControl control) {
        try {
            evaluator.split("int a = 1;\nString b = \"b\";");
            evaluator.declarationsOf("int[] c = {1};");
            // The scanners that key a cell and find what it uses.
            String code = "int[] c = {f(1)}; // a comment";
            CodeTokens.canonical(code);
            CodeTokens.callArities(code);
            JavaTokens.identifiers(code);
            JavaTokens.normalize(code);
            // The route a hit declares its outputs by (several at once), with the types small cells most
            // often leave: primitives, a string, primitive arrays, a generic list.
            Object[][] shapes = {{"int", 1}, {"long", 2L}, {"double", 0.5}, {"String", "s"}, {"int[]", new int[] {1}},
                {"double[]", new double[] {1}}, {"java.util.List<String>", List.of("warm")}};
            List<String> sources = new ArrayList<>();
            for (int i = 0; i < shapes.length; i++) {
                String id = "cellar-warm-up-" + i;
                Bridge.put(id, shapes[i][1]);
                sources.add(shapes[i][0] + " $cellarWarmUp" + i + " = (" + shapes[i][0]
                        + ") dev.cellar.kernel.jshell.Bridge.take(\"" + id + "\");");
            }
            try {
                evaluator.declareAll(sources);
            } finally {
                for (VarSnippet v : shell.variables().filter(v -> v.name().startsWith("$cellarWarmUp")).toList()) {
                    evaluator.values(List.of(v.name()));
                    shell.drop(v);
                }
                for (int i = 0; i < shapes.length; i++) {
                    Bridge.discard("cellar-warm-up-" + i);
                }
            }
        } catch (CellError | RuntimeException e) {
            // Only a head start: a real cell reports any real problem.
        } finally {
            control.takeLastValue();
        }
    }
}
