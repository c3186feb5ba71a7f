package dev.cellar.store.postgres;

import dev.cellar.Key;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;

/**
 * Lease rows for single flight: one process per key computes while others wait. A lease names its
 * holder and expires unless renewed; times are the database's, so clocks of different machines do not
 * matter. A holder that dies stops renewing, and the first waiter after the expiry takes the lease over.
 */
public final class Leases {
    private final Pool pool;
    private final String holder;
    private final long pid = ProcessHandle.current().pid();

    Leases(Pool pool, String holder) {
        this.pool = pool;
        this.holder = holder;
    }

    /** Who holds a lease and for how long, for the waiting message. */
    public record Holder(String holder, long pid, long heldMillis) {}

    /**
     * Takes the lease on {@code key} for {@code ttlMillis} if it is free or expired.
     *
     * @return the token that renews and releases it, or empty with the current holder in {@code busy}
     */
    public Optional<String> tryAcquire(Key key, String name, long ttlMillis, Holder[] busy) {
        String token = UUID.randomUUID().toString();
        return pool.tx("take a lease", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO cellar_leases (key, name, holder, pid, token,"
                    + " started, expires) VALUES (?, ?, ?, ?, ?, now(), now() + make_interval(secs => ?))"
                    + " ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, holder = EXCLUDED.holder,"
                    + " pid = EXCLUDED.pid, token = EXCLUDED.token, started = EXCLUDED.started,"
                    + " expires = EXCLUDED.expires WHERE cellar_leases.expires < now()")) {
                s.setBytes(1, key.bytes());
                s.setString(2, name);
                s.setString(3, holder);
                s.setLong(4, pid);
                s.setString(5, token);
                s.setDouble(6, ttlMillis / 1000.0);
                if (s.executeUpdate() == 1) {
                    return Optional.of(token);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT holder, pid,"
                    + " (extract(epoch FROM now() - started) * 1000)::bigint FROM cellar_leases WHERE key = ?")) {
                s.setBytes(1, key.bytes());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        busy[0] = new Holder(r.getString(1), r.getLong(2), r.getLong(3));
                    }
                }
            }
            return Optional.empty();
        });
    }

    /** Extends a held lease; false if it was lost (expired and taken over). */
    public boolean renew(Key key, String token, long ttlMillis) {
        return pool.tx("renew a lease", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE cellar_leases SET expires = now()"
                    + " + make_interval(secs => ?) WHERE key = ? AND token = ?")) {
                s.setDouble(1, ttlMillis / 1000.0);
                s.setBytes(2, key.bytes());
                s.setString(3, token);
                return s.executeUpdate() == 1;
            }
        });
    }

    public void release(Key key, String token) {
        pool.tx("release a lease", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM cellar_leases WHERE key = ? AND token = ?")) {
                s.setBytes(1, key.bytes());
                s.setString(2, token);
                s.executeUpdate();
            }
            return null;
        });
    }
}
