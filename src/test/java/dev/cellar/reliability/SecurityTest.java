package dev.cellar.reliability;

import dev.cellar.store.DataStore;
import dev.cellar.engine.Config;
import static dev.cellar.Cached.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.StoreException;
import dev.cellar.store.EntryWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security promises through the public API ({@link Cellar#open}): the store directory is private to the
 * user, a directory others can write to is refused with an explanation (they could plant entries this
 * process would load), and no name a user or a stored manifest supplies ever becomes a path.
 */
class SecurityTest {
    /** Every file a store may contain; anything else (or anything outside the store) is an escape. */
    private static final Pattern LAYOUT = Pattern.compile(
            "FORMAT|lock|db(/[A-Za-z0-9._-]+)?|blobs(/[0-9a-f]{2}(/[0-9a-f]{32}\\.blob)?)?|tmp(/[0-9a-f-]{36}\\.tmp)?|journal(/[0-9a-f-]{36}\\.journal)?");

    @TempDir
    Path tmp;

    @Test
    void theStoreDirectoryAndItsSubdirectoriesArePrivate() throws Exception {
        Path dir = tmp.resolve("a/b/store");
        try (Cellar cellar = Cellar.open(dir)) {
            cellar.cached("x", params("n", 1), () -> new double[20_000]); // a blob file and its shard directory
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(d);
                assertFalse(p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)
                        || p.contains(PosixFilePermission.OTHERS_READ), d + " " + PosixFilePermissions.toString(p));
            }
        }
    }

    @Test
    void aDirectoryOthersCanWriteIsRefusedWithAnExplanation() throws Exception {
        for (String perms : new String[] {"rwxrwxrwx", "rwxrwx---", "rwx-w----", "rwxrwxrwt"}) {
            Path dir = tmp.resolve("open-" + perms.hashCode());
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(perms.replace('t', 'x')));
            StoreException e = assertThrows(StoreException.class, () -> Cellar.open(dir).close());
            assertTrue(e.getMessage().contains("writable by") && e.getMessage().contains("chmod 700"), e.getMessage());
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(0, s.count(), "nothing is written into a refused directory");
            }
        }
        // a private link to a shared directory is the shared directory
        Path shared = tmp.resolve("shared");
        Files.createDirectory(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), shared);
        assertThrows(StoreException.class, () -> Cellar.open(link).close());
    }

    @Test
    void namesNeverEscapeTheStoreDirectory() throws Exception {
        Path dir = tmp.resolve("inner/store");
        List<String> hostile = List.of("../../escape", "/etc/passwd", "..", ".", "..\\..\\escape", "a/../../b",
                "nul\0byte", "~root", "$HOME", "x".repeat(5000), "con:", "%2e%2e%2f");
        DataStore store = Config.fromEnvironment().openStore(dir); // what Cellar.open(dir) opens
        try (Cellar cellar = Cellar.builder().store(store).build()) {
            for (String name : hostile) {
                double[] v = {name.length(), 1};
                double[] big = new double[10_000 + name.length()];
                Component c = Component.builder(name).version(name).parameters(params("p", name)).build();
                assertArrayEquals(v, cellar.cached(c, () -> v));
                assertArrayEquals(v, cellar.cached(c, () -> new double[0]), name);
                cellar.store(c, name, big);
                assertEquals(big.length, cellar.retrieve(c, name, double[].class).orElseThrow().length);
            }
            // the store SPI refuses payload names that could be paths, for every back end
            for (String bad : List.of("../x", "a/b", "..", ".", "a\\b", "tab\t", "")) {
                try (EntryWriter w = store.begin(cellar.keyOf(Component.of("spi")))) {
                    assertThrows(IllegalArgumentException.class, () -> w.payload(bad), bad);
                }
            }
        }
        List<String> outside = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.filter(p -> !p.startsWith(dir) && !p.equals(tmp) && !p.equals(tmp.resolve("inner")))
                    .forEach(p -> outside.add(tmp.relativize(p).toString()));
        }
        assertEquals(List.of(), outside, "files created outside the store directory");
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> unexpected = s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString())
                    .filter(p -> !LAYOUT.matcher(p).matches()).toList();
            assertEquals(List.of(), unexpected, "files outside the store's layout");
        }
    }
}
