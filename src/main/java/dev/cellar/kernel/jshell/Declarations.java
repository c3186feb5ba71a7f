package dev.cellar.kernel.jshell;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.spi.ExecutionControl;

/**
 * Kernel-generated declarations (a {@code %%cached} hit's outputs). JShell's API compiles every
 * snippet on its own: {@code JShell.eval} takes one snippet, and each is an analysis and a compile
 * task of its own, most of whose cost is per task (entering the wrapper class and resolving the
 * session's imports), so a hit of seven outputs paid seven of each. JShell's own machinery compiles
 * several units in one task when a declaration has dependents ({@code Eval.compileAndLoad}); this
 * class hands it all of a hit's declarations at once, through {@code jdk.jshell} internals opened by
 * the kernel's JVM options ({@code --add-opens=jdk.jshell/jdk.jshell=ALL-UNNAMED}). Measured in a
 * fresh JVM: 2-3x less CPU for seven outputs. Where those internals are not there (another JDK, the
 * option missing) or a source is not one plain variable declaration, the declarations go one by one
 * through the public API, with the same result.
 */
final class Declarations {
    /** The internals used, or null if this JDK does not have them or does not open them to us. */
    private static final Internals INTERNALS = Internals.find();

    private Declarations() {}

    /** True if declarations are compiled together (the internals are reachable in this JVM). */
    static boolean batched() {
        return INTERNALS != null;
    }

    /**
     * Declares each source (one variable declaration each) and runs its initializer.
     *
     * @throws CellError naming the first source that did not compile or whose initializer threw; the
     *     declarations before it may have been made
     */
    static void declareAll(JShell shell, UserCodeControl control, List<String> sources) throws CellError {
        try {
            if (sources.size() > 1 && INTERNALS != null) {
                List<Snippet> snippets = INTERNALS.parse(shell, sources);
                if (snippets != null) {
                    INTERNALS.declare(shell, snippets, sources);
                    return;
                }
            }
            for (String source : sources) {
                runGenerated(shell, source);
            }
        } finally {
            control.takeLastValue();
        }
    }

    /** Evaluates one snippet of kernel-generated code through JShell's API. */
    static void runGenerated(JShell shell, String source) throws CellError {
        for (SnippetEvent e : shell.eval(source)) {
            if (e.causeSnippet() != null) {
                continue;
            }
            if (e.status() == Snippet.Status.REJECTED) {
                throw rejected(shell, e.snippet(), source);
            }
            if (e.exception() != null) {
                throw new CellError.MagicError("cellar: `" + source + "` failed: " + e.exception().getMessage());
            }
        }
    }

