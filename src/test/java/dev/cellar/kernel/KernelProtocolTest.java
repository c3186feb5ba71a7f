package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel requests nbconvert does not send, over the real protocol (jupyter_client): complete,
 * inspect, is_complete, interrupt while idle, and restart (a %%cached cell is a hit after it).
 */
@Tag("e2e")
class KernelProtocolTest {
    @Test
    void completeInspectIsCompleteIdleInterruptAndRestart(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Jupyter.available() && Files.isExecutable(Path.of("/usr/bin/python3")),
                "Debian's Jupyter is not installed");
        Path home = dir.resolve("jupyter");
        new Jupyter(home, dir.resolve("store"));
        Path script = dir.resolve("protocol_check.py");
        try (InputStream in = getClass().getResourceAsStream("protocol_check.py")) {
            Files.copy(in, script);
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString());
        pb.environment().put("JUPYTER_PATH", home.toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", home.resolve("runtime").toString());
        pb.environment().put("CELLAR_DIR", dir.resolve("store").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        Map<String, String> checks = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                checks.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        assertEquals("Java", checks.get("language"), out);
        assertEquals("True 0", checks.get("complete"), out);
        assertEquals("True True", checks.get("inspect"), out);
        assertEquals("incomplete complete", checks.get("is_complete"), out);
        assertEquals("('5.0', [])", checks.get("after idle interrupt"), out);
        assertTrue(checks.get("cached first").contains("cellar: MISS proto ["), out);
        assertTrue(checks.get("after restart lost").contains("CompileError"), out);
        assertTrue(checks.get("cached again").contains("cellar: HIT proto ["), out);
        assertEquals("('10.0', [])", checks.get("restored"), out);
    }
}
