package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.kernel.jshell.CellError;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a fresh kernel does in the background at start must leave the session and the keys as they were. */
class WarmUpTest {
    @TempDir
    Path dir;

    private static final String CELL = "%%cached fresh\nint count = 42;\nString label = \"small\";\n"
            + "java.util.List<String> names = java.util.List.of(\"a\", \"b\");";

    @Test
    void warmingJShellUpLeavesNoTraceInTheSessionOrInTheKeys() throws Exception {
        Path store = dir.resolve("store");
        try (KernelDriver cold = KernelDriver.open(store)) {
            assertTrue(cold.run(CELL).contains("cellar: MISS fresh"));
        }
        try (KernelDriver warm = KernelDriver.open(store)) {
            warm.kernel().warmUpJShell();
            warm.kernel().warmUpJShell();
            // Nothing the throwaway cached cell printed (its output, its MISS and HIT lines) reaches the
            // first cell, and its store was not this one: the first cell prints exactly its own text.
            assertEquals("first\n", warm.run("System.out.println(\"first\");"));
            // The throwaway declarations are gone: their names are unknown, as in a kernel that never
            // warmed up.
            for (String name : new String[] {"$cellarWarmUp", "$cellarWarmA", "$cellarWarmD"}) {
                CellError e = warm.fails(name);
                assertTrue(String.join("\n", e.traceback()).contains("cannot find symbol"), e.traceback().toString());
            }
            // Nothing it did enters the cell's key (no variable, method or import was left): the entry the
            // cold kernel stored is a hit, and every output is declared with its type and value.
            String hit = warm.run(CELL);
            assertTrue(hit.contains("cellar: HIT fresh"), hit);
            assertTrue(hit.contains("count int, label String, names java.util.List<String>"), hit);
            assertEquals("42 small [a, b]\n", warm.run("System.out.println(count + \" \" + label + \" \" + names);"));
        }
    }

    @Test
    void theStoreOpenedInTheBackgroundIsTheOneTheKernelUsesAndAFailureIsReportedByTheCell() {
        AtomicInteger opened = new AtomicInteger();
        Path store = dir.resolve("store");
        WarmUp early = WarmUp.start(() -> {
            opened.incrementAndGet();
            return Cellar.open(store);
        }, () -> true);
        try (Cellar c = early.store()) {
            assertSame(c, early.store());
            assertEquals(1, opened.get(), "opened once, in the background");
        }

        // No store directory yet: nothing is opened (or created) until a cell asks.
        AtomicInteger asked = new AtomicInteger();
        WarmUp none = WarmUp.start(() -> {
            asked.incrementAndGet();
            return Cellar.inMemory();
        }, () -> false);
        none.store().close();
        assertEquals(1, asked.get());

        // The background open failed: the kernel's own open runs again and reports the problem to the cell.
        AtomicInteger tries = new AtomicInteger();
        WarmUp failing = WarmUp.start(() -> {
            tries.incrementAndGet();
            throw new IllegalStateException("store locked by a test");
        }, () -> true);
        IllegalStateException e = assertThrows(IllegalStateException.class, failing::store);
        assertEquals("store locked by a test", e.getMessage());
        assertEquals(2, tries.get());
    }
}
