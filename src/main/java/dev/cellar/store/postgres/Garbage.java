package dev.cellar.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Garbage collection of payload blobs. A blob row is created (or touched) before its bytes are
 * written and an entry commit share-locks the rows it refers to, so deleting only rows that are both
 * unreferenced and untouched for the grace period, under a row lock, never breaks a writer. A removed
 * reference is recorded in {@code cellar_released} (by trigger), and a blob released within the grace
 * period is kept too, so a reader that opened its entry just before the removal is not broken either.
 */
final class Garbage {
    private Garbage() {}

    static int collect(PostgresDataStore store, long graceMillis) {
        Pool pool = store.pool();
        List<String[]> candidates = pool.tx("list unreferenced payloads", c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT b.blob, b.kind FROM cellar_blobs b"
                    + " WHERE b.touched < now() - make_interval(secs => ?)"
                    + " AND NOT EXISTS (SELECT 1 FROM cellar_payloads p WHERE p.blob = b.blob)"
                    + " AND NOT EXISTS (SELECT 1 FROM cellar_released r WHERE r.blob = b.blob"
                    + " AND r.at >= now() - make_interval(secs => ?))")) {
                s.setDouble(1, graceMillis / 1000.0);
                s.setDouble(2, graceMillis / 1000.0);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new String[] {r.getString(1), Integer.toString(r.getInt(2))});
                    }
                }
            }
            return out;
        });
        int deleted = 0;
        pool.tx("forget old releases", c -> {
            // older than the grace period, a release no longer protects anything
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM cellar_released WHERE at < now() - make_interval(secs => ?)")) {
                s.setDouble(1, graceMillis / 1000.0);
                s.executeUpdate();
            }
            return null;
        });
        for (String[] cand : candidates) {
            String blob = cand[0];
            boolean object = Integer.parseInt(cand[1]) == PayloadRef.OBJECT;
            boolean gone = pool.tx("delete an unreferenced payload", c -> {
                // lock first, then re-check in a new statement (a fresh snapshot in READ COMMITTED)
                try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM cellar_blobs WHERE blob = ?"
                        + " AND touched < now() - make_interval(secs => ?) FOR UPDATE")) {
                    s.setString(1, blob);
                    s.setDouble(2, graceMillis / 1000.0);
                    try (ResultSet r = s.executeQuery()) {
                        if (!r.next()) {
                            return false;
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM cellar_payloads WHERE blob = ?"
                        + " UNION ALL SELECT 1 FROM cellar_released WHERE blob = ? AND at >= now() - make_interval(secs => ?)"
                        + " LIMIT 1")) {
                    s.setString(1, blob);
                    s.setString(2, blob);
                    s.setDouble(3, graceMillis / 1000.0);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            return false;
                        }
                    }
                }
                if (object) {
                    if (store.blobs() == null) {
                        return false; // not reachable from here; another process with the bucket collects it
                    }
                    store.blobs().delete(blob);
                } else {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM cellar_chunks WHERE blob = ?")) {
                        s.setString(1, blob);
                        s.executeUpdate();
                    }
                }
                try (PreparedStatement s = c.prepareStatement("DELETE FROM cellar_blobs WHERE blob = ?")) {
                    s.setString(1, blob);
                    s.executeUpdate();
                }
                return true;
            });
            if (gone) {
                deleted++;
            }
        }
        if (store.blobs() != null) {
            deleted += strayObjects(store, graceMillis);
        }
        return deleted;
    }

    /** Objects with no blob row at all (none is created by cellar, but a bucket may hold leftovers). */
    private static int strayObjects(PostgresDataStore store, long graceMillis) {
        List<String> old = store.blobs().listOlderThan(System.currentTimeMillis() - graceMillis);
        if (old.isEmpty()) {
            return 0;
        }
        Set<String> known = store.pool().tx("list payload objects", c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT blob FROM cellar_blobs WHERE blob = ANY (?)")) {
                s.setArray(1, c.createArrayOf("text", old.toArray()));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
            }
            return out;
        });
        int n = 0;
        for (String name : old) {
            if (!known.contains(name)) {
                store.blobs().delete(name);
                n++;
            }
        }
        return n;
    }
}
