package dev.cellar.kernel.jshell;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Holds back JShell's class index for tab completion until it is wanted. Creating JShell's code
 * analysis starts a background index of the JDK and the class path (package and class names for
 * completion): about half a second of CPU in a fresh JVM, which on a small machine competes with the
 * first cells of a notebook rerun (a {@code %%cached} hit included) for the same cores. Nothing but
 * completion and documentation reads it. So the kernel keeps it paused (JShell's own
 * {@code suspendIndexing}, which its {@code eval} uses for the same reason) from start until the first
 * completion or documentation request, or until no cell has run for {@link #IDLE_MILLIS} ({@link
 * #FIRST_IDLE_MILLIS} after start when no cell came yet), whichever comes first. Where {@code
 * jdk.jshell}'s internals are not opened to us it does nothing: JShell indexes at start, as it always did.
 */
public final class CompletionIndex {
    /** How long the kernel must be idle (no cell running) after a cell before the index is built anyway. */
    static final long IDLE_MILLIS = 3_000;
    /**
     * The same before the first cell: a client sends it right after the kernel answers, but on a busy
     * machine that can take seconds, and the index should not start just as the first cell arrives.
     */
    static final long FIRST_IDLE_MILLIS = 10_000;
    /** The longest a completion request waits for an index it has just released. */
    private static final long WAIT_MILLIS = 1_500;

    private final Object analysis;
    private final Method resume;
    private final ExecutorService indexer;
    private final long idleMillis;
    private boolean held;
    private boolean ranCell;
    private int running;
    private long idleSince = System.nanoTime();

    private CompletionIndex(Object analysis, Method resume, ExecutorService indexer, long idleMillis) {
        this.analysis = analysis;
        this.resume = resume;
        this.indexer = indexer;
        this.idleMillis = idleMillis;
    }

    /** Pauses {@code analysis}'s indexing now (best effort: a path already being indexed finishes). */
    static CompletionIndex hold(SourceCodeAnalysis analysis, long idleMillis) {
        CompletionIndex index;
        try {
            Class<?> impl = analysis.getClass();
            Method suspend = impl.getDeclaredMethod("suspendIndexing");
            Method resume = impl.getDeclaredMethod("resumeIndexing");
            Field indexerField = impl.getDeclaredField("INDEXER");
            suspend.setAccessible(true);
            resume.setAccessible(true);
            indexerField.setAccessible(true);
            index = new CompletionIndex(analysis, resume, (ExecutorService) indexerField.get(null), idleMillis);
            suspend.invoke(analysis);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not opened to us, or another JDK's layout: JShell indexes right away, as it always did.
            return new CompletionIndex(null, null, null, idleMillis);
        }
        index.held = true;
        Thread t = new Thread(index::releaseWhenIdle, "cellar-completion-index");
        t.setDaemon(true);
        t.start();
        return index;
    }

    /** True while the index is held back (for tests). */
    synchronized boolean held() {
        return held;
    }

    /** A cell starts: the kernel is not idle. */
    public synchronized void busy() {
        running++;
    }

    /** A cell ended. */
    public synchronized void idle() {
        ranCell = true;
        running = Math.max(0, running - 1);
        idleSince = System.nanoTime();
    }

    /**
     * Completion or documentation needs the index: lets it be built, and the first time waits for it
     * (at most {@link #WAIT_MILLIS}) so that the answer has the package and class names in it.
     */
    public void wanted() {
        if (release()) {
            try {
                indexer.submit(() -> { }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                    | RuntimeException e) {
                // Answer with what is indexed so far, as JShell does while it is still indexing.
            }
        }
    }

    /**
     * The session ends: indexing resumes (JShell indexes on one thread for the whole JVM, which would
     * otherwise wait for this session forever).
     */
    void close() {
        release();
    }

    /** Resumes indexing if it is held; true if this call released it. */
    private boolean release() {
        synchronized (this) {
            if (!held) {
                return false;
            }
            held = false;
        }
        try {
            resume.invoke(analysis);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Indexing stays paused: completion lacks names not yet indexed, nothing else changes.
        }
        return true;
    }

    private void releaseWhenIdle() {
        try {
            while (true) {
                Thread.sleep(Math.max(50, idleMillis / 4));
                synchronized (this) {
                    if (!held) {
                        return;
                    }
                    long wait = ranCell ? idleMillis : Math.max(idleMillis, FIRST_IDLE_MILLIS);
                    if (running > 0 || System.nanoTime() - idleSince < wait * 1_000_000L) {
                        continue;
                    }
                }
                release();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
