package dev.cellar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.testing.JvmOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JShell path a user takes: /open scripts/cellar.jsh, run a script twice, see MISS then HIT. */
class JShellScriptTest {
    @TempDir
    Path dir;

    private String run(Path script) throws IOException, InterruptedException {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        List<String> cmd = new ArrayList<>(List.of(jshell.toString(),
                "--class-path", System.getProperty("java.class.path")));
        JvmOptions.list().forEach(o -> cmd.add("-R" + o)); // user code runs in JShell's remote JVM
        cmd.addAll(List.of("-q", Path.of("scripts/cellar.jsh").toAbsolutePath().toString(), script.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CELLAR_DIR", dir.resolve("store").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jshell did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void sameScriptTwiceIsAMissThenAHit() throws Exception {
        Path counter = dir.resolve("runs.txt");
        Path script = dir.resolve("job.jsh");
        Files.writeString(script, String.join("\n",
                "double[] squares(int n) {",
                "  try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + counter + "\"), \"x\","
                        + " java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND); }",
                "  catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }",
                "  double[] xs = new double[n]; for (int i = 0; i < n; i++) xs[i] = (double) i * i; return xs; }",
                "int n = 100000;",
                "double[] xs = cached(\"squares\", params(\"n\", n), () -> squares(n));",
                "System.out.println(\"last=\" + xs[n - 1]);",
                "/exit", ""));
        String first = run(script);
        String second = run(script);
        assertTrue(first.contains("cellar: MISS squares"), first);
        assertTrue(second.contains("cellar: HIT squares"), second);
        assertTrue(first.contains("last=9.999800001E9") && second.contains("last=9.999800001E9"), second);
        assertEquals("x", Files.readString(counter), "the computation ran exactly once");
    }
}
