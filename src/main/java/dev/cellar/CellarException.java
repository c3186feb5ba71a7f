package dev.cellar;

/**
 * Root of every exception cellar throws. Unchecked: a cache must never force callers to handle
 * failures that it already turns into misses and warnings.
 */
public class CellarException extends RuntimeException {
    public CellarException(String message) {
        super(message);
    }

    public CellarException(String message, Throwable cause) {
        super(message, cause);
    }
}
