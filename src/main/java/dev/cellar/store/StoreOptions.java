package dev.cellar.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a persistent store.
 *
 * @param maxBytes size cap (manifests plus payloads); after a commit that passes it, the least valuable
 *     entries are evicted until the store is back under it
 * @param lockTimeout how long an operation waits for other processes sharing the directory before it
 *     fails with a {@link dev.cellar.StoreException}
 * @param idleRelease how long a process keeps the store open for itself after its last operation when
 *     no other process is waiting (others waiting get it sooner)
 */
public record StoreOptions(long maxBytes, Duration lockTimeout, Duration idleRelease) {
    public static final long DEFAULT_MAX_BYTES = 10L << 30;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);
    /**
     * A notebook runs cells seconds to minutes apart, and reopening RocksDB costs 15-60 ms (more after
     * heavy writes) of a hit's 50 ms budget; other processes do not suffer from a long hold, because a
     * waiter is handed the store after the holder's short time slice.
     */
    public static final Duration DEFAULT_IDLE_RELEASE = Duration.ofSeconds(60);

    /** @throws IllegalArgumentException on a negative cap or a negative or zero duration */
    public StoreOptions {
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(idleRelease, "idleRelease");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("lockTimeout must be positive, got " + lockTimeout);
        }
        if (idleRelease.isNegative() || idleRelease.isZero()) {
            throw new IllegalArgumentException("idleRelease must be positive, got " + idleRelease);
        }
    }

    /**
     * 10 GiB cap, 60 s lock timeout, 60 s idle release (a process waiting for the store gets it after
     * the holder's current time slice anyway; the idle release only frees the handle).
     */
    public static StoreOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from the defaults. */
    public static final class Builder {
        private long maxBytes = DEFAULT_MAX_BYTES;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private Duration idleRelease = DEFAULT_IDLE_RELEASE;

        private Builder() {}

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        public Builder idleRelease(Duration idleRelease) {
            this.idleRelease = idleRelease;
            return this;
        }

        /** @throws IllegalArgumentException if a setting is out of range */
        public StoreOptions build() {
            return new StoreOptions(maxBytes, lockTimeout, idleRelease);
        }
    }
}
