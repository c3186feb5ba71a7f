package dev.cellar.kernel;

import dev.cellar.kernel.jshell.CellError;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the test classes that drive one kernel in this JVM: a kernel per test class on a store in a
 * temporary directory ({@link #dir}/store), with {@link #run} and {@link #fails} for cells.
 */
abstract class InProcessKernel {
    @TempDir
    static Path dir;
    static Path store;
    static KernelDriver cells;
    static CellarKernel kernel;

    @BeforeAll
    static void startKernel() {
        store = dir.resolve("store");
        cells = KernelDriver.open(store);
        kernel = cells.kernel();
    }

    @AfterAll
    static void stopKernel() {
        cells.close();
    }

    /** Runs a cell; returns its printed text, then "=> value" if it displayed a value. */
    static String run(String code) throws Exception {
        return cells.run(code);
    }

    static CellError fails(String code) {
        return cells.fails(code);
    }
}
