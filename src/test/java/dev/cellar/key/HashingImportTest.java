package dev.cellar.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** zero-allocation-hashing is imported by this package only (and inside it, by {@code Xxh3} only). */
class HashingImportTest {
    @Test
    void onlyXxh3ImportsZeroAllocationHashing() throws IOException {
        Path main = Path.of("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the module root");
        List<String> importers;
        try (Stream<Path> files = Files.walk(main)) {
            importers = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(HashingImportTest::importsHashing)
                    .map(p -> main.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(List.of("dev/cellar/key/Xxh3.java"), importers);
    }

    private static boolean importsHashing(Path p) {
        try {
            return Files.readString(p).contains("import net.openhft.");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
