package dev.cellar.kernel;

import dev.cellar.Cellar;
import java.nio.file.Path;

/**
 * The kernel's cell evaluation for code outside this package (the benchmark's kernel worker): a kernel
 * on a given store, without the Jupyter transport. Its constructor swaps System.out and System.err,
 * so whoever reports through them keeps the originals first.
 */
public final class KernelDriver implements AutoCloseable {
    private final CellarKernel kernel;
    private int cell = 1;

    private KernelDriver(Path store) {
        this.kernel = new CellarKernel(() -> Cellar.open(store));
    }

    public static KernelDriver open(Path store) {
        return new KernelDriver(store);
    }

    /** Runs a cell; returns what it printed (status lines included). */
    public String run(String code) throws Exception {
        StringBuilder out = new StringBuilder();
        kernel.eval(code, cell++, (stream, text) -> out.append(text));
        return out.toString();
    }

    @Override
    public void close() {
        kernel.close();
    }
}
