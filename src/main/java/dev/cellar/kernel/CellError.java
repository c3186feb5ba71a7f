package dev.cellar.kernel;

import java.util.List;

/**
 * A cell that did not run to the end. The notebook shows the class's simple name as the error name,
 * {@link #getMessage()} as its value, and {@link #traceback()} as the text below it; the kernel's own
 * stack never appears there.
 */
abstract class CellError extends Exception {
    private final List<String> traceback;

    CellError(String message, List<String> traceback) {
        super(message, null, false, false);
        this.traceback = List.copyOf(traceback);
    }

    List<String> traceback() {
        return traceback;
    }

    /** The code does not compile, or is incomplete. */
    static final class CompileError extends CellError {
        CompileError(String message, List<String> traceback) {
            super(message, traceback);
        }
    }

    /** The user's code threw; the message names the exception class. */
    static final class EvalError extends CellError {
        EvalError(String message, List<String> traceback) {
            super(message, traceback);
        }
    }

    /** The cell was stopped by an interrupt. */
    static final class Interrupted extends CellError {
        Interrupted(String message) {
            super(message, List.of(message));
        }
    }

    /** A magic was misused, or cellar could not key, restore or store a cell. */
    static final class MagicError extends CellError {
        MagicError(String message) {
            super(message, List.of(message));
        }
    }
}
