package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Commits of a process that does not hold the store. Instead of waiting for the holder (and making it
 * close RocksDB so that this process can open it), the process appends the entry's record to its own
 * journal file, {@code journal/<random>.journal}, with one {@code write}: once that returns, a killed
 * process loses nothing (the kernel has the bytes, as it has RocksDB's unsynced log). The holder applies
 * every journal to RocksDB in batches, recording in the same batch how far it got (a {@code 'J'}
 * record per journal), so each record is applied once, in order. The owner holds a lock on its journal
 * while it lives; the holder deletes a journal whose owner is gone once it is applied.
 *
 * <p>Frame: length (4 bytes), CRC32C of the body (4), body = key (32), commit time in ms (8), the entry
 * record ({@link Records#encodeEntry}). A torn or damaged frame ends the journal: it was never
 * acknowledged.
 */
final class Journal {
    static final String SUFFIX = ".journal";
    private static final int HEADER = 8;

    private final Path dir;
    private FileChannel channel;
    private FileLock lock;
    private Path file;
    private long size;
    /**
     * This process's commits in its current journal that it does not know to be applied yet, so that it
     * reads its own commits without catching up with the holder (see {@link Follower}).
     */
    private final java.util.LinkedHashMap<Key, Frame> pending = new java.util.LinkedHashMap<>();

    Journal(Path dir) {
        this.dir = dir;
    }

    /** One applied-or-not record read back. */
    record Frame(Key key, long committedMillis, Records.Entry entry, long end) {}

    /** Makes the entry record (renaming its blobs in); may fail. */
    @FunctionalInterface
    interface Prepare {
        byte[] entry() throws IOException;
    }

    /**
     * Appends a commit; returns when the bytes are in the kernel. The journal file exists before
     * {@code prepare} renames blob files in, and cannot be retired until the record is appended.
     */
    synchronized void commit(Key key, long nowMillis, Prepare prepare) {
        open();
        byte[] entry;
        try {
            entry = prepare.entry();
        } catch (IOException e) {
            throw new StoreException("cannot move a payload into the store's blobs: " + e, e);
        }
        append(key, nowMillis, entry);
    }

    private void append(Key key, long nowMillis, byte[] entry) {
        byte[] body = new byte[Key.LENGTH + 8 + entry.length];
        ByteBuffer.wrap(body).put(key.bytes()).putLong(nowMillis).put(entry);
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer frame = ByteBuffer.allocate(HEADER + body.length);
        frame.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
        try {
            if (channel == null) {
                create();
            }
            while (frame.hasRemaining()) {
                channel.write(frame, size + frame.position());
            }
            size += frame.limit();
            Records.Entry e = Records.decodeEntry(entry);
            pending.remove(key);
            pending.put(key, new Frame(key, nowMillis, e, size));
        } catch (IOException e) {
            throw new StoreException("cannot write to " + file + ": " + e, e);
        }
    }

    /**
     * Created under another name, locked, then renamed: a file named {@code *.journal} is locked for as
     * long as its owner lives (the lock belongs to the file, not the name), so an unlocked one is
     * abandoned.
     */
    private void create() throws IOException {
        String name = UUID.randomUUID() + SUFFIX;
        Path temp = dir.resolve(name + ".new");
        Path f = dir.resolve(name);
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            lock = ch.lock();
            Files.move(temp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(temp);
            throw e;
        }
        channel = ch;
        file = f;
        size = 0;
    }

    /** Creates this process's journal file now if it has none (see the caller's reason). */
    synchronized void open() {
        if (channel == null) {
            try {
                create();
            } catch (IOException e) {
                throw new StoreException("cannot create a journal in " + dir + ": " + e, e);
            }
        }
    }

    /** This process's own unapplied commit of {@code key}, or null. */
    synchronized Records.Entry pending(Key key) {
        Frame f = pending.get(key);
        return f == null ? null : f.entry();
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    /** Forgets a pending commit whose blob turned out to be gone (the entry was replaced or removed since). */
    synchronized void forget(Key key) {
        pending.remove(key);
    }

    /** Forgets pending commits up to {@code appliedOffset} of journal {@code f} (if it is this process's). */
    synchronized void applied(Path f, long appliedOffset) {
        if (f == null || !f.equals(file)) {
            return;
        }
        var it = pending.values().iterator();
        while (it.hasNext()) {
            if (it.next().end() <= appliedOffset) {
                it.remove();
            }
        }
    }

    /** This process's current journal file, or null. */
    synchronized Path file() {
        return file;
    }

    /**
     * Deletes this process's journal if everything up to {@code appliedOffset} is all of it (called by
     * the holder right after applying it); the next commit starts a new one.
     */
    synchronized boolean retireIfApplied(long appliedOffset) {
        if (file == null || size == 0 || appliedOffset != size) {
            return false;
        }
        closeAndDelete();
        return true;
    }

    private void closeAndDelete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // applied already: a leftover is deleted by a later holder
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing drops the lock anyway
        }
        channel = null;
        lock = null;
        file = null;
        size = 0;
        pending.clear();
    }

    /** Drops the lock (the file stays for the next holder to apply) and forgets the file. */
    synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // the lock goes with the channel
            }
            channel = null;
            lock = null;
            file = null;
        }
    }

    /** The journal files in the directory. */
    static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            s.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new StoreException("cannot list " + dir + ": " + e, e);
        }
        return out;
    }

    /** Whether no process holds {@code f}'s lock (its owner is gone); never call it on this JVM's own journal. */
    static boolean ownerGone(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return false;
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The complete frames of journal {@code f} from byte {@code from} on (a missing file has none). A
     * frame that is torn (still being written, or cut by a kill) or damaged ends the list. This process's
     * own journal is read through its own channel: opening and closing another channel on the file would
     * drop this process's lock on it (POSIX locks belong to the process), and its journal would look
     * abandoned to the holder, who deletes abandoned journals.
     */
    List<Frame> read(Path f, long from) {
        synchronized (this) {
            if (f.equals(file)) {
                try {
                    return frames(read(channel, from), from);
                } catch (IOException e) {
                    throw new StoreException("cannot read " + f + ": " + e, e);
                }
            }
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            return frames(read(ch, from), from);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new StoreException("cannot read " + f + ": " + e, e);
        }
    }

    private static ByteBuffer read(FileChannel ch, long from) throws IOException {
        long n = ch.size() - from;
        if (n <= 0) {
            return ByteBuffer.allocate(0);
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(n, Integer.MAX_VALUE - 16));
        while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
            // read what is there
        }
        return b.flip();
    }

    private static List<Frame> frames(ByteBuffer b, long from) {
        List<Frame> out = new ArrayList<>();
        long pos = from;
        while (b.remaining() >= HEADER) {
            int len = b.getInt(b.position());
            int crc = b.getInt(b.position() + 4);
            if (len < Key.LENGTH + 8 || len > b.remaining() - HEADER) {
                break;
            }
            byte[] body = new byte[len];
            b.position(b.position() + HEADER);
            b.get(body);
            CRC32C c = new CRC32C();
            c.update(body);
            if ((int) c.getValue() != crc) {
                break;
            }
            ByteBuffer bb = ByteBuffer.wrap(body);
            byte[] k = new byte[Key.LENGTH];
            bb.get(k);
            long at = bb.getLong();
            byte[] rec = new byte[bb.remaining()];
            bb.get(rec);
            Records.Entry e = Records.decodeEntry(rec);
            if (e == null) {
                break;
            }
            pos += HEADER + len;
            out.add(new Frame(Key.of(k), at, e, pos));
        }
        return out;
    }

    /** The key of the record saying how far {@code journal} has been applied. */
    static byte[] appliedKey(Path journal) {
        byte[] name = journal.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] k = new byte[1 + name.length];
        k[0] = Records.JOURNAL;
        System.arraycopy(name, 0, k, 1, name.length);
        return k;
    }

    static byte[] encodeOffset(long offset) {
        return ByteBuffer.allocate(9).put(Records.FORMAT).putLong(offset).array();
    }

    /** The applied offset a record says, 0 if there is none (nothing applied yet) or it is unreadable. */
    static long decodeOffset(byte[] v) {
        if (v == null || v.length != 9 || v[0] != Records.FORMAT) {
            return 0;
        }
        return ByteBuffer.wrap(v, 1, 8).getLong();
    }
}
