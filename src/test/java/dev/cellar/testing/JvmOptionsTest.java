package dev.cellar.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** {@code java -jar cellar-all.jar} takes its opens from the jar's manifest, which the pom writes in its own syntax. */
    @Test
    void theJarManifestOpensWhatTheFileOpens() throws Exception {
        Matcher m = Pattern.compile("<Add-Opens>([^<]*)</Add-Opens>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "pom.xml writes no Add-Opens manifest entry");
        List<String> fromFile = JvmOptions.list().stream().filter(o -> o.startsWith("--add-opens="))
                .map(o -> o.substring("--add-opens=".length(), o.lastIndexOf('='))).sorted().toList();
        assertEquals(fromFile, Arrays.stream(m.group(1).trim().split("\\s+")).sorted().toList());
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
