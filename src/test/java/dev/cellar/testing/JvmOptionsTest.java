package dev.cellar.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** jvm.options is the one source of the JVM options: Maven's test JVMs and scripts/lib.sh read the same list. */
class JvmOptionsTest {
    @Test
    void theFileNamesTheOptionsArrowNeeds() {
        assertTrue(JvmOptions.list().contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), JvmOptions.list().toString());
    }

    @Test
    void mavensTestJvmWasStartedWithEveryOptionOfTheFile() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(args.containsAll(JvmOptions.list()), "test JVM arguments " + args + ", jvm.options " + JvmOptions.list());
    }

    @Test
    void theScriptsReadTheSameOptions() throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "source scripts/lib.sh && printf '%s\\n' \"${jvm_opts[@]}\"")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(JvmOptions.list(), out.lines().toList());
    }
}
