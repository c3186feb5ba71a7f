package dev.cellar.kernel;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import dev.cellar.engine.CellEntry;
import dev.cellar.engine.Config;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /**
     * A {@code %%cached} cell's save and hit on an in-memory store: the engine, the manifest and a
     * cell entry's notes, and the codecs of the values small cells most often leave (boxed primitives,
     * strings, primitive arrays, lists and maps), so that a fresh kernel's first hit finds them loaded
     * and initialised. The store on disk is not touched: even a look-up would count as a miss in its
     * statistics.
     */
    static void codecs() {
        try (Cellar memory = Cellar.inMemory()) {
            Component c = Component.of("warm-up", Parameters.of("n", 1));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("i", 42);
            values.put("l", 1L);
            values.put("d", 0.5);
            values.put("s", "warm");
            values.put("ia", new int[] {1, 2});
            values.put("la", new long[] {1, 2});
            values.put("da", new double[] {1, 2});
            values.put("list", List.of("a", "b"));
            values.put("map", Map.of("k", List.of(1L)));
            List<CellEntry.Output> outputs = new ArrayList<>();
            for (Map.Entry<String, Object> e : values.entrySet()) {
                outputs.add(new CellEntry.Output(e.getKey(), e.getValue().getClass().getName(), false,
                        Cellar.digest(e.getValue()), false));
            }
            var d = memory.derive(c);
            memory.entries().save(d, "warm-up", values, new CellEntry(outputs, "[]").toNotes(), 1);
            memory.entries().lookup(d, "warm-up", WarmUp.class.getClassLoader())
                    .ifPresent(hit -> CellEntry.fromNotes(hit.notes(), hit.values().keySet()));
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
