package dev.cellar.kernel.jshell;

import dev.cellar.kernel.display.ValueText;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs each JShell snippet on a fresh user thread inside the kernel's JVM, so that an interrupt can
 * stop it. {@code JShell.stop()} on the stock local engine ends the thread but the snippet then looks
 * as if it succeeded; here a stop is turned into an error the kernel reports, and the rest of the
 * cell is not run.
 *
 * <p>JShell's own value strings print every element of an array (for a million doubles, half a second
 * and megabytes of text). Here snippets return no text; the value object is kept aside for the kernel
 * to display ({@link #takeLastValue()}), which renders arrays abbreviated ({@link ValueText}).
 */
final class UserCodeControl extends DirectExecutionControl {
    /** Name of the exception class reported when a snippet was stopped by an interrupt. */
    static final String INTERRUPTED = "dev.cellar.kernel.Interrupted";

    private final Object lock = new Object();
    private Thread running;
    private boolean stopRequested;
    private volatile ClassLoader snippetLoader;
    private final AtomicReference<Object> lastValue = new AtomicReference<>();
    private final AtomicReference<Object> lastVarValue = new AtomicReference<>();
    private volatile boolean fetching;

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        snippetLoader = doitMethod.getDeclaringClass().getClassLoader();
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                result[0] = doitMethod.invoke(null);
            } catch (InvocationTargetException e) {
                failure[0] = e.getCause();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "cellar-user-code");
        t.setContextClassLoader(snippetLoader);
        synchronized (lock) {
            stopRequested = false;
            running = t;
        }
        t.start();
        try {
            joinUninterruptibly(t);
        } finally {
            synchronized (lock) {
                running = null;
            }
        }
        boolean stopped;
        synchronized (lock) {
            stopped = stopRequested;
            stopRequested = false;
        }
        if (stopped) {
            throw new UserException("interrupted: the cell was stopped", INTERRUPTED, new StackTraceElement[0]);
        }
        if (failure[0] != null) {
            throw new InvocationTargetException(failure[0]);
        }
        lastValue.set(result[0]);
        // The kernel renders the object itself, and only for a cell's last expression: no text here
        // (a user's toString() is not called for every declaration).
        return "";
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException,
            InternalException {
        try {
            var field = findClass(className).getDeclaredField(varName);
            field.setAccessible(true);
            Object value = field.get(null);
            // JShell.varValue is how the kernel reads a variable's object without compiling a snippet;
            // then no text is needed (and a user's toString() is not called).
            lastVarValue.set(value);
            return fetching ? "" : ValueText.of(value);
        } catch (Throwable e) {
            throw new InternalException(e.toString());
        }
    }

    /**
     * Stops the running snippet, if any. Java 17 still honours {@code Thread.stop}, which also ends a
     * tight loop that never checks its interrupt flag; a cell that is idle is left alone.
     */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        Thread t;
        synchronized (lock) {
            t = running;
            if (t == null) {
                return;
            }
            stopRequested = true;
        }
        t.interrupt();
        try {
            t.join(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            try {
                t.stop();
            } catch (UnsupportedOperationException e) {
                // Java 20+ removed Thread.stop: only code that checks its interrupt flag can be stopped.
                System.err.println("cellar: this Java cannot stop a running cell; it stops at its next"
                        + " interrupt check (run the kernel on Java 17 to stop any cell)");
            }
        }
    }

    boolean isRunning() {
        synchronized (lock) {
            return running != null;
        }
    }

    /** The value the last executed snippet produced (null for none), cleared on read. */
    Object takeLastValue() {
        return lastValue.getAndSet(null);
    }

    /** While set, {@code varValue} only records the object and renders no text. */
    void fetching(boolean on) {
        fetching = on;
    }

    /** The object behind the last {@code JShell.varValue} call, cleared on read. */
    Object takeLastVarValue() {
        return lastVarValue.getAndSet(null);
    }

    /** The class loader JShell defines snippet classes in; null before the first snippet ran. */
    ClassLoader snippetLoader() {
        return snippetLoader;
    }

    /** Hands JShell the one control instance this kernel talks to. */
    static final class Provider implements ExecutionControlProvider {
        private final UserCodeControl control = new UserCodeControl();

        UserCodeControl control() {
            return control;
        }

        @Override
        public String name() {
            return "cellar";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
