package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jupyter project's own kernel conformance suite (jupyter_kernel_test.KernelTests, Debian's
 * python3-jupyter-kernel-test) against the real kernel, with Java samples for every one of its test
 * groups; each message is validated against the protocol's schema. Every group must run and pass:
 * a skipped group is a failure here.
 */
@Tag("e2e")
class KernelConformanceTest {
    static final Path SUITE = Path.of("/usr/lib/python3/dist-packages/jupyter_kernel_test/__init__.py");
    static final List<String> GROUPS = List.of("test_kernel_info", "test_execute_stdout", "test_execute_stderr",
            "test_completion", "test_is_complete", "test_pager", "test_error", "test_execute_result",
            "test_display_data", "test_history", "test_inspect", "test_clear_output");

    @Test
    void jupyterKernelTestSuitePassesEveryGroup(@TempDir Path dir) throws Exception {
        boolean present = Files.isRegularFile(SUITE) && Jupyter.available();
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(present, "python3-jupyter-kernel-test is not installed");
        }
        assertTrue(present, "CI must install python3-jupyter-kernel-test (scripts/lib.sh conformance_apt)");
        Path home = dir.resolve("jupyter");
        new Jupyter(home, dir.resolve("store"));
        Path script = dir.resolve("conformance_test.py");
        try (InputStream in = getClass().getResourceAsStream("conformance_test.py")) {
            Files.copy(in, script);
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString());
        pb.directory(dir.toFile());
        pb.environment().put("JUPYTER_PATH", home.toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", home.resolve("runtime").toString());
        pb.environment().put("CELLAR_DIR", dir.resolve("store").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        for (String group : GROUPS) {
            Matcher m = Pattern.compile("(?m)^" + group + " \\(.*\\) \\.\\.\\. (.*)$").matcher(out);
            assertTrue(m.find(), group + " did not run:\n" + out);
            assertEquals("ok", m.group(1).strip(), group + ":\n" + out);
        }
        assertTrue(out.contains("\nOK"), out);
        assertTrue(!out.contains("skipped"), "a test group or sub-test was skipped:\n" + out);
    }
}
