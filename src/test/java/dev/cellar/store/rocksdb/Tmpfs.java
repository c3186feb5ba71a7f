package dev.cellar.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A real, small tmpfs for the tests that need a file system which fills up or turns read-only (a mount
 * needs root, as on this machine and in CI). Outside CI a machine that cannot mount skips those tests;
 * under CI ({@code CI} set, as {@code .ci/run} does) it fails them, because a skipped test proves nothing.
 */
final class Tmpfs {
    private Tmpfs() {
    }

    /** Mounts a tmpfs of {@code size} (as {@code mount -o size=}) on {@code dir}, owner-only. */
    static void mount(Path dir, String size) throws Exception {
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
        if (System.getenv("CI") != null) {
            assertEquals(0, rc, "cannot mount a tmpfs on " + dir + " (CI runs as root and must)");
        }
        assumeTrue(rc == 0, "cannot mount a tmpfs here");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Remounts a mounted tmpfs read-only; the exit status of {@code mount}. */
    static int remountReadOnly(Path dir) throws Exception {
        return run("mount", "-o", "remount,ro", dir.toString());
    }

    /** Unmounts lazily (a store closing in the background may still hold a file). */
    static void unmount(Path dir) throws Exception {
        run("umount", "-l", dir.toString());
    }

    private static int run(String... cmd) throws Exception {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            return -1;
        }
    }
}
