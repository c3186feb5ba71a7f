package dev.cellar;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Static one-liners for JShell and scripts: {@code import static dev.cellar.Cached.*;} then
 * {@code double[] xs = cached("squares", params("n", n), () -> squares(n));}
 *
 * <p>They use one process-wide cellar, opened on first use with {@link Cellar#openDefault()} (so
 * {@code CELLAR_DIR} and {@code CELLAR_DISABLE} apply) and closed at exit, or the one given to
 * {@link #use(Cellar)}.
 */
public final class Cached {
    private static Cellar current;

    private Cached() {}

    /** The process-wide cellar, opened on first use. */
    public static synchronized Cellar cellar() {
        if (current == null) {
            Cellar c = Cellar.openDefault();
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "cellar-close"));
            current = c;
        }
        return current;
    }

    /** Makes {@code cellar} the one the one-liners use (the caller keeps ownership). */
    public static synchronized void use(Cellar cellar) {
        current = cellar;
    }

    /** @see Cellar#cached(String, Parameters, Callable) */
    public static <T> T cached(String name, Parameters parameters, Callable<T> computation) {
        return cellar().cached(name, parameters, computation);
    }

    /** @see Cellar#cached(String, Parameters, List, Callable) */
    public static <T> T cached(String name, Parameters parameters, List<?> inputs, Callable<T> computation) {
        return cellar().cached(name, parameters, inputs, computation);
    }

    /** @see Cellar#cached(Component, Callable) */
    public static <T> T cached(Component component, Callable<T> computation) {
        return cellar().cached(component, computation);
    }

    /** @see Parameters#of(Object...) */
    public static Parameters params(Object... namesAndValues) {
        return Parameters.of(namesAndValues);
    }

    /** Upstream inputs for {@link #cached(String, Parameters, List, Callable)}: components or values. */
    public static List<Object> inputs(Object... upstream) {
        return List.of(upstream);
    }
}
