package dev.cellar.kernel;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import dev.cellar.engine.Config;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Work a fresh kernel does on background threads while JShell starts and the notebook connects, so
 * that the first {@code %%cached} hit of a notebook rerun does not pay it. From the first line of
 * {@code main}: opening the store (loading RocksDB's native library and opening the database; only if
 * the store's directory already exists, so a kernel that never caches creates nothing), then loading
 * and initialising the codecs, manifests and key derivation (a store and retrieve in memory). Once the
 * kernel is built: JShell's analysis and compiler ({@link CellarKernel#warmUpJShell}). Failures are
 * left for the first cell to report.
 */
final class WarmUp {
    private final Supplier<Cellar> opener;
    private final BooleanSupplier storeExists;
    private final CompletableFuture<Cellar> early = new CompletableFuture<>();

    private WarmUp(Supplier<Cellar> opener, BooleanSupplier storeExists) {
        this.opener = opener;
        this.storeExists = storeExists;
    }

    /** Starts opening the default store and warming the codecs, on one daemon thread. */
    static WarmUp start() {
        return start(Cellar::openDefault, () -> {
            Config config = Config.fromEnvironment();
            return !config.disabled() && Files.isDirectory(config.directory());
        });
    }

    /** As {@link #start()}, with {@code opener} opening the store if {@code storeExists} says it exists. */
    static WarmUp start(Supplier<Cellar> opener, BooleanSupplier storeExists) {
        WarmUp w = new WarmUp(opener, storeExists);
        daemon("cellar-warm-up", () -> {
            w.openEarly();
            codecs();
        });
        return w;
    }

    /**
     * The kernel's opener: the store opened in the background, once it is (a cell that needs it sooner
     * waits for it rather than opening it a second time), or else opened now, which reports the problem.
     */
    Cellar store() {
        Cellar c = early.join();
        return c != null ? c : opener.get();
    }

    /**
     * The kernel is built: warm JShell up under its cell lock, and hand it the store opened in the
     * background (so that closing the kernel closes it, even if no cell ever asks for it).
     */
    void kernelBuilt(CellarKernel kernel) {
        daemon("cellar-warm-up-jshell", () -> {kernel.warmUpJShell();});
        early.thenAccept(c -> {
            if (c != null) {
                kernel.cellar();
            }
        });
    }

    private void openEarly() {
        Cellar c = null;
        try {
            if (storeExists.getAsBoolean()) {
                c = opener.get();
            }
        } catch (RuntimeException | LinkageError e) {
            // The first %%cached opens the store again and says what is wrong.
        }
        early.complete(c);
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

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
