package dev.cellar.kernel.jshell;

import java.util.List;

/**
 * A cell that did not run to the end. The notebook shows the class's simple name as the error name,
 * {@link #getMessage()} as its value, and {@link #traceback()} as the text below it; the kernel's own
 * stack never appears there.
 */
public abstract class CellError extends Exception {
    private final List<String> traceback;

    CellError(String message, List<String> traceback) {
        super(message, null, false, false);
        this.traceback = List.copyOf(traceback);
    }

    public List<String> traceback() {
        return traceback;
    }

    /** The code does not compile, or is incomplete. */
    public static final class CompileError extends CellError {
        public CompileError(String message, List<String> traceback) {
            super(message, traceback);
        }
    }

    /** The user's code threw; the message names the exception class. */
    public static final class EvalError extends CellError {
        public EvalError(String message, List<String> traceback) {
            super(message, traceback);
        }
    }

    /** The cell was stopped by an interrupt. */
    public static final class Interrupted extends CellError {
        public Interrupted(String message) {
            super(message, List.of(message));
        }
    }

    /** A magic was misused, or cellar could not key, restore or store a cell. */
    public static final class MagicError extends CellError {
        public MagicError(String message) {
            super(message, List.of(message));
        }
    }
}
