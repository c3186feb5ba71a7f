package dev.cellar.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * JShell's completion index is held back while cells run and built when completion wants it or the
 * kernel is idle; completion of package names (which only the index knows) works either way.
 */
class CompletionIndexTest {
    private static List<String> complete(JShellEvaluator evaluator, String code) {
        evaluator.completionIndex().wanted();
        return evaluator.analysis().completionSuggestions(code, code.length(), new int[1]).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation).toList();
    }

    /** Waits until the index JShell builds in the background is done (the test's only clock). */
    private static void awaitIndexed(JShellEvaluator evaluator) throws Exception {
        Object impl = evaluator.analysis();
        var wait = impl.getClass().getDeclaredMethod("waitBackgroundTaskFinished");
        wait.setAccessible(true);
        wait.invoke(impl);
    }

    @Test
    void heldWhileCellsRunAndBuiltForTheFirstCompletion() throws Exception {
        try (JShellEvaluator evaluator = new JShellEvaluator(Long.MAX_VALUE / 4_000_000L)) {
            assertTrue(evaluator.completionIndex().held(), "held from the start");
            evaluator.eval("int x = 1;", 1);
            assertTrue(evaluator.completionIndex().held(), "a cell does not release it");
            complete(evaluator, "java.util.concurr");
            assertFalse(evaluator.completionIndex().held(), "completion releases it");
            awaitIndexed(evaluator);
            assertTrue(complete(evaluator, "java.util.concurr").contains("concurrent."),
                    "package names come from the index");
        }
    }

    @Test
    void builtOnceTheKernelIsIdleButNotWhileACellRuns() throws Exception {
        try (JShellEvaluator evaluator = new JShellEvaluator(100)) {
            CompletionIndex index = evaluator.completionIndex();
            Thread.sleep(600);
            assertTrue(index.held(), "before the first cell the kernel waits longer (a client may be slow to send it)");
            index.busy();
            Thread.sleep(600);
            assertTrue(index.held(), "not released while a cell runs");
            index.idle();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (index.held() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(index.held(), "released once idle");
            awaitIndexed(evaluator);
            assertTrue(evaluator.analysis().completionSuggestions("java.util.concurr", 17, new int[1]).stream()
                    .anyMatch(s -> s.continuation().equals("concurrent.")));
        }
    }
}
