package dev.cellar.store.postgres;

import dev.cellar.StoreException;

/**
 * A payload downloaded from the shared store is not what its entry recorded (size or SHA-256): the
 * entry is damaged, unlike an unreachable server, after which the entry is still good.
 */
public final class DamagedPayloadException extends StoreException {
    private final String object;

    public DamagedPayloadException(String message, String object) {
        super(message);
        this.object = object;
    }

    /**
     * The damaged payload object's name, or null if the payload was not an object. A writer of the same
     * bytes would find the object by its name and not upload it again, so it must be deleted.
     */
    public String object() {
        return object;
    }
}
