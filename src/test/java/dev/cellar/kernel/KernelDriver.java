package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cellar.Cellar;
import dev.cellar.kernel.jshell.CellError;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kernel in this JVM on a given store, driven cell by cell without the Jupyter transport: the kernel
 * tests' and the benchmark's way in. The kernel swaps System.out and System.err when it starts, so
 * whoever reports through them keeps the originals first.
 */
public final class KernelDriver implements AutoCloseable {
    private final CellarKernel kernel;
    private final AtomicInteger cell = new AtomicInteger(1);

    private KernelDriver(Path store) {
        this.kernel = new CellarKernel(() -> Cellar.open(store));
    }

    public static KernelDriver open(Path store) {
        return new KernelDriver(store);
    }

    /** The kernel itself, for what cells do not reach (completion, inspection, interrupts, display listeners). */
    public CellarKernel kernel() {
        return kernel;
    }

    /** Runs a cell; returns its printed text (status lines included), then "=> value" if it displayed a value. */
    public String run(String code) throws Exception {
        StringBuilder out = new StringBuilder();
        DisplayData d = kernel.eval(code, cell.getAndIncrement(), (stream, text) -> out.append(text));
        if (d != null) {
            out.append("=> ").append(d.getData(MIMEType.TEXT_PLAIN));
        }
        return out.toString();
    }

    /** Runs a cell that must fail with a cell error, and returns that error. */
    public CellError fails(String code) {
        Exception e = assertThrows(Exception.class, () -> run(code));
        return assertInstanceOf(CellError.class, e, () -> "expected a cell error, got " + e);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
