package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocksDB's native library is copied once into a cache directory and loaded from there by later JVMs;
 * a damaged copy is replaced, and a directory that cannot be trusted or used is not used at all (each
 * case in a new JVM, since a JVM loads a native library once).
 */
class NativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void theLibraryIsCopiedOnceThenLoadedFromTheCacheAndADamagedCopyIsReplaced() throws Exception {
        Path cache = tmp.resolve("native");
        Map<String, String> first = child(cache, "s1");
        assertEquals("EXTRACTED", first.get("source"));
        Path lib = onlyLibrary(cache);
        assertTrue(first.get("mapped").startsWith(lib.toString()), first.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        byte[] good = Files.readAllBytes(lib);
        long modified = Files.getLastModifiedTime(lib).toMillis();

        Map<String, String> second = child(cache, "s2");
        assertEquals("CACHED", second.get("source"));
        assertTrue(second.get("mapped").startsWith(lib.toString()), second.toString());
        assertEquals(modified, Files.getLastModifiedTime(lib).toMillis(), "not copied again");

        // Same size, one byte changed in the middle of the code: caught by the CRC, replaced, and loaded.
        byte[] damaged = good.clone();
        damaged[good.length / 2] ^= 0x5a;
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-------"));
        Files.write(lib, damaged);
        Map<String, String> third = child(cache, "s3");
        assertEquals("EXTRACTED", third.get("source"));
        assertTrue(third.get("mapped").startsWith(lib.toString()), third.toString());
        assertArrayEquals(good, Files.readAllBytes(lib));

        // Truncated: the same.
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-------"));
        Files.write(lib, java.util.Arrays.copyOf(good, 4096));
        assertEquals("EXTRACTED", child(cache, "s4").get("source"));
        assertArrayEquals(good, Files.readAllBytes(lib));
    }

    @Test
    void aCacheDirectoryThatCannotBeUsedOrTrustedFallsBackToRocksdbsOwnLoader() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("file"), "not a directory");
        Map<String, String> r = child(notADirectory, "s1");
        assertEquals("ROCKSDB", r.get("source"));
        assertFalse(r.get("mapped").startsWith(tmp.toString()), r.toString());

        // Writable by others: someone else could swap the library, so nothing is written to it or loaded from it.
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Map<String, String> s = child(shared, "s2");
        assertEquals("ROCKSDB", s.get("source"));
        assertFalse(s.get("mapped").startsWith(shared.toString()), s.toString());
        try (Stream<Path> files = Files.list(shared)) {
            assertEquals(List.of(), files.toList());
        }
    }

    /** Runs {@link NativeLibraryChild} on a new store; its report as key → value, after checking that it worked. */
    private Map<String, String> child(Path cache, String store) throws Exception {
        ChildJvm c = ChildJvm.start(NativeLibraryChild.class, "256m", cache.toString(), tmp.resolve(store).toString());
        List<String> lines = c.lines(300);
        assertEquals(0, c.exitValue(), lines.toString());
        assertTrue(lines.contains("works"), lines.toString());
        return lines.stream().filter(l -> l.indexOf(' ') > 0)
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')), l -> l.substring(l.indexOf(' ') + 1),
                        (a, b) -> a));
    }

    private static Path onlyLibrary(Path cache) throws Exception {
        try (Stream<Path> files = Files.walk(cache)) {
            List<Path> libs = files.filter(p -> p.getFileName().toString().startsWith("librocksdbjni") && !p.toString().endsWith(".tmp")).toList();
            assertEquals(1, libs.size(), libs.toString());
            return libs.get(0);
        }
    }
}
