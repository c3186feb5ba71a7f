package dev.cellar.kernel.jshell;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Owns {@code System.out} and {@code System.err} while the kernel runs. Text printed by user code is
 * buffered and sent to the notebook at most every {@value #FLUSH_MILLIS} ms (one message per print
 * would flood the front end), and is also recorded while a {@code %%cached} cell captures its output.
 */
public final class OutputRouter implements AutoCloseable {
    public static final long FLUSH_MILLIS = 50;

    /** One piece of a cell's captured output: text on a stream, or display data (mime type to data). */
    public record Item(String stream, String text, java.util.Map<String, Object> display) {}

    private final Channel out = new Channel("stdout");
    private final Channel err = new Channel("stderr");
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    private final ScheduledExecutorService flusher;
    private volatile BiConsumer<String, String> sink;
    private List<Item> capture;
    private long captured;
    private static final long MAX_CAPTURE = 1_000_000;

    public OutputRouter() {
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellar-output-flusher");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    public PrintStream out() {
        return outStream;
    }

    public PrintStream err() {
        return errStream;
    }

    /** Sends buffered text to {@code sink} (stream name, text) from now on; null holds it back. */
    public void attach(BiConsumer<String, String> sink) {
        this.sink = sink;
    }

    /** Sends what is buffered now. */
    public void flush() {
        BiConsumer<String, String> s = sink;
        if (s == null) {
            return;
        }
        synchronized (this) {
            out.drainTo(s);
            err.drainTo(s);
        }
    }

    /** Starts recording the text printed from now on (and display data passed to {@link #recordDisplay}). */
    public synchronized void startCapture() {
        capture = new ArrayList<>();
        captured = 0;
    }

    /** Stops recording and returns what was printed and displayed, in order. */
    public synchronized List<Item> stopCapture() {
        List<Item> c = capture == null ? List.of() : capture;
        capture = null;
        return c;
    }

    public synchronized void recordDisplay(java.util.Map<String, Object> data) {
        if (capture != null) {
            capture.add(new Item(null, null, data));
        }
    }

    private synchronized void recordText(String stream, byte[] b, int off, int len) {
        if (capture == null || captured > MAX_CAPTURE) {
            return;
        }
        String text = new String(b, off, len, StandardCharsets.UTF_8);
        captured += len;
        if (captured > MAX_CAPTURE) {
            // The captured output is kept in the entry's manifest: a cell that prints megabytes keeps its head.
            text = text + "\n[cellar: output beyond " + MAX_CAPTURE / 1_000_000 + " MB not kept]\n";
        }
        Item last = capture.isEmpty() ? null : capture.get(capture.size() - 1);
        if (last != null && stream.equals(last.stream())) {
            capture.set(capture.size() - 1, new Item(stream, last.text() + text, null));
        } else {
            capture.add(new Item(stream, text, null));
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
    }

    /** A buffered stream; whole UTF-8 sequences only are sent, a split character waits for its tail. */
    private final class Channel extends OutputStream {
        private final String name;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Channel(String name) {
            this.name = name;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (OutputRouter.this) {
                buffer.write(b, off, len);
                recordText(name, b, off, len);
            }
        }

        void drainTo(BiConsumer<String, String> s) {
            if (buffer.size() == 0) {
                return;
            }
            byte[] bytes = buffer.toByteArray();
            int end = completeUtf8Prefix(bytes);
            buffer.reset();
            buffer.write(bytes, end, bytes.length - end);
            if (end > 0) {
                s.accept(name, new String(bytes, 0, end, StandardCharsets.UTF_8));
            }
        }
    }

    public static int completeUtf8Prefix(byte[] b) {
        int n = b.length;
        // Look back at most 3 bytes for the lead byte of a multi-byte sequence that is cut off.
        for (int i = n - 1; i >= Math.max(0, n - 3); i--) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                return n;
            }
            if (c >= 0xC0) {
                int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
                return n - i >= need ? n : i;
            }
        }
        return n;
    }
}
