package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Jupyter (Debian's nbconvert) executes generated notebooks against the real kernel, each run in a
 * fresh kernel process on one store. Cell bodies append a tag to a counter file, which proves whether a
 * body ran; status lines and outputs are read from the executed notebook. The runs build on each other,
 * so they are ordered.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelEndToEndTest {
    @TempDir
    static Path dir;
    static Jupyter jupyter;
    static Path counter;
    static Path dataFile;
    static Path stopFile;

    @BeforeAll
    static void setUp() throws Exception {
        Assumptions.assumeTrue(Jupyter.available(), "/usr/bin/jupyter is not installed");
        jupyter = new Jupyter(dir.resolve("jupyter"), dir.resolve("store"));
        counter = dir.resolve("counter.txt");
        dataFile = dir.resolve("data.txt");
        stopFile = dir.resolve("stop");
        Files.writeString(dataFile, "alpha\n");
    }

    /** The variable parts of the main notebook. */
    record Variant(int n, String record, String helper, double factor, String version, String wsTail,
            boolean extraLeadingCell) {
        static Variant base() {
            return new Variant(100, "record Spike(int neuron, double t) {}", "return factor * 2;", 1.5, "1", "",
                    false);
        }

        Variant n(int v) {
            return new Variant(v, record, helper, factor, version, wsTail, extraLeadingCell);
        }

        Variant record(String v) {
            return new Variant(n, v, helper, factor, version, wsTail, extraLeadingCell);
        }

        Variant helper(String v) {
            return new Variant(n, record, v, factor, version, wsTail, extraLeadingCell);
        }

        Variant factor(double v) {
            return new Variant(n, record, helper, v, version, wsTail, extraLeadingCell);
        }

        Variant version(String v) {
            return new Variant(n, record, helper, factor, v, wsTail, extraLeadingCell);
        }

        Variant trailingWhitespace() {
            return new Variant(n, record, helper, factor, version, "   \n\t \n", extraLeadingCell);
        }

        Variant secondNotebook() {
            return new Variant(n, record, helper, factor, version, wsTail, true);
        }
    }

    static final int BASE = 3;
    static final int DOWN = 4;
    static final int REC = 5;
    static final int FILES = 6;
    static final int FORCED = 7;
    static final int WS = 8;

    static List<String> mainCells(Variant v) {
        List<String> cells = new ArrayList<>();
        cells.add("String counter = \"" + counter + "\";\n"
                + "void count(String tag) throws IOException {\n"
                + "    Files.writeString(Path.of(counter), tag + \"\\n\", java.nio.charset.StandardCharsets.UTF_8,\n"
                + "        StandardOpenOption.CREATE, StandardOpenOption.APPEND);\n"
                + "}");
        cells.add("int n = " + v.n() + ";\ndouble rate = 2.0;\ndouble factor = " + v.factor() + ";\n" + v.record());
        cells.add("double scale() {\n    " + v.helper() + "\n}");
        cells.add("%%cached base --params=n\ncount(\"base\");\nSystem.out.println(\"simulating \" + n);\n"
                + "double[] xs = new double[n];\nfor (int i = 0; i < n; i++) xs[i] = i * rate;\n"
                + "display(Map.of(\"i\", new int[] {1, 2}));");
        cells.add("%%cached down\ncount(\"down\");\ndouble total = Arrays.stream(xs).sum() * scale();");
        cells.add("%%cached rec\ncount(\"rec\");\nList<Spike> spikes = List.of(new Spike(1, rate), new Spike(2, 0.5));");
        cells.add("%%cached files --files=" + dataFile + " --version=" + v.version() + "\ncount(\"files\");\n"
                + "String content = Files.readString(Path.of(\"" + dataFile + "\"));");
        cells.add("%%cached forced --force\ncount(\"forced\");\nint forcedValue = 7;");
        cells.add("%%cached ws\ncount(\"ws\");\nint w = 1;" + v.wsTail());
        cells.add("System.out.println(xs.length + \" \" + total + \" \" + spikes.get(0).neuron() + \" \" + content.strip()"
                + " + \" \" + w);");
        if (v.extraLeadingCell()) {
            cells.add(0, "// a different notebook\nint unrelated = 42;");
        }
        return cells;
    }

    static List<String> ran() throws Exception {
        List<String> tags = Files.exists(counter) ? Files.readAllLines(counter) : List.of();
        Files.deleteIfExists(counter);
        return tags;
    }

    static List<String> run(String name, Variant v) throws Exception {
        List<String> out = jupyter.execute(name, mainCells(v));
        if (v.extraLeadingCell()) {
            out = out.subList(1, out.size());
        }
        return out;
    }

    static void assertStatus(List<String> out, int cell, String status, String name) {
        String text = out.get(cell);
        assertTrue(text.contains("cellar: " + status + " " + name + " ["),
                "cell " + cell + " should be a " + status + " of " + name + ", got:\n" + text + "\nall:\n" + out);
        assertFalse(text.contains("ERROR"), text);
    }

    @Test
    @Order(1)
    void firstRunComputesEveryCell() throws Exception {
        List<String> out = run("first", Variant.base());
        assertEquals(List.of("base", "down", "rec", "files", "forced", "ws"), ran(), out.toString());
        for (int c : new int[] {BASE, DOWN, REC, FILES, FORCED, WS}) {
            assertTrue(out.get(c).contains("cellar: MISS "), out.get(c));
        }
        assertTrue(out.get(BASE).contains("simulating 100"), out.get(BASE));
        assertTrue(out.get(BASE).contains("<th>i</th>"), out.get(BASE));
        assertTrue(out.get(9).contains("100 29700.0 1 alpha 1"), out.get(9));
        for (String cell : out) {
            // Kernel and protocol-library diagnostics belong in the kernel's log, never in a notebook.
            assertFalse(cell.contains("io.github.spencerpark") || cell.contains("INFO:") || cell.contains("SLF4J"), cell);
        }
    }

    @Test
    @Order(2)
    void identicalRerunInAFreshKernelRestoresEverythingButForced() throws Exception {
        List<String> out = run("second", Variant.base());
        assertEquals(List.of("forced"), ran(), out.toString());
        assertStatus(out, BASE, "HIT", "base");
        assertStatus(out, DOWN, "HIT", "down");
        assertStatus(out, REC, "HIT", "rec");
        assertStatus(out, FILES, "HIT", "files");
        assertStatus(out, FORCED, "MISS", "forced");
        assertStatus(out, WS, "HIT", "ws");
        // Captured output is replayed, and restored variables have their values and declared types.
        assertTrue(out.get(BASE).contains("simulating 100"), out.get(BASE));
        assertTrue(out.get(BASE).contains("<th>i</th>"), out.get(BASE));
        assertTrue(out.get(BASE).contains("restored xs double[]"), out.get(BASE));
        assertTrue(out.get(REC).contains("spikes List<Spike>"), out.get(REC));
        assertTrue(out.get(9).contains("100 29700.0 1 alpha 1"), out.get(9));
    }

    @Test
    @Order(3)
    void changedParameterRecordAndFileMissWhileTrailingWhitespaceHits() throws Exception {
        Files.writeString(dataFile, "beta\n");
        List<String> out = run("third", Variant.base().n(200)
                .record("record Spike(int neuron, double t) { double ms() { return t * 1000; } }").trailingWhitespace());
        assertEquals(List.of("base", "down", "rec", "files", "forced"), ran(), out.toString());
        assertStatus(out, BASE, "MISS", "base");
        assertStatus(out, DOWN, "MISS", "down");
        assertStatus(out, REC, "MISS", "rec");
        assertStatus(out, FILES, "MISS", "files");
        assertStatus(out, WS, "HIT", "ws");
        assertTrue(out.get(9).contains("200 119400.0 1 beta 1"), out.get(9));
    }

    @Test
    @Order(4)
    void changedHelperMethodAndVersionMiss() throws Exception {
        Files.writeString(dataFile, "alpha\n");
        List<String> out = run("fourth", Variant.base().helper("return factor * 3;").version("2"));
        assertEquals(List.of("down", "files", "forced"), ran(), out.toString());
        assertStatus(out, BASE, "HIT", "base");
        assertStatus(out, DOWN, "MISS", "down");
        assertStatus(out, REC, "HIT", "rec");
        assertStatus(out, FILES, "MISS", "files");
        assertTrue(out.get(9).contains("100 44550.0 1 alpha 1"), out.get(9));
    }

    @Test
    @Order(5)
    void variableReadOnlyInsideAHelperIsAnInputAndSameCellsHitInAnotherNotebook() throws Exception {
        List<String> out = run("other-notebook", Variant.base().factor(2.5).secondNotebook());
        assertEquals(List.of("down", "forced"), ran(), out.toString());
        assertStatus(out, BASE, "HIT", "base");
        assertStatus(out, DOWN, "MISS", "down");
        assertStatus(out, REC, "HIT", "rec");
        assertStatus(out, FILES, "HIT", "files");
        assertStatus(out, WS, "HIT", "ws");
    }

    static List<String> failureCells() {
        return List.of(
                "String counter = \"" + counter + "\";\nString stop = \"" + stopFile + "\";\n"
                        + "void count(String tag) throws IOException {\n"
                        + "    Files.writeString(Path.of(counter), tag + \"\\n\", java.nio.charset.StandardCharsets.UTF_8,\n"
                        + "        StandardOpenOption.CREATE, StandardOpenOption.APPEND);\n"
                        + "}",
                "%%cached boom\ncount(\"boom\");\nint b = 1;\nif (b == 1) throw new IllegalStateException(\"boom\");",
                "%%cached loop\ncount(\"loop\");\nlong spins = 0;\n"
                        + "while (!Files.exists(Path.of(stop))) { spins++; }",
                "int after = 6 * 7;\nSystem.out.println(\"usable \" + after);",
                "%%cached nocodec\nThread th = new Thread(() -> { });",
                "%%cached --params=nosuch\nint q = 1;",
                "%%cached --frobnicate\ncount(\"frob\");\nint r = 1;");
    }

    @Test
    @Order(6)
    void throwingInterruptedAndUnencodableCellsStoreNothingAndTheKernelStaysUsable() throws Exception {
        Files.deleteIfExists(stopFile);
        List<String> out = jupyter.start("failures", failureCells(), 10).await();
        assertEquals(List.of("boom", "loop"), ran(), out.toString());
        assertTrue(out.get(1).contains("ERROR") && out.get(1).contains("IllegalStateException: boom"), out.get(1));
        assertFalse(out.get(1).contains("cellar: MISS"), out.get(1));
        assertTrue(out.get(2).contains("ERROR Interrupted"), out.get(2));
        assertTrue(out.get(3).contains("usable 42"), out.get(3));
        // The body ran: not an error, one line saying why nothing was stored.
        assertTrue(!out.get(4).contains("ERROR") && out.get(4).contains("nocodec not cached") && out.get(4).contains("'th'")
                && out.get(4).contains("java.lang.Thread"), out.get(4));
        assertTrue(out.get(5).contains("ERROR") && out.get(5).contains("nosuch") && out.get(5).contains("usage"),
                out.get(5));
        assertTrue(out.get(6).contains("ERROR") && out.get(6).contains("--frobnicate")
                && out.get(6).contains("usage: %%cached"), out.get(6));
    }

    @Test
    @Order(7)
    void twoKernelsShareOneStoreAndFailedCellsWereNotStored() throws Exception {
        Files.writeString(stopFile, "");
        Jupyter.Run failures = jupyter.start("failures-again", failureCells(), 60);
        // jupyter_client picks a kernel's ports before the kernel binds them, so two nbconverts launched
        // in the same instant can be handed the same ports and talk to the wrong kernel (seen here: both
        // waited minutes for replies that went elsewhere). Start the second once the first kernel runs cells.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(Files.exists(counter) && Files.readString(counter).contains("boom"))
                && System.nanoTime() < deadline && failures.process().isAlive()) {
            Thread.sleep(100);
        }
        Jupyter.Run main = jupyter.start("main-again", mainCells(Variant.base()), 60);
        List<String> f = failures.await();
        List<String> m = main.await();
        List<String> tags = ran();
        // Both bodies that failed before run again: nothing of theirs was stored.
        assertEquals(List.of("boom", "forced", "loop"), tags.stream().sorted().collect(Collectors.toList()),
                f + "\n" + m);
        assertTrue(f.get(2).contains("cellar: MISS loop ["), f.get(2));
        assertStatus(m, BASE, "HIT", "base");
        assertStatus(m, DOWN, "HIT", "down");
        assertTrue(m.get(9).contains("100 29700.0 1 alpha 1"), m.get(9));
    }
}
