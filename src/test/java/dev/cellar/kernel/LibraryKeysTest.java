package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.kernel.magic.SessionLibraries;
import dev.cellar.kernel.maven.MavenResolverTest;
import dev.cellar.ops.Operations;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jars added to a session enter the keys of its cached cells: by content digest, named by artifact,
 * shown by version. Two kernels, one after the other, on one store: the second has upgraded a library.
 */
class LibraryKeysTest {
    @TempDir
    Path dir;
    private final AtomicInteger cell = new AtomicInteger(1);

    private String run(CellarKernel kernel, String code) throws Exception {
        StringBuilder out = new StringBuilder();
        DisplayData d = kernel.eval(code, cell.getAndIncrement(), (stream, text) -> out.append(text));
        if (d != null) {
            out.append("=> ").append(d.getData(MIMEType.TEXT_PLAIN));
        }
        return out.toString();
    }

    @Test
    void upgradingALibraryIsAMissAndWhyNamesBothVersions() throws Exception {
        Path repo = dir.resolve("repo");
        Path old = MavenResolverTest.publish(repo, "org.apache.commons", "commons-math3", "3.6.0");
        Path upgraded = MavenResolverTest.publish(repo, "org.apache.commons", "commons-math3", "3.6.1");
        Path store = dir.resolve("store");
        String body = "%%cached lib\nint libValue = 6 * 7;";
        try (CellarKernel a = new CellarKernel(() -> Cellar.open(store))) {
            assertTrue(run(a, body).contains("cellar: MISS lib ["));
            assertTrue(run(a, body).contains("cellar: HIT lib ["));
            run(a, "%jars " + old);
            String withJar = run(a, body);
            assertTrue(withJar.contains("cellar: MISS lib ["), "a jar that the cell could call into: " + withJar);
            assertTrue(run(a, body).contains("cellar: HIT lib ["), "the same jar again: a hit");
        }
        try (CellarKernel b = new CellarKernel(() -> Cellar.open(store))) {
            run(b, "%jars " + old);
            assertTrue(run(b, body).contains("cellar: HIT lib ["), "same library in a new kernel: a hit");
        }
        try (CellarKernel c = new CellarKernel(() -> Cellar.open(store))) {
            run(c, "%jars " + upgraded);
            assertTrue(run(c, body).contains("cellar: MISS lib ["), "upgraded library: a miss");
        }
        try (Cellar cellar = Cellar.open(store)) {
            String why = String.join("\n", new Operations(cellar).why("lib").lines());
            assertTrue(why.contains("library commons-math3: 3.6.0 → 3.6.1"), why);
        }
    }

    @Test
    void digestsAreRememberedByPathSizeAndModificationTime() throws Exception {
        Path jar = MavenResolverTest.publish(dir.resolve("repo"), "org.example", "lib", "1.0");
        SessionLibraries libraries = new SessionLibraries();
        libraries.addPath(jar);
        String first = libraries.current().get(0).digest();
        assertEquals("lib", libraries.current().get(0).name());
        assertEquals("1.0", libraries.current().get(0).version());
        // Same size and time, other bytes: the remembered digest is used (no read on every key).
        FileTime time = Files.getLastModifiedTime(jar);
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length - 30] ^= 1;
        Files.write(jar, bytes);
        Files.setLastModifiedTime(jar, time);
        assertEquals(first, libraries.current().get(0).digest());
        // A new modification time: read again.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(time.toMillis() + 2000));
        assertNotEquals(first, libraries.current().get(0).digest());
    }
}
