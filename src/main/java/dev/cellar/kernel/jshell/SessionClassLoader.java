package dev.cellar.kernel.jshell;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves classes for decoding restored values. JShell names the classes of records declared in
 * cells after the snippet that declared them ({@code REPL.$JShell$12$Spike}); in another session, or
 * after the declaring cell was rerun, the same record has another wrapper number. A stored name of
 * that form is therefore resolved to the session's current type of the same simple name; the key
 * already guarantees that its source is the same as when the entry was stored.
 */
public final class SessionClassLoader extends ClassLoader {
    private static final Pattern WRAPPED = Pattern.compile("REPL\\.\\$JShell\\$\\d+\\$([^$]+)((?:\\$[^$]+)*)");

    private final JShellEvaluator evaluator;
    /** Resolved wrapper names; a decoder may ask once per element. */
    private final java.util.Map<String, Class<?>> resolved = new java.util.HashMap<>();

    public SessionClassLoader(JShellEvaluator evaluator) {
        super(evaluator.snippetLoader());
        this.evaluator = evaluator;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Class<?> known = resolved.get(name);
        if (known != null) {
            return known;
        }
        Matcher m = WRAPPED.matcher(name);
        if (m.matches()) {
            Class<?> current = current(m.group(1));
            if (current != null) {
                for (String nested : m.group(2).split("\\$")) {
                    if (nested.isEmpty()) {
                        continue;
                    }
                    current = nestedClass(current, nested);
                    if (current == null) {
                        break;
                    }
                }
                if (current != null) {
                    resolved.put(name, current);
                    return current;
                }
            }
        }
        return super.loadClass(name, resolve);
    }

    private Class<?> current(String simpleName) {
        boolean declared = evaluator.types().stream().anyMatch(t -> t.name().equals(simpleName));
        if (!declared) {
            return null;
        }
        try {
            evaluator.runGenerated("dev.cellar.kernel.jshell.Bridge.put(\"cellar-class\", " + simpleName + ".class);");
            return (Class<?>) Bridge.take("cellar-class");
        } catch (CellError | RuntimeException e) {
            return null;
        }
    }

    private static Class<?> nestedClass(Class<?> outer, String name) {
        for (Class<?> c : outer.getDeclaredClasses()) {
            if (c.getSimpleName().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
