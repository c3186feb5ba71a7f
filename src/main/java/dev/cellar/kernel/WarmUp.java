package dev.cellar.kernel;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import dev.cellar.engine.Config;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Work a fresh kernel does on a background thread while JShell starts and the notebook connects, so
 * that the first {@code %%cached} hit of a notebook rerun does not pay it: loading and initialising the
 * codecs, manifests and key derivation (a store and retrieve in memory), and opening the store — only
 * if its directory already exists, so a kernel that never caches creates nothing. Failures are left
 * for the first cell to report.
 */
final class WarmUp {
    private WarmUp() {
    }

    /**
     * Starts both steps on one daemon thread, the first at once (while the caller builds the kernel and
     * its JShell), the second once {@code kernel} is complete.
     */
    static void start(CompletableFuture<CellarKernel> kernel) {
        Thread t = new Thread(() -> {
            codecs();
            try {
                store(kernel.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // No kernel: nothing to open for.
            }
        }, "cellar-warm-up");
        t.setDaemon(true);
        t.start();
    }

    static void codecs() {
        try (Cellar memory = Cellar.inMemory()) {
            Component c = Component.of("warm-up", Parameters.of("n", 1));
            memory.store(c, "a", new double[] {1, 2});
            memory.store(c, "s", "warm");
            memory.store(c, "m", Map.of("k", List.of(1L)));
            memory.retrieve(c, "a", double[].class);
            memory.retrieve(c, "s", String.class);
            memory.retrieve(c, "m", Map.class);
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: the first cell that needs these reports any real problem.
        }
    }

    static void store(CellarKernel kernel) {
        try {
            Config config = Config.fromEnvironment();
            if (!config.disabled() && Files.isDirectory(config.directory())) {
                kernel.cellar();
            }
        } catch (RuntimeException e) {
            // As above: %%cached opens the store again and says what is wrong.
        }
    }
}
