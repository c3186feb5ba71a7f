package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.cellar.testing.ChildJvm;
import dev.cellar.testing.JvmOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/install-kernel writes a kernel spec Jupyter can start: kernel.json plus the jar beside it. */
class InstallKernelScriptTest {
    @Test
    void writesAKernelSpecWithMessageInterruptsAndTheJvmOptions(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("some-cellar-all.jar");
        Files.writeString(jar, "not really a jar");
        Path kernels = dir.resolve("kernels with space");
        Process p = new ProcessBuilder("bash", "scripts/install-kernel", "--dir", kernels.toString(), "--jar",
                jar.toString(), "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Path spec = kernels.resolve("cellar");
        JsonObject json = JsonParser.parseString(Files.readString(spec.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("Java (cellar)", json.get("display_name").getAsString());
        assertEquals("message", json.get("interrupt_mode").getAsString());
        List<String> argv = new ArrayList<>();
        JsonArray a = json.getAsJsonArray("argv");
        a.forEach(e -> argv.add(e.getAsString()));
        assertTrue(argv.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), argv.toString());
        assertTrue(argv.containsAll(JvmOptions.list()), "every option of jvm.options: " + argv);
        assertTrue(argv.contains("dev.cellar.kernel.KernelMain"), argv.toString());
        // This jar cannot run the archive's training: the kernel is installed without an archive, and says so.
        assertTrue(out.contains("no class-data-sharing archive"), out);
        assertTrue(argv.stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile")), argv.toString());
        assertTrue(Files.notExists(spec.resolve("cellar.jsa")));
        assertEquals("{connection_file}", argv.get(argv.size() - 1));
        Path installedJar = Path.of(argv.get(argv.indexOf("-cp") + 1));
        assertEquals(spec.resolve("cellar-all.jar"), installedJar);
        assertEquals("not really a jar", Files.readString(installedJar));
        assertTrue(Files.isExecutable(Path.of(argv.get(0))), argv.get(0));

        Process noArchive = new ProcessBuilder("bash", "scripts/install-kernel", "--dir", kernels.toString(), "--jar",
                jar.toString(), "--no-archive").redirectErrorStream(true).start();
        String noArchiveOut = new String(noArchive.getInputStream().readAllBytes());
        assertTrue(noArchive.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, noArchive.exitValue(), noArchiveOut);
        assertFalse(noArchiveOut.contains("archive"), noArchiveOut);

        Process bad = new ProcessBuilder("bash", "scripts/install-kernel", "--frobnicate").redirectErrorStream(true).start();
        String badOut = new String(bad.getInputStream().readAllBytes());
        assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, bad.exitValue());
        assertTrue(badOut.contains("--frobnicate"), badOut);
    }

    /**
     * The training run the archive is made from (install-kernel runs it with -XX:ArchiveClassesAtExit on
     * the installed jar) runs a %%cached miss and its hit in two kernels, as a notebook rerun does.
     */
    @Test
    void theArchivesTrainingRunRunsAMissAndAHit() throws Exception {
        ChildJvm c = ChildJvm.start(ArchiveTraining.class, "512m");
        List<String> lines = c.lines(300);
        assertEquals(0, c.exitValue(), lines.toString());
        assertTrue(lines.contains("cellar: archive training ran a miss and a hit"), lines.toString());
    }
}
