package dev.cellar.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Golden store fixtures (store directories written by a released format, kept under
 * {@code src/test/resources}) are opened from a copy, because opening a store writes to it.
 */
public final class GoldenStores {
    private GoldenStores() {}

    /**
     * Copies the fixture directory {@code name} (beside {@code anchor}'s class, holding a {@code FORMAT}
     * file) to {@code into/name} and returns the copy, owner-only like a store cellar made (git keeps no
     * modes).
     */
    public static Path copy(Class<?> anchor, String name, Path into) throws Exception {
        var format = anchor.getResource(name + "/FORMAT");
        if (format == null) {
            throw new IllegalArgumentException("no golden store " + name + " beside " + anchor.getName());
        }
        Path src = Path.of(format.toURI()).getParent();
        Path dir = into.resolve(name);
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path to = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }
}
