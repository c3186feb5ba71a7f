package dev.cellar.store.shared;

import dev.cellar.CellarException;
import dev.cellar.Key;
import dev.cellar.StoreException;
import dev.cellar.store.DataStore;
import dev.cellar.store.postgres.Leases;
import dev.cellar.store.postgres.PostgresDataStore;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One computes, the others wait: before computing a missed key, a process takes a lease on it in the
 * shared database; others see who holds it, wait, and then hit. The holder renews its lease every
 * {@link #RENEW_MILLIS}; a lease not renewed for {@link #TTL_MILLIS} (its holder was killed or lost
 * its machine) is taken over by the next waiter. A waiter listens for the database's notification of
 * the holder's commit or release ({@link Leases.Listener}) and polls only as a fallback.
 */
public final class SingleFlight {
    static final long TTL_MILLIS = 10_000;
    static final long RENEW_MILLIS = 2_500;
    private static final long POLL_MILLIS = 200;
    /** The fallback poll of a waiter that listens for notifications (a commit or release wakes it at once). */
    static volatile long listeningPollMillis = 1_000;
    private static final long REPORT_MILLIS = 10_000;

    private static final ScheduledExecutorService HEARTBEAT = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cellar-lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private SingleFlight() {}

    /** A turn at computing a key: held (close releases the lease), or over because another finished it. */
    public interface Turn extends AutoCloseable {
        /** True if another process computed the key while this one waited: look it up again. */
        boolean waited();

        @Override
        void close();
    }

    private static final Turn ALONE = new Turn() {
        @Override
        public boolean waited() {
            return false;
        }

        @Override
        public void close() {}
    };

    /**
     * Waits until this process may compute {@code key} or another process has stored it. Without a
     * writable shared tier (none, read-only, unreachable) there is nothing to coordinate with.
     *
     * @param waiting receives the waiting lines ({@code waiting for NAME: being computed by ...})
     * @throws CellarException if the thread is interrupted while waiting
     */
    public static Turn await(DataStore store, Key key, String name, Consumer<String> waiting) {
        if (!(store instanceof TieredStore tiers)) {
            return ALONE;
        }
        PostgresDataStore shared = tiers.sharedForWrite();
        if (shared == null) {
            return ALONE;
        }
        Leases leases = shared.leases();
        long lastReport = 0;
        boolean waited = false;
        Leases.Listener listener = null;
        boolean canListen = true;
        try {
            while (true) {
                Leases.Holder[] busy = new Leases.Holder[1];
                Optional<String> token = leases.tryAcquire(key, name, TTL_MILLIS, busy);
                if (token.isPresent()) {
                    if (waited && shared.contains(key)) {
                        leases.release(key, token.get()); // the holder finished just before its lease went
                        return waitedTurn();
                    }
                    return held(tiers, leases, key, token.get());
                }
                waited = true;
                if (listener == null && canListen) {
                    try {
                        listener = leases.listen();
                    } catch (StoreException e) {
                        canListen = false; // polling works without it
                    }
                }
                long now = System.currentTimeMillis();
                if (busy[0] != null && now - lastReport >= REPORT_MILLIS) {
                    lastReport = now;
                    waiting.accept("waiting for " + name + ": being computed by " + busy[0].holder() + " (pid "
                            + busy[0].pid() + ") for " + Math.max(0, busy[0].heldMillis() / 1000) + " s");
                }
                if (listener != null) {
                    listener.await(key, listeningPollMillis);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                } else {
                    Thread.sleep(POLL_MILLIS);
                }
                if (shared.contains(key)) {
                    return waitedTurn();
                }
            }
        } catch (StoreException e) {
            tiers.failed(e);
            return ALONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException("interrupted while waiting for " + name + " to be computed elsewhere");
        } finally {
            if (listener != null) {
                listener.close();
            }
        }
    }

    private static Turn waitedTurn() {
        return new Turn() {
            @Override
            public boolean waited() {
                return true;
            }

            @Override
            public void close() {}
        };
    }

    private static Turn held(TieredStore tiers, Leases leases, Key key, String token) {
        ScheduledFuture<?> beat = HEARTBEAT.scheduleWithFixedDelay(() -> {
            try {
                leases.renew(key, token, TTL_MILLIS);
            } catch (RuntimeException e) {
                // the lease lapses; a waiter takes over, the value is still computed here and stored
            }
        }, RENEW_MILLIS, RENEW_MILLIS, TimeUnit.MILLISECONDS);
        return new Turn() {
            private boolean closed;

            @Override
            public boolean waited() {
                return false;
            }

            @Override
            public synchronized void close() {
                if (closed) {
                    return;
                }
                closed = true;
                beat.cancel(false);
                try {
                    leases.release(key, token);
                } catch (StoreException e) {
                    tiers.failed(e); // it expires by itself
                }
            }
        };
    }
}
