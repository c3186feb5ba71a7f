package dev.cellar;

/** A store could not read or write (I/O error, disk full, unwritable or unsafe directory). */
public class StoreException extends CellarException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
