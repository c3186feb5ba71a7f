package dev.cellar.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test main, with its output lines collected on a queue (a child blocks if nobody
 * reads its pipe). Children report through stdout lines; a wall-clock limit on {@link #lines} turns a
 * hang into a test failure instead of a stuck build.
 */
public final class ChildJvm {
    public static final String EOF = "<EOF>";
    public final Process process;
    public final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    queue.add(line);
                }
            } catch (Exception e) {
                // the child was killed: its output ends
            }
            queue.add(EOF);
        }, "child-output");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts {@code main} with {@code args} in a JVM with this one's class path and {@link JvmOptions},
     * limited to {@code heap} (e.g. "512m").
     */
    public static ChildJvm start(Class<?> main, String heap, String... args) throws Exception {
        List<String> cmd = JvmOptions.command("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError");
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** The next line, {@link #EOF} once the output ended (it stays there), or null if none came within {@code seconds}. */
    public String next(long seconds) throws InterruptedException {
        String l = queue.poll(seconds, TimeUnit.SECONDS);
        if (EOF.equals(l)) {
            queue.add(EOF);
        }
        return l;
    }

    /**
     * Every remaining line until the child's output ends; kills the child and throws if that takes more
     * than {@code seconds} (a hang).
     */
    public List<String> lines(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> out = new ArrayList<>();
        while (true) {
            String l = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                kill();
                throw new AssertionError("child did not finish within " + seconds + " s (a hang?); last lines: "
                        + out.subList(Math.max(0, out.size() - 20), out.size()));
            }
            if (l.equals(EOF)) {
                process.waitFor(60, TimeUnit.SECONDS);
                return out;
            }
            out.add(l);
        }
    }

    /** Writes one line to the child's standard input. */
    public void send(String line) throws java.io.IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** SIGKILL, then wait for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public int exitValue() {
        return process.exitValue();
    }
}
