package dev.cellar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.LayoutRules.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layout docs/architecture.md describes: no package imports round a loop, each third-party
 * library is imported by one package, the internals are imported only by the layers above them, classes
 * stay small, every package says what it is for, and stored bytes never choose code to run. Each rule
 * is also run on a tiny synthetic tree where it must fail, so a rule that silently stopped checking
 * would be caught.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");
    static final String TESTS_ONLY = "(tests only)";
    static final int MAX_LINES = 450;
    static final String INTERNALS = "dev.cellar.engine";
    /** Who may import the internals: the facade, and the layers above it (with their sub-packages). */
    static final List<String> INTERNALS_USERS = List.of(LayoutRules.FACADE_NODE, "dev.cellar.ops", "dev.cellar.cli",
            "dev.cellar.kernel");

    /**
     * Library name prefix → the one package (or class) of src/main allowed to import it. When a
     * dependency comes in, add its row here and in docs/architecture.md; a library not listed fails.
     */
    static final Map<String, String> OWNERS = owners(
            "org.rocksdb", "dev.cellar.store.rocksdb",
            "org.postgresql", "dev.cellar.store.postgres",
            "software.amazon.awssdk", "dev.cellar.store.s3",
            "org.apache.arrow", "dev.cellar.codec.arrow",
            "com.google.flatbuffers", "dev.cellar.codec.arrow", // ships inside Arrow, for its metadata
            "com.fasterxml.jackson", "dev.cellar.codec.json",
            "net.openhft", "dev.cellar.key.Xxh3", // zero-allocation-hashing: one class, not just one package
            "picocli", "dev.cellar.cli",
            "io.github.spencerpark", "dev.cellar.kernel",
            "com.google.gson", "dev.cellar.kernel",
            "org.zeromq", "dev.cellar.kernel",
            "org.eclipse.aether", "dev.cellar.kernel.maven",
            "org.apache.maven", "dev.cellar.kernel.maven",
            "com.sun.source", "dev.cellar.kernel.jshell.SyntaxCheck", // the JDK's javac tree API, for parsing only
            "com.sun.tools.javac", "dev.cellar.kernel.jshell.CodeTokens", // javac's scanner, for code keys
            "org.openqa.selenium", TESTS_ONLY);

    private static Map<String, String> owners(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static List<Source> main() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the module root");
        return LayoutRules.read(MAIN);
    }

    // ---- the rules, on the real code ---------------------------------------------------------------

    @Test
    void noPackagesImportEachOtherRoundALoop() throws IOException {
        Map<String, Map<String, String>> graph = LayoutRules.graph(main());
        assertEquals(List.of(), LayoutRules.cycles(graph), "who imports whom:\n" + LayoutRules.render(graph));
    }

    @Test
    void eachLibraryIsImportedByItsOwnerOnly() throws IOException {
        assertEquals(List.of(), LayoutRules.libraryViolations(main(), OWNERS));
    }

    @Test
    void internalsAreImportedOnlyByTheLayersAboveThem() throws IOException {
        assertEquals(List.of(), LayoutRules.internalsViolations(main(), INTERNALS, INTERNALS_USERS));
    }

    @Test
    void theRootPackageHoldsOnlyTheApiAndItsVocabulary() throws IOException {
        assertEquals(List.of(), LayoutRules.unclassifiedRootTypes(main()));
    }

    /**
     * Files over the limit that their owners are splitting right now, each with why. Keep it empty: an
     * entry that is no longer needed fails too, so it cannot outlive the split.
     */
    static final Map<String, String> OVERSIZED_FOR_NOW = Map.of();

    @Test
    void noClassIsLongerThan450Lines() throws IOException {
        List<String> over = LayoutRules.oversized(main(), MAX_LINES);
        List<String> unexpected = over.stream()
                .filter(v -> OVERSIZED_FOR_NOW.keySet().stream().noneMatch(f -> v.startsWith(f + " "))).toList();
        List<String> stale = OVERSIZED_FOR_NOW.keySet().stream()
                .filter(f -> over.stream().noneMatch(v -> v.startsWith(f + " "))).toList();
        assertEquals(List.of(), unexpected);
        assertEquals(List.of(), stale, "no longer over the limit: remove from OVERSIZED_FOR_NOW");
    }

    @Test
    void everyPackageSaysWhatItIsFor() throws IOException {
        assertEquals(Set.of(), LayoutRules.packagesWithoutInfo(main()));
    }

    @Test
    void noJavaSerializationOrJacksonDefaultTypingInMainCode() throws IOException {
        assertEquals(List.of(), bannedCalls(main()));
    }

    /**
     * Also XMLDecoder (runs the code its XML names), setDefaultTyping, polymorphic type validators, and
     * one-argument Class.forName, which initializes (runs static code of) a class named in stored
     * bytes; use forName(name, false, loader).
     */
    private static List<String> bannedCalls(List<Source> sources) {
        Pattern banned = Pattern.compile("ObjectInputStream|readObject\\(|enableDefaultTyping|activateDefaultTyping"
                + "|@JsonTypeInfo|ObjectOutputStream|XMLDecoder|readUnshared\\(|setDefaultTyping"
                + "|PolymorphicTypeValidator|Class\\.forName\\([^,()]*\\)");
        List<String> hits = new ArrayList<>();
        for (Source s : sources) {
            Matcher m = banned.matcher(s.code());
            if (m.find()) {
                hits.add(s.file() + ": " + m.group());
            }
        }
        return hits;
    }

    // ---- each rule fails when broken (a synthetic tree) ------------------------------------------

    private static Source src(String pkg, String type, String body) {
        return Source.of(pkg, type, "package " + pkg + ";\n" + body);
    }

    @Test
    void aTwoWayImportAndALongerLoopAreBothFound() {
        List<Source> tree = List.of(
                src("dev.cellar.a", "A", "import dev.cellar.b.B;\nclass A {}"),
                src("dev.cellar.b", "B", "class B { Object x = dev.cellar.a.A.class; }"),
                src("dev.cellar.c", "C", "import dev.cellar.d.D;\nclass C {}"),
                src("dev.cellar.d", "D", "import dev.cellar.e.E;\nclass D {}"),
                src("dev.cellar.e", "E", "import static dev.cellar.c.C.run;\nclass E {}"),
                src("dev.cellar.f", "F", "// dev.cellar.a.A in a comment\nclass F { String s = \"dev.cellar.a.A\"; }"),
                src("dev.cellar.a", "G", "import dev.cellar.f.F;\nclass G {}"));
        List<String> cycles = LayoutRules.cycles(LayoutRules.graph(tree));
        assertEquals(2, cycles.size(), cycles.toString());
        assertTrue(cycles.get(0).contains("[dev.cellar.a, dev.cellar.b]")
                && cycles.get(0).contains("dev/cellar/b/B.java names dev.cellar.a.A"), cycles.get(0));
        assertTrue(cycles.get(1).contains("[dev.cellar.c, dev.cellar.d, dev.cellar.e]"), cycles.get(1));
    }

    @Test
    void theRootCountsAsFacadeOverVocabulary() {
        List<Source> fine = List.of(
                src("dev.cellar", "Cellar", "import dev.cellar.engine.Entries;\nclass Cellar { Key k; }"),
                src("dev.cellar", "Key", "class Key {}"),
                src("dev.cellar.engine", "Entries", "import dev.cellar.Key;\nclass Entries {}"));
        assertEquals(List.of(), LayoutRules.cycles(LayoutRules.graph(fine)));
        List<Source> broken = List.of(fine.get(0), fine.get(2),
                src("dev.cellar", "Key", "class Key { Cellar owner; }"));
        List<String> cycles = LayoutRules.cycles(LayoutRules.graph(broken));
        assertEquals(1, cycles.size(), cycles.toString());
        assertTrue(cycles.get(0).contains("dev/cellar/Key.java uses Cellar"), cycles.get(0));
    }

    @Test
    void aLibraryOutsideItsOwnerOrWithoutOneIsFound() {
        Map<String, String> owners = owners("org.rocksdb", "dev.cellar.store.rocksdb", "net.openhft", "dev.cellar.key.Xxh3",
                "org.openqa.selenium", TESTS_ONLY);
        List<Source> tree = List.of(
                src("dev.cellar.store.rocksdb", "S", "import org.rocksdb.RocksDB;\nimport java.util.List;\nclass S {}"),
                src("dev.cellar.key", "Xxh3", "import net.openhft.hashing.LongHashFunction;\nclass Xxh3 {}"),
                src("dev.cellar.key", "Other", "import net.openhft.hashing.LongHashFunction;\nclass Other {}"),
                src("dev.cellar.engine", "E", "import org.rocksdb.RocksDB;\nclass E {}"),
                src("dev.cellar.kernel", "K", "import org.openqa.selenium.WebDriver;\nclass K {}"),
                src("dev.cellar.cli", "M", "import com.example.Unknown;\nclass M {}"));
        List<String> v = LayoutRules.libraryViolations(tree, owners);
        assertEquals(4, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("dev/cellar/key/Other.java import net.openhft"), v.get(0));
        assertTrue(v.get(1).contains("(only dev.cellar.store.rocksdb may)"), v.get(1));
        assertTrue(v.get(2).contains("(only " + TESTS_ONLY + " may)"), v.get(2));
        assertTrue(v.get(3).contains("a library without an owner"), v.get(3));
    }

    @Test
    void internalsUsedBelowTheirLayerAreFound() {
        List<Source> tree = List.of(
                src("dev.cellar", "Cellar", "import dev.cellar.engine.Entries;\nclass Cellar {}"),
                src("dev.cellar.kernel.magic", "M", "import dev.cellar.engine.Sizes;\nclass M {}"),
                src("dev.cellar.key", "K", "class K { Object o = dev.cellar.engine.Manifest.FORMAT; }"),
                src("dev.cellar", "Key", "import dev.cellar.engine.Sizes;\nclass Key {}"));
        List<String> v = LayoutRules.internalsViolations(tree, INTERNALS, INTERNALS_USERS);
        assertEquals(2, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("dev/cellar/key/K.java names dev.cellar.engine.Manifest"), v.get(0));
        assertTrue(v.get(1).startsWith("dev/cellar/Key.java import dev.cellar.engine.Sizes"), v.get(1));
    }

    @Test
    void anInternalTypeInTheRootALongClassAndAMissingPackageInfoAreFound() {
        List<Source> tree = List.of(
                src("dev.cellar", "Cellar", "class Cellar {}"),
                src("dev.cellar", "Manifest", "class Manifest {}"),
                src("dev.cellar", "package-info", ""),
                src("dev.cellar.big", "Big", "class Big {\n" + "    int x;\n".repeat(MAX_LINES) + "}"));
        assertEquals(1, LayoutRules.unclassifiedRootTypes(tree).size());
        assertTrue(LayoutRules.unclassifiedRootTypes(tree).get(0).startsWith("dev/cellar/Manifest.java"));
        assertEquals(List.of("dev/cellar/big/Big.java has " + (MAX_LINES + 3) + " lines (at most " + MAX_LINES + ")"),
                LayoutRules.oversized(tree, MAX_LINES));
        assertEquals(Set.of("dev.cellar.big"), LayoutRules.packagesWithoutInfo(tree));
    }

    @Test
    void bannedCallsAreFoundInCodeButNotInComments() {
        List<Source> tree = List.of(
                src("dev.cellar.codec.json", "J", "class J { Object o = new java.io.ObjectInputStream(null); }"),
                src("dev.cellar.codec.json", "K", "class K { Class<?> c = Class.forName(name); }"),
                src("dev.cellar.codec.json", "L", "/** never ObjectInputStream */ class L {}"));
        assertEquals(List.of("dev/cellar/codec/json/J.java: ObjectInputStream",
                "dev/cellar/codec/json/K.java: Class.forName(name)"), bannedCalls(tree));
    }
}
