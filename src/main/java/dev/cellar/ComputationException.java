package dev.cellar;

/** Wraps a checked exception thrown by a user's computation; runtime exceptions pass through. */
public class ComputationException extends CellarException {
    public ComputationException(String message, Throwable cause) {
        super(message, cause);
    }
}
