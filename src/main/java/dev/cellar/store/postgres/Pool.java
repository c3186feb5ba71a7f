package dev.cellar.store.postgres;

import dev.cellar.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A few JDBC connections reused between operations. A connection that failed is dropped, never
 * reused, so a restarted server is reconnected to on the next operation. Every error leaving here is
 * a {@link StoreException} whose message has the password scrubbed out.
 */
final class Pool implements AutoCloseable {
    private static final int MAX_IDLE = 4;

    /** Work inside one transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final PgUrl url;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    Pool(PgUrl url) {
        this.url = url;
    }

    Connection take() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            Connection c = idle.pollFirst();
            if (c != null) {
                return c;
            }
        }
        try {
            Connection c = driver.connect(url.jdbcUrl(), url.properties());
            if (c == null) {
                throw new StoreException("the PostgreSQL driver does not accept " + url.masked());
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            throw failure("connect to", e);
        }
    }

    void give(Connection c, boolean healthy) {
        synchronized (this) {
            if (healthy && !closed && idle.size() < MAX_IDLE) {
                idle.addFirst(c);
                return;
            }
        }
        quietlyClose(c);
    }

    /** Runs {@code work} in a transaction (retried once on a fresh connection if the pooled one was stale). */
    <T> T tx(String what, Work<T> work) {
        for (int attempt = 0; ; attempt++) {
            Connection c = take();
            boolean ok = false;
            try {
                T result = work.run(c);
                c.commit();
                ok = true;
                return result;
            } catch (SQLException e) {
                rollback(c);
                boolean broken = isBroken(e);
                if (broken && attempt == 0) {
                    continue; // a pooled connection from before a server restart
                }
                throw failure(what, e);
            } finally {
                if (!ok) {
                    // after an error the connection's state is unknown: do not reuse it
                    quietlyClose(c);
                } else {
                    give(c, true);
                }
            }
        }
    }

    static boolean isBroken(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    StoreException failure(String what, SQLException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        // the driver's exception is not attached as cause: its chain can quote connection properties
        return new StoreException("shared store " + url.masked() + ": cannot " + what + ": " + url.scrub(msg));
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is dropped anyway
        }
    }

    static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to release on a dead connection
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            idle.forEach(Pool::quietlyClose);
            idle.clear();
        }
    }
}
