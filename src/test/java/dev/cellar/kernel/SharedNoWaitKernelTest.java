package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.store.shared.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %%cached --no-wait} with a shared tier: while kernel A computes a cell (and holds its lease),
 * kernel B runs the same cell with {@code --no-wait} and computes it at once instead of waiting for A.
 * Both kernels run in this JVM, each with its own local store, against one PostgreSQL + S3Proxy.
 */
class SharedNoWaitKernelTest {
    @TempDir
    Path tmp;

    private CellarKernel kernel(SharedServers servers, String schema, String local) {
        return new CellarKernel(() -> servers.machine(tmp.resolve(local), schema)
                .build());
    }

    private static String run(CellarKernel k, String code, int cell) throws Exception {
        StringBuilder out = new StringBuilder();
        k.eval(code, cell, (stream, text) -> {
            synchronized (out) {
                out.append(text);
            }
        });
        synchronized (out) {
            return out.toString();
        }
    }

    @Test
    void noWaitComputesWhileAnotherKernelHoldsTheCell() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("kernelnowait");
        Path started = tmp.resolve("holder-started");
        Path release = tmp.resolve("release");
        // the same cell (so the same key) in both kernels: whoever runs it first blocks until released
        String body = "int answer = 42;\n"
                + "if (java.nio.file.Files.notExists(java.nio.file.Path.of(\"" + started + "\"))) {\n"
                + "    java.nio.file.Files.createFile(java.nio.file.Path.of(\"" + started + "\"));\n"
                + "    while (java.nio.file.Files.notExists(java.nio.file.Path.of(\"" + release + "\"))) Thread.sleep(20);\n"
                + "}\n";
        CellarKernel a = kernel(servers, schema, "a");
        CellarKernel b = kernel(servers, schema, "b");
        try {
            CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> {
                try {
                    return run(a, "%%cached slowcell --outputs=answer\n" + body, 1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (Files.notExists(started) && !holder.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20); // A's body is running: it holds the lease now
            }
            assertTrue(Files.exists(started), "kernel A started the cell: " + (holder.isDone() ? holder.get() : ""));

            CompletableFuture<String> noWait = CompletableFuture.supplyAsync(() -> {
                try {
                    return run(b, "%%cached slowcell --outputs=answer --no-wait\n" + body, 1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // waiting, B would sit here until A finished, and A finishes only once released below
            String outB = noWait.get(3, TimeUnit.MINUTES);
            assertTrue(outB.contains("MISS slowcell"), outB);
            assertFalse(outB.contains("waiting for"), outB);
            assertFalse(holder.isDone(), "A was still computing when B finished");
            Files.createFile(release);
            String outA = holder.get(3, TimeUnit.MINUTES);
            assertTrue(run(b, "System.out.println(answer);", 2).contains("42"));
        } finally {
            if (Files.notExists(release)) {
                Files.createFile(release);
            }
            a.close();
            b.close();
        }
    }
}
