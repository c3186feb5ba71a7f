package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.kernel.jshell.CellError;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The magics IJava and JJava users expect (%maven, %mavenRepo, %%loadFromPOM, %classpath, %load,
 * %time, %lsmagic, completion of their names), in one kernel in this JVM. %maven resolves XChart from
 * the local Maven repository, where it is because it is a test dependency of this project.
 */
class MagicsTest extends InProcessKernel {
    @Test
    void mavenAddsAnArtifactWithItsDependenciesAndClasspathListsThem() throws Exception {
        String out = run("%maven org.knowm.xchart:xchart:3.8.8");
        assertTrue(out.startsWith("added to the class path: org.knowm.xchart:xchart:3.8.8, "), out);
        assertTrue(out.contains("de.erichseifert.vectorgraphics2d:VectorGraphics2D:"), out);
        assertEquals("=> 400", run("new org.knowm.xchart.XYChart(400, 300).getWidth()"));
        String cp = run("%classpath");
        assertTrue(Pattern.compile("xchart-3\\.8\\.8\\.jar  \\(org\\.knowm\\.xchart:xchart:3\\.8\\.8\\)").matcher(cp).find(), cp);
        assertTrue(cp.contains(" added; the kernel's own class path has "), cp);
    }

    @Test
    void loadFromPomTakesADependenciesBlock() throws Exception {
        String out = run("%%loadFromPOM\n<dependencies>\n  <dependency>\n    <groupId>org.knowm.xchart</groupId>\n"
                + "    <artifactId>xchart</artifactId>\n    <version>3.8.8</version>\n  </dependency>\n</dependencies>");
        assertTrue(out.startsWith("added to the class path: org.knowm.xchart:xchart:3.8.8"), out);
        assertEquals("=> 300", run("new org.knowm.xchart.PieChart(200, 300).getHeight()"));
    }

    @Test
    void anUnresolvableCoordinateIsNamedWithTheRepositoriesTried() {
        CellError e = fails("%maven org.example.nosuch:nothing:1.0");
        assertTrue(e.getMessage().contains("cannot resolve org.example.nosuch:nothing:1.0"), e.getMessage());
        assertTrue(e.getMessage().contains("repositories tried: "), e.getMessage());
    }

    @Test
    void badArgumentsPrintTheUsageAndRunNothing() throws Exception {
        for (String bad : List.of("%maven", "%maven xchart", "%mavenRepo onlyanid", "%mavenRepo x ftp://h/r",
                "%classpath remove x", "%time", "%load", "%%loadFromPOM --pom=x\n<dependencies/>", "%%time now\nint x;",
                "%jars", "%help nosuchmagic")) {
            CellError e = fails(bad + "\nint ranAfterBadMagic = 1;");
            assertTrue(e.getMessage().contains("usage: ") || e.getMessage().contains("%lsmagic"), bad + " -> " + e.getMessage());
            assertTrue(fails("ranAfterBadMagic").getMessage().contains("cannot find symbol"), bad + " ran the cell");
        }
    }

    @Test
    void classpathAddAndJarsAddDirectories() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String out = run("%classpath add " + classes);
        assertTrue(out.startsWith("added to the class path: " + classes), out);
        assertTrue(run("%classpath").contains(classes.toString()), "listed");
        assertTrue(run("%jars " + classes).startsWith("added to the class path: "));
    }

    @Test
    void loadRunsAFilesSnippetsAsACell() throws Exception {
        Path file = dir.resolve("helpers.jsh");
        Files.writeString(file, "int loadedBase = 20;\nint doubled(int x) {\n    return 2 * x;\n}\n");
        run("%load " + file);
        assertEquals("=> 42", run("doubled(loadedBase) + 2"));
        Path commands = dir.resolve("commands.jsh");
        Files.writeString(commands, "int loadedNot = 1;\n/open other.jsh\n");
        CellError e = fails("%load " + commands);
        assertTrue(e.getMessage().contains("line 2: '/open other.jsh' is a JShell command"), e.getMessage());
        assertTrue(fails("loadedNot").getMessage().contains("cannot find symbol"), "nothing of the file ran");
    }

    @Test
    void timePrintsWallAndCpuTimeAsIPythonDoes() throws Exception {
        Pattern ipython = Pattern.compile("CPU times: user [0-9.]+ (s|ms|µs|ns), sys: [0-9.]+ (s|ms|µs|ns), "
                + "total: [0-9.]+ (s|ms|µs|ns)\nWall time: [0-9.]+ (s|ms|µs|ns)\n");
        String line = run("%time int timed1 = 6 * 7;");
        assertTrue(ipython.matcher(line).find(), line);
        assertEquals("=> 42", run("timed1"));
        String cell = run("%%time\nint timed2 = 5;\nSystem.out.println(\"body ran\");");
        assertTrue(cell.startsWith("body ran\nCPU times: user "), cell);
        assertTrue(ipython.matcher(cell).find(), cell);
        assertEquals("=> 5", run("timed2"));
    }

    @Test
    void lsmagicDescribesEveryMagicAndNamesComplete() throws Exception {
        String list = run("%lsmagic");
        for (String name : List.of("%maven", "%mavenRepo", "%%loadFromPOM", "%classpath", "%jars", "%load", "%time",
                "%%time", "%lsmagic", "%help", "%%cached", "%cellar")) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(name) + " +\\S").matcher(list).find(), name + " in\n" + list);
        }
        assertEquals(list, run("%help"));
        assertTrue(run("%help maven").startsWith("%maven "));
        ReplacementOptions options = kernel.complete("int a = 1;\n%mav", 15);
        assertEquals(List.of("%maven", "%mavenRepo"), options.getReplacements());
        assertEquals(11, options.getSourceStart());
        assertTrue(kernel.complete("%%lo", 4).getReplacements().contains("%%loadFromPOM"));
        assertFalse(kernel.complete("Math.ma", 7).getReplacements().contains("%maven"));
    }
}
