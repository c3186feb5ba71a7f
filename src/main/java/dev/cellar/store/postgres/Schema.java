package dev.cellar.store.postgres;

import dev.cellar.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of the shared tier, created and migrated by cellar under a transaction-level advisory
 * lock, so processes opening a fresh database at once create it once. A database whose schema version
 * is newer than this cellar's is refused (never written): an older cellar cannot know what a newer one
 * relies on.
 */
final class Schema {
    /** Bumped on every change that an older cellar could not read or would damage. */
    static final int VERSION = 2;

    static final String[] V1 = {
        "CREATE TABLE cellar_entries (key bytea PRIMARY KEY, name text NOT NULL, manifest bytea NOT NULL,"
            + " size_bytes bigint NOT NULL, created_millis bigint NOT NULL, last_used_millis bigint NOT NULL,"
            + " compute_nanos bigint NOT NULL, hits bigint NOT NULL DEFAULT 0, saved_nanos bigint NOT NULL DEFAULT 0,"
            + " written_by text NOT NULL)",
        // kind: 0 = bytes inline, 1 = chunks in cellar_chunks, 2 = object in the blob store
        "CREATE TABLE cellar_payloads (key bytea NOT NULL REFERENCES cellar_entries(key) ON DELETE CASCADE,"
            + " name text NOT NULL, size bigint NOT NULL, kind smallint NOT NULL, blob text, sha256 text NOT NULL,"
            + " bytes bytea, PRIMARY KEY (key, name))",
        "CREATE INDEX cellar_payloads_blob ON cellar_payloads (blob)",
        // every large payload (chunked or object) has a row here from before its first byte is written;
        // garbage collection deletes only rows untouched for the grace period and referenced by no payload
        "CREATE TABLE cellar_blobs (blob text PRIMARY KEY, kind smallint NOT NULL, size bigint,"
            + " touched timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE cellar_chunks (blob text NOT NULL, seq int NOT NULL, bytes bytea NOT NULL,"
            + " PRIMARY KEY (blob, seq))",
        // payload bytes are mostly incompressible already; skip PostgreSQL's compression attempt
        "ALTER TABLE cellar_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL",
        "CREATE TABLE cellar_totals (id int PRIMARY KEY CHECK (id = 1), hits bigint NOT NULL,"
            + " misses bigint NOT NULL, saved_nanos bigint NOT NULL)",
        "INSERT INTO cellar_totals VALUES (1, 0, 0, 0)",
        "CREATE TABLE cellar_leases (key bytea PRIMARY KEY, name text NOT NULL, holder text NOT NULL,"
            + " pid bigint NOT NULL, token text NOT NULL, started timestamptz NOT NULL, expires timestamptz NOT NULL)",
    };

    /**
     * Version 2: the total size of all entries, kept by a trigger in the transaction that changes an
     * entry (insert, replace, remove, eviction, cascade alike), so a commit checks the size cap by
     * reading one row instead of summing every entry; and a blob's touch time renewed when a payload row
     * referring to it goes. Version 1 cellars, which would not keep the total, are refused by the
     * version check.
     */
    static final String[] V2 = {
        "ALTER TABLE cellar_totals ADD COLUMN bytes bigint NOT NULL DEFAULT 0",
        "UPDATE cellar_totals SET bytes = (SELECT coalesce(sum(size_bytes), 0) FROM cellar_entries)",
        // SET search_path FROM CURRENT: the function finds this schema's totals whatever the caller's path
        "CREATE FUNCTION cellar_count_bytes() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$"
            + " BEGIN UPDATE cellar_totals SET bytes = bytes"
            + " + CASE WHEN TG_OP = 'DELETE' THEN 0 ELSE NEW.size_bytes END"
            + " - CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.size_bytes END;"
            + " RETURN NULL; END $$",
        "CREATE TRIGGER cellar_entries_bytes AFTER INSERT OR DELETE OR UPDATE OF size_bytes ON cellar_entries"
            + " FOR EACH ROW EXECUTE FUNCTION cellar_count_bytes()",
        // A blob's grace period counts from when it lost a reference (its entry removed, replaced or
        // evicted), not only from when it was written: a reader that opened the entry just before the
        // removal still finds the bytes, instead of a spurious "damaged" for an old payload collected at
        // once. An insert-only table: updating the blob row here would wait on the share locks that
        // concurrent commits of the same content hold, and two such commits would deadlock.
        "CREATE TABLE cellar_released (blob text NOT NULL, at timestamptz NOT NULL DEFAULT now())",
        "CREATE INDEX cellar_released_blob ON cellar_released (blob)",
        "CREATE FUNCTION cellar_release() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT"
            + " AS $$ BEGIN IF OLD.blob IS NOT NULL THEN INSERT INTO cellar_released (blob) VALUES (OLD.blob);"
            + " END IF; RETURN NULL; END $$",
        "CREATE TRIGGER cellar_payloads_released AFTER DELETE ON cellar_payloads"
            + " FOR EACH ROW EXECUTE FUNCTION cellar_release()",
    };

    private Schema() {}

    static void ensure(Pool pool, String where) {
        Integer found = pool.tx("read the schema version", Schema::version);
        if (found != null && found == VERSION) {
            return;
        }
        refuseNewer(found, where);
        try {
            create(pool, where);
        } catch (StoreException e) {
            // Several processes opening a new database at once: seen in the shared concurrency test as
            // "relation cellar_entries already exists" despite the advisory lock. Whoever won created the
            // whole schema in one transaction, so if it is now there at our version, use it.
            Integer now = pool.tx("read the schema version", Schema::version);
            if (now == null || now != VERSION) {
                throw e;
            }
        }
    }

    private static void create(Pool pool, String where) {
        pool.tx("create the schema", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(7305016118947563813)");
                Integer now = version(c);
                refuseNewer(now, where);
                if (now == null) {
                    s.execute("CREATE TABLE IF NOT EXISTS cellar_schema (id int PRIMARY KEY CHECK (id = 1),"
                            + " version int NOT NULL)");
                    for (String sql : V1) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO cellar_schema VALUES (1, 1)");
                    now = 1;
                }
                // migrations from older versions, each in this transaction
                if (now == 1) {
                    for (String sql : V2) {
                        s.execute(sql);
                    }
                    now = 2;
                }
                s.execute("UPDATE cellar_schema SET version = " + now);
            }
            return null;
        });
    }

    private static void refuseNewer(Integer found, String where) {
        if (found != null && found > VERSION) {
            throw new StoreException("the shared store at " + where + " has schema version " + found
                    + ", newer than this cellar understands (" + VERSION + "); upgrade cellar to use it");
        }
    }

    /** The stored version, or null if cellar's tables do not exist yet. */
    private static Integer version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT to_regclass('cellar_schema') IS NOT NULL")) {
            r.next();
            if (!r.getBoolean(1)) {
                return null;
            }
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT version FROM cellar_schema")) {
            return r.next() ? r.getInt(1) : null;
        }
    }
}
