package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged stores read through {@link dev.cellar.Cellar}: bit flips, truncation, zeroed ranges and
 * deletion of blob files, swapped payloads and manifests between entries, garbage and truncated
 * manifests, damaged RocksDB records, and crafted payloads with recomputed checksums. Runs in a child
 * JVM ({@link CorruptionChild}) with a 512 MiB heap that exits on OutOfMemoryError and a wall-clock
 * limit, so that a crash, an OOM or a hang fails the test instead of the build.
 */
class CellarCorruptionTest {
    @TempDir
    Path tmp;

    @Test
    void damagedEntriesAreMissesWithOneWarningNeverWrongValues() throws Exception {
        run(300, 42, 600);
    }

    @Test
    @Tag("slow")
    void tortureCorruption() throws Exception {
        run(Integer.getInteger("cellar.torture.mutations", 10_000), Long.getLong("cellar.torture.seed", 4242), 3000);
    }

    private void run(int mutations, long seed, long limitSeconds) throws Exception {
        ChildJvm child = ChildJvm.start(CorruptionChild.class, "512m", tmp.resolve("store").toString(), "" + seed,
                "" + mutations);
        List<String> out = child.lines(limitSeconds);
        String all = String.join("\n", out);
        System.out.println(out.stream().filter(l -> l.startsWith("TORTURE") || l.startsWith("FAIL")).limit(50)
                .reduce((a, b) -> a + "\n" + b).orElse("no summary"));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("TORTURE corruption: mutations=" + mutations + " ")),
                "the child did not finish (crash? OutOfMemoryError?):\n" + all);
        assertEquals(0, child.exitValue(), all);
    }
}
