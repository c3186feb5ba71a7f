package dev.cellar.store.postgres;

import dev.cellar.StoreException;

/**
 * A payload downloaded from the shared store is not what its entry recorded (size or SHA-256): the
 * entry is damaged, unlike an unreachable server, after which the entry is still good.
 */
public final class DamagedPayloadException extends StoreException {
    public DamagedPayloadException(String message) {
        super(message);
    }
}
