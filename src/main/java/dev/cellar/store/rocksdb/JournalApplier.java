package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Every process's {@link Journal} as the store sees it: the holder applies them (in batches of up to
 * {@link #BATCH} records, each batch also writing how far its journal is applied, so a holder killed
 * halfway resumes after the last batch and no record is applied twice in a way that matters); a
 * follower reads the records not applied yet.
 */
final class JournalApplier {
    /** Records per write batch: large enough to make one log write cover a holder's tick, bounded in memory. */
    static final int BATCH = 1000;

    private final Path dir;
    private final Journal journal;
    private final DbHandle handle;
    private final Totals totals;
    private final EntryRecords records;

    JournalApplier(Path dir, Journal journal, DbHandle handle, Totals totals, EntryRecords records) {
        this.dir = dir;
        this.journal = journal;
        this.handle = handle;
        this.totals = totals;
        this.records = records;
    }

    /**
     * Applies every journal (this process's and others', live or dead) as far as it is complete; deletes
     * the journals of processes that are gone once applied, and retires this process's own. The DB must
     * be held. Returns whether anything was applied.
     */
    synchronized boolean apply(RocksDB db) throws RocksDBException {
        boolean any = false;
        List<Path> files = Journal.list(dir);
        // after listing: a journal this process creates meanwhile is not in the list, and its own must
        // never be probed for its lock (closing the probe would drop this process's lock on it)
        Path own = journal.file();
        for (Path f : files) {
            boolean mine = f.equals(own);
            boolean gone = !mine && Journal.ownerGone(f); // before reading: a gone owner's file is final
            byte[] jk = Journal.appliedKey(f);
            long from = Journal.decodeOffset(db.get(jk));
            long end = from;
            long size;
            try {
                size = Files.size(f);
            } catch (java.io.IOException e) {
                continue; // deleted meanwhile by another holder
            }
            if (size > from) {
                List<Journal.Frame> frames = journal.read(f, from);
                if (!frames.isEmpty()) {
                    totals.lock();
                    try {
                        for (int i = 0; i < frames.size(); i += BATCH) {
                            records.applyLocked(db, frames.subList(i, Math.min(frames.size(), i + BATCH)), jk);
                        }
                        records.evictIfOver(db);
                    } finally {
                        totals.unlock();
                    }
                    end = frames.get(frames.size() - 1).end();
                    any = true;
                }
            }
            if (gone) {
                // the file first: a leftover record for a missing file is harmless, a file without its
                // record would be applied again from the start
                try {
                    Files.deleteIfExists(f);
                } catch (java.io.IOException e) {
                    continue;
                }
                db.delete(handle.writeOptions(), jk);
            } else if (mine && !journal.retireIfApplied(end)) {
                journal.applied(f, end);
            } else if (mine) {
                db.delete(handle.writeOptions(), jk);
            }
        }
        return any;
    }

    /** Whether any journal file exists (cheap: one directory listing). */
    boolean exist() {
        return !Journal.list(dir).isEmpty();
    }

    /** The newest unapplied journal record of {@code key} as of the state {@code db} shows, or null. */
    Records.Entry find(RocksDB db, Key key) throws RocksDBException {
        Records.Entry found = null;
        Path own = journal.file();
        for (Path f : Journal.list(dir)) {
            if (f.equals(own)) {
                continue; // this process's own commits are in journal.pending
            }
            long from = Journal.decodeOffset(db.get(Journal.appliedKey(f)));
            for (Journal.Frame fr : journal.read(f, from)) {
                if (fr.key().equals(key)) {
                    found = fr.entry();
                }
            }
        }
        return found;
    }

    /** Forgets this process's commits that the holder has applied (as the follower's view {@code db} shows). */
    void prunePending(RocksDB db) throws RocksDBException {
        Path own = journal.file();
        if (own != null && handle.isFollower(db)) {
            journal.applied(own, Journal.decodeOffset(db.get(Journal.appliedKey(own))));
        }
    }
}
