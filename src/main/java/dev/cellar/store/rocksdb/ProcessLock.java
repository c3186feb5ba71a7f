package dev.cellar.store.rocksdb;

import dev.cellar.StoreException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock that lets several processes share one store although RocksDB admits one process at a time.
 * Byte 0 of the lock file is the store itself: its holder may open RocksDB. Byte 1 announces waiters:
 * each process waiting for byte 0 holds a shared lock on byte 1, so the holder can tell (by failing to
 * lock byte 1 exclusively) that someone waits, and hand the store over after its time slice.
 *
 * <p>POSIX record locks belong to the process and closing any channel of the file drops all of them,
 * so one JVM uses exactly one instance per directory (see {@link SharedStore}), and every method is
 * called with the caller's handle lock held, so no two calls of one JVM overlap. Waits are polls, not
 * blocking locks, so that they can end at a deadline.
 */
final class ProcessLock implements AutoCloseable {
    private final Path file;
    private volatile FileChannel channel;
    private FileLock held;
    private boolean closed;
    /**
     * Why this process can never hold the store, or null: the lock file cannot be opened for writing
     * (a read-only file system, or another user's store that this user may only read). Such a process
     * reads through its follower (which takes no lock) and is refused every write.
     */
    private final String readOnly;

    /** The JDK's reason for EROFS (it has no exception type of its own). */
    static final String READ_ONLY_FS = "Read-only file system";

    ProcessLock(Path file) {
        this.file = file;
        FileChannel ch = null;
        String why = null;
        try {
            ch = openChannel();
        } catch (StoreException e) {
            if (e.getCause() instanceof java.nio.file.AccessDeniedException) {
                why = "no permission to write " + file;
            } else if (e.getCause() instanceof java.nio.file.FileSystemException f
                    && READ_ONLY_FS.equals(f.getReason())) {
                why = "read-only file system";
            } else {
                throw e;
            }
        }
        this.channel = ch;
        this.readOnly = why;
    }

    private FileChannel openChannel() {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot open the lock file " + file + ": " + e, e);
        }
    }

    /** Why this process can only read the store (see {@link #readOnly}), or null if it may write. */
    String readOnlyReason() {
        return readOnly;
    }

    /** Refuses a write up front, with the reason, if this process can only read the store. */
    void checkWritable() {
        if (readOnly != null) {
            throw readOnlyError();
        }
    }

    private StoreException readOnlyError() {
        return new StoreException("the store in " + file.getParent() + " is read-only for this process (" + readOnly
                + "): its entries can be read, but nothing can be stored, removed or collected");
    }

    /**
     * Waits for the store until {@code deadlineNanos} (System.nanoTime), announcing itself as a waiter.
     *
     * @throws StoreException naming the directory if another process keeps it past the deadline
     */
    void acquire(long deadlineNanos) {
        if (held != null) {
            return;
        }
        if (readOnly != null) {
            throw readOnlyError();
        }
        if (!channel.isOpen() && !closed) {
            // A thread interrupted inside a lock call closes the channel (FileChannel is interruptible);
            // nothing was held then, so a fresh channel loses nothing.
            channel = openChannel();
        }
        try {
            FileLock waiting = null;
            try {
                long sleepMicros = 200;
                while (true) {
                    FileLock l = channel.tryLock(0, 1, false);
                    if (l != null) {
                        held = l;
                        return;
                    }
                    if (waiting == null) {
                        waiting = channel.lock(1, 1, true);
                        continue;
                    }
                    if (System.nanoTime() - deadlineNanos > 0) {
                        throw new StoreException("the store in " + file.getParent() + " stayed busy: another"
                                + " process kept it longer than the lock timeout; try again, or raise the timeout");
                    }
                    Thread.sleep(sleepMicros / 1000, (int) (sleepMicros % 1000) * 1000);
                    sleepMicros = Math.min(2000, sleepMicros * 2);
                }
            } finally {
                if (waiting != null) {
                    waiting.release();
                }
            }
        } catch (InterruptedException | ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store in " + file.getParent(), e);
        } catch (IOException e) {
            throw new StoreException("cannot lock " + file + ": " + e, e);
        }
    }

    /** Takes the store if no other process holds it, without waiting; returns whether this process holds it. */
    boolean tryAcquire() {
        if (held != null) {
            return true;
        }
        if (readOnly != null) {
            return false;
        }
        if (!channel.isOpen() && !closed) {
            channel = openChannel();
        }
        try {
            held = channel.tryLock(0, 1, false);
            return held != null;
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store in " + file.getParent(), e);
        } catch (IOException e) {
            throw new StoreException("cannot lock " + file + ": " + e, e);
        }
    }

    boolean isHeld() {
        return held != null;
    }

    /** Whether another process is waiting; call only while holding the store. */
    boolean othersWaiting() {
        if (channel == null) {
            return false;
        }
        try {
            FileLock probe = channel.tryLock(1, 1, false);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    void release() {
        if (held != null) {
            try {
                held.release();
            } catch (IOException e) {
                // the channel is gone: the lock went with it
            }
            held = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        release();
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
