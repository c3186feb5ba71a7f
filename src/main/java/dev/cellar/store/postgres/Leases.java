package dev.cellar.store.postgres;

import dev.cellar.Key;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Lease rows for single flight: one process per key computes while others wait. A lease names its
 * holder and expires unless renewed; times are the database's, so clocks of different machines do not
 * matter. A holder that dies stops renewing, and the first waiter after the expiry takes the lease over.
 *
 * <p>Waiters are woken by PostgreSQL notifications (a channel per schema, payload the key
 * in hex): a commit of an entry and a release of a lease notify in their transaction, so a waiter looks
 * again at once instead of at its next poll. Polling stays as the fallback (a connection pooler in
 * transaction mode, for one, does not pass notifications on).
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
            notifyWaiters(c, key); // a holder that stored nothing: a waiter takes the lease at once
            return null;
        });
    }

    /**
     * The notification channel of this store's schema. Hashed: a channel name is at most 63 bytes, and
     * a schema name may be that long by itself (a channel too long would fail every commit).
     */
    private static final String CHANNEL = "'cellar_' || substr(md5(coalesce(current_schema(), '')), 1, 24)";

    /** Wakes the waiters of {@code key} when the transaction on {@code c} commits. */
    static void notifyWaiters(Connection c, Key key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(" + CHANNEL + ", ?)")) {
            s.setString(1, HexFormat.of().formatHex(key.bytes()));
            s.executeQuery().close();
        }
    }

    /** A connection listening for the notifications of this store's commits and releases. */
    public final class Listener implements AutoCloseable {
        private final Connection c;
        private final PGConnection pg;

        private Listener(Connection c) throws SQLException {
            this.c = c;
            this.pg = c.unwrap(PGConnection.class);
            c.setAutoCommit(true); // LISTEN takes effect when its transaction commits
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT quote_ident(" + CHANNEL + ")")) {
                r.next();
                s.execute("LISTEN " + r.getString(1));
            }
        }

        /**
         * Waits up to {@code timeoutMillis} for a notification about {@code key}; true if one came.
         * Notifications about other keys end the wait early too (false): the caller just looks again.
         */
        public boolean await(Key key, long timeoutMillis) {
            String hex = HexFormat.of().formatHex(key.bytes());
            try {
                PGNotification[] got = pg.getNotifications((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)));
                if (got != null) {
                    for (PGNotification n : got) {
                        if (hex.equals(n.getParameter())) {
                            return true;
                        }
                    }
                }
                return false;
            } catch (SQLException e) {
                throw pool.failure("wait for a notification", e);
            }
        }

        @Override
        public void close() {
            Pool.quietlyClose(c); // closing the session ends its LISTEN; never back into the pool
        }
    }

    /** Starts listening; the caller polls as before if this fails. */
    public Listener listen() {
        Connection c = pool.take();
        try {
            return new Listener(c);
        } catch (SQLException e) {
            Pool.quietlyClose(c);
            throw pool.failure("listen for notifications", e);
        }
    }
}