    private static CellError rejected(JShell shell, Snippet s, String source) {
        String diags = shell.diagnostics(s).map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("; "));
        return new CellError.MagicError("cellar: could not evaluate `" + source + "`: " + diags);
    }

    /** Reflective handles on jdk.jshell's package-private evaluation machinery (JDK 17's layout). */
    private record Internals(Field eval, Method toSnippets, Constructor<?> unit, Method syntheticDiags,
            Method initialize, Method setWrap, Method compileAndLoad, Method isExecutable, Method className,
            Method executionControl, Method suspendIndexing, Method resumeIndexing) {

        static Internals find() {
            try {
                // The package-private classes, reached through the members that name them.
                Field evalField = JShell.class.getDeclaredField("eval");
                Class<?> evalClass = evalField.getType();
                Method syntheticDiags = Snippet.class.getDeclaredMethod("syntheticDiags");
                Class<?> diagList = syntheticDiags.getReturnType();
                Class<?> unitClass = null;
                for (Method m : evalClass.getDeclaredMethods()) {
                    if (m.getName().equals("events") && m.getParameterCount() > 0) {
                        unitClass = m.getParameterTypes()[0];
                    }
                }
                Class<?> analysis = JShell.class.getDeclaredField("sourceCodeAnalysis").getType();
                if (unitClass == null) {
                    return null;
                }
                Internals i = new Internals(
                        open(evalField),
                        open(evalClass.getDeclaredMethod("sourceToSnippetsWithWrappers", String.class)),
                        open(unitClass.getDeclaredConstructor(JShell.class, Snippet.class, Snippet.class, diagList)),
                        open(syntheticDiags),
                        open(unitClass.getDeclaredMethod("initialize")),
                        open(unitClass.getDeclaredMethod("setWrap", Collection.class, Collection.class)),
                        open(evalClass.getDeclaredMethod("compileAndLoad", Set.class)),
                        open(Snippet.class.getDeclaredMethod("isExecutable")),
                        open(Snippet.class.getDeclaredMethod("classFullName")),
                        open(JShell.class.getDeclaredMethod("executionControl")),
                        open(analysis.getDeclaredMethod("suspendIndexing")),
                        open(analysis.getDeclaredMethod("resumeIndexing")));
                return i;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Not opened (InaccessibleObjectException) or another layout: the public API it is.
                return null;
            }
        }

        private static <T extends java.lang.reflect.AccessibleObject> T open(T member) {
            member.setAccessible(true);
            return member;
        }

        /** One variable snippet per source, or null if any source is something else (then: one by one). */
        @SuppressWarnings("unchecked")
        List<Snippet> parse(JShell shell, List<String> sources) throws CellError {
            List<Snippet> out = new ArrayList<>();
            try {
                Object e = eval.get(shell);
                for (String source : sources) {
                    List<Snippet> s = (List<Snippet>) toSnippets.invoke(e, source);
                    if (s.size() != 1 || s.get(0).kind() != Snippet.Kind.VAR) {
                        return null;
                    }
                    out.add(s.get(0));
                }
                return out;
            } catch (ReflectiveOperationException | RuntimeException ex) {
                return null;
            }
        }

        /**
         * What {@code JShell.eval} does per snippet, for all of them at once: units made, wrapped (each
         * in its own class, so each gets its final class name before the others import it), compiled and
         * loaded in one go, then each initializer run in order.
         */
        void declare(JShell shell, List<Snippet> snippets, List<String> sources) throws CellError {
            Object analysisImpl = shell.sourceCodeAnalysis();
            invoke(suspendIndexing, analysisImpl);
            try {
                Object e = eval.get(shell);
                Set<Object> units = new LinkedHashSet<>();
                for (Snippet s : snippets) {
                    units.add(unit.newInstance(shell, s, null, syntheticDiags.invoke(s)));
                }
                for (Object u : units) {
                    initialize.invoke(u);
                    setWrap.invoke(u, units, List.of(u));
                }
                compileAndLoad.invoke(e, units);
                ExecutionControl ec = (ExecutionControl) executionControl.invoke(shell);
                for (int i = 0; i < snippets.size(); i++) {
                    Snippet s = snippets.get(i);
                    if (!shell.status(s).isDefined()) {
                        throw rejected(shell, s, sources.get(i));
                    }
                    if ((boolean) isExecutable.invoke(s)) {
                        try {
                            ec.invoke((String) className.invoke(s), "do_it$");
                        } catch (ExecutionControl.ExecutionControlException ex) {
                            throw new CellError.MagicError("cellar: `" + sources.get(i) + "` failed: " + ex.getMessage());
                        }
                    }
                }
            } catch (InvocationTargetException ex) {
                throw new CellError.MagicError("cellar: could not declare " + snippets.size() + " variables: "
                        + ex.getCause());
            } catch (IllegalAccessException | InstantiationException ex) {
                throw new CellError.MagicError("cellar: could not declare " + snippets.size() + " variables: " + ex);
            } finally {
                invoke(resumeIndexing, analysisImpl);
            }
        }

        private static void invoke(Method m, Object target) {
            try {
                m.invoke(target);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Indexing for completion is only paused for speed, as JShell.eval pauses it.
            }
        }
    }
}
