package dev.cellar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the layout DESIGN.md promises: one package per third-party library, no code-executing decoders. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    /** Library import prefix → the one package allowed to import it. */
    private static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("org.rocksdb", "dev.cellar.store.rocksdb"),
            Map.entry("org.apache.arrow", "dev.cellar.codec.arrow"),
            Map.entry("com.fasterxml.jackson", "dev.cellar.codec.json"),
            Map.entry("net.openhft", "dev.cellar.key"),
            Map.entry("picocli", "dev.cellar.cli"),
            Map.entry("io.github.spencerpark", "dev.cellar.kernel"),
            Map.entry("com.google.gson", "dev.cellar.kernel"),
            Map.entry("org.zeromq", "dev.cellar.kernel"),
            Map.entry("org.eclipse.aether", "dev.cellar.kernel.maven"),
            Map.entry("org.apache.maven", "dev.cellar.kernel.maven"),
            Map.entry("org.postgresql", "dev.cellar.store.postgres"),
            Map.entry("java.sql", "dev.cellar.store.postgres"),
            Map.entry("software.amazon.awssdk", "dev.cellar.store.s3"));

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static String packageOf(Path file) {
        Path rel = MAIN.relativize(file.getParent());
        return rel.toString().replace('/', '.');
    }

    @Test
    void eachLibraryIsImportedByOnePackageOnly() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : sources()) {
            String pkg = packageOf(f);
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imported = m.group(1);
                OWNERS.forEach((prefix, owner) -> {
                    if (imported.startsWith(prefix + ".") && !pkg.equals(owner)) {
                        violations.add(f + " imports " + imported + " (only " + owner + " may)");
                    }
                });
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void noJavaSerializationOrJacksonDefaultTypingInMainCode() throws IOException {
        // also XMLDecoder (runs the code its XML names), setDefaultTyping, and one-argument Class.forName,
        // which initializes (runs static code of) a class named in stored bytes; use forName(name, false, loader)
        Pattern banned = Pattern.compile("ObjectInputStream|readObject\\(|enableDefaultTyping|activateDefaultTyping"
                + "|@JsonTypeInfo|ObjectOutputStream|XMLDecoder|readUnshared\\(|setDefaultTyping"
                + "|Class\\.forName\\([^,()]*\\)");
        List<String> hits = new ArrayList<>();
        for (Path f : sources()) {
            Matcher m = banned.matcher(Files.readString(f));
            if (m.find()) {
                hits.add(f + ": " + m.group());
            }
        }
        assertEquals(List.of(), hits);
    }

    @Test
    void everyPackageSaysWhatItIsFor() throws IOException {
        TreeSet<String> missing = new TreeSet<>();
        for (Path f : sources()) {
            if (!Files.exists(f.getParent().resolve("package-info.java"))) {
                missing.add(packageOf(f));
            }
        }
        assertTrue(missing.isEmpty(), "packages without package-info.java: " + missing);
    }

    @Test
    void coreDependsOnInterfacesNotLibraries() throws IOException {
        Map<String, List<String>> imports = new TreeMap<>();
        for (Path f : sources()) {
            if (packageOf(f).equals("dev.cellar")) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    imports.computeIfAbsent(f.getFileName().toString(), k -> new ArrayList<>()).add(m.group(1));
                }
            }
        }
        imports.forEach((file, list) -> list.forEach(i -> assertTrue(
                i.startsWith("java.") || i.startsWith("dev.cellar."), file + " imports " + i)));
    }
}
