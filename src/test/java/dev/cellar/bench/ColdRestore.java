package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Cold restores: the page cache is emptied ({@code sync; echo 3 > /proc/sys/vm/drop_caches}, which needs
 * root and a kernel that lets this container do it) before each timed run, so the entry comes from the
 * disk, as after a reboot or once the host has reclaimed pages untouched for a while. The reference is
 * a plain read of the same bytes from a file, also cold.
 */
final class ColdRestore {
    static final String COLD_RESTORE = "cellar restore (hit), cold";
    static final String COLD_READ = "FileChannel read into new double[], cold";

    private final Ctx ctx;
    private final Cellar cellar;
    private final Path scratch;

    ColdRestore(Ctx ctx, Cellar cellar, Path scratch) {
        this.ctx = ctx;
        this.cellar = cellar;
        this.scratch = scratch;
    }

    void run() throws Exception {
        Report r = ctx.report;
        r.section("1b. Cold restore", "The page cache is dropped (`sync; echo 3 > /proc/sys/vm/drop_caches`) "
                + "before every timed run of both subjects; the drop itself is not timed. This also evicts "
                + "other processes' file pages, so the other builds on this machine slow down for a moment.");
        String why = tryDrop();
        if (why != null) {
            r.text("**Not measured**: dropping the page cache failed here (" + why + ").");
            ctx.cases.put("cold", Map.of());
            return;
        }
        r.timeHeader();
        List<Long> sizes = ctx.sizes();
        for (long bytes : sizes.subList(1, sizes.size())) {
            double[] data = ArrayBench.doubles((int) (bytes / 8), 3);
            String name = "cold restore double[] " + Report.size(bytes);
            Component c = Component.of("bench.cold", Parameters.of("bytes", bytes));
            cellar.remove(c);
            cellar.cached(c, () -> data);
            Path ref = scratch.resolve("cold-ref.bin");
            Raw.write(ref, data);
            Callable<double[]> miss = () -> {
                throw new IllegalStateException(name + ": expected a hit, got a miss");
            };
            double[][] last = new double[2][];
            Ctx.log(name);
            Harness h = ctx.quick ? new Harness(0, 1) : new Harness(1, 5);
            Map<String, Sample> s = h.compare(List.of(
                    Harness.Subject.of(COLD_RESTORE, i -> last[0] = cellar.cached(c, miss))
                            .withSetup(i -> drop()),
                    Harness.Subject.of(COLD_READ, i -> last[1] = Raw.readDoubles(ref))
                            .withSetup(i -> drop())));
            ArrayBench.check(name, Arrays.equals(data, last[0]));
            ArrayBench.check(name + " (reference)", Arrays.equals(data, last[1]));
            ctx.record(name, s);
            r.timeRows(name, s, COLD_READ, bytes);
            r.point("restore", "cellar restore, cold", bytes, s.get(COLD_RESTORE));
            r.point("restore", "file read, cold", bytes, s.get(COLD_READ));
            cellar.remove(c);
            Files.deleteIfExists(ref);
        }
        r.endTable();
    }

    /** Null if the page cache could be dropped, else why not. */
    static String tryDrop() {
        try {
            drop();
            return null;
        } catch (IOException | RuntimeException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    static void drop() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sync").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("sync failed");
        }
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
    }
}
