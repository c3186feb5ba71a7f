package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernel's sub-packages import only those below them (kernel → cached → magic → jshell → display),
 * and only the protocol package imports the Jupyter libraries, as their package-info files say.
 */
class KernelPackagesTest {
    private static final Path ROOT = Path.of("src/main/java/dev/cellar/kernel");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    /** Each sub-package and the kernel packages it may import. */
    private static final Map<String, List<String>> MAY_IMPORT = Map.of(
            "cached", List.of("magic", "jshell", "display"),
            "magic", List.of("jshell", "display", "maven"),
            "jshell", List.of("display"),
            "display", List.of(),
            "maven", List.of());
    private static final List<String> PROTOCOL = List.of("io.github.spencerpark", "com.google.gson", "org.zeromq");

    @Test
    void subPackagesImportOnlyThoseBelowThem() throws IOException {
        List<String> violations = new ArrayList<>();
        for (var e : MAY_IMPORT.entrySet()) {
            try (Stream<Path> files = Files.list(ROOT.resolve(e.getKey()))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    while (m.find()) {
                        String imported = m.group(1);
                        if (PROTOCOL.stream().anyMatch(imported::startsWith)) {
                            violations.add(f + " imports the protocol library " + imported);
                        }
                        if (imported.startsWith("dev.cellar.kernel.")) {
                            String target = imported.substring("dev.cellar.kernel.".length());
                            String pkg = target.contains(".") ? target.substring(0, target.indexOf('.')) : "";
                            if (!pkg.equals(e.getKey()) && !e.getValue().contains(pkg)) {
                                violations.add(f + " imports " + imported + " (" + e.getKey() + " may import "
                                        + e.getValue() + ")");
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
