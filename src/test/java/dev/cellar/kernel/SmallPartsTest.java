package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.kernel.cached.CachedMagic;
import dev.cellar.kernel.display.Rich;
import dev.cellar.kernel.display.ValueText;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JavaTokens;
import dev.cellar.kernel.jshell.OutputRouter;
import dev.cellar.kernel.magic.MagicSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmallPartsTest {
    @Test
    void identifiersSkipLiteralsCommentsAndMemberNames() {
        Set<String> ids = JavaTokens.identifiers("""
                double y = simulate(rate, 10) * Math.max(a, b); // uses c
                String s = "d + e" + '\\'' + obj.field;
                /* f */ var t = \"""
                    g h
                    \""";
                long n = 1_000L + 0x1F + 1e10;
                """);
        assertTrue(ids.containsAll(List.of("y", "simulate", "rate", "Math", "a", "b", "s", "obj", "t", "n")), ids.toString());
        for (String absent : List.of("c", "d", "e", "f", "g", "h", "max", "field", "L", "x1F", "e10")) {
            assertFalse(ids.contains(absent), absent + " in " + ids);
        }
    }

    /** Reading an array by index is proof it is unchanged; any other use is not. */
    @Test
    void onlyIndexedReadsAreRecognisedAndEveryWriteIsNot() {
        for (String read : List.of("double s = xs[0] + xs[i - 1] * xs.length;", "for (double d : xs) { t += d; }",
                "if (xs[2] == 3 && xs[1] <= xs[0]) { }", "String c = \"xs[0] = 1\"; // xs[1] = 2", "ys[0] = xs[0];",
                "double m = o.xs;")) {
            assertTrue(JavaTokens.onlyIndexed(read, "xs"), read);
        }
        for (String write : List.of("xs[0] = 1;", "xs[i] += 2;", "xs[i]++;", "++xs[i];", "--  xs[0];",
                "Arrays.sort(xs);", "double[] ys = xs;", "fill(xs, 0);", "xs[a[0]] = 1;", "xs [ 0 ]>>>= 1;",
                "var c = xs.clone();")) {
            assertFalse(JavaTokens.onlyIndexed(write, "xs"), write);
        }
    }

    @Test
    void normalizationIgnoresTrailingWhitespaceOnly() {
        assertEquals(JavaTokens.normalize("int a = 1;\nint b = 2;"), JavaTokens.normalize("int a = 1;   \nint b = 2;\t\n\n  \n"));
        assertFalse(JavaTokens.normalize("int a = 1;").equals(JavaTokens.normalize("int  a = 1;")));
    }

    @Test
    void magicSpecAcceptsDeclaredArgumentsAndNamesBadOnes() throws Exception {
        MagicSpec.Parsed p = CachedMagic.SPEC.parse("sim --params=a,b --force --version=\"2 b\"");
        assertEquals(List.of("sim"), p.positional());
        assertEquals(Map.of("params", "a,b", "version", "2 b"), p.options());
        assertTrue(p.flag("force"));
        assertEquals(List.of("a", "b"), CachedMagic.SPEC.identifiers("params", " a , b"));
        for (String bad : new String[] {"--nope", "-x", "a b", "--params", "--params=", "--force=1", "--version=1 --version=2"}) {
            CellError.MagicError e = assertThrows(CellError.MagicError.class, () -> CachedMagic.SPEC.parse(bad), bad);
            assertTrue(e.getMessage().contains("usage: %%cached"), e.getMessage());
        }
        assertThrows(CellError.MagicError.class, () -> CachedMagic.SPEC.identifiers("params", "a,,b"));
    }

    @Test
    void valueTextNeverRendersAWholeArray() {
        assertEquals("double[3] {0.1, 0.2, 0.3}", ValueText.of(new double[] {0.1, 0.2, 0.3}));
        String s = ValueText.of(new double[1_000_000]);
        assertTrue(s.startsWith("double[1000000] {0.0,") && s.endsWith(", ...}") && s.length() < 100, s);
        assertTrue(ValueText.of(new int[10][1000]).length() < 200);
        assertEquals("\"x\"", ValueText.of("x"));
        assertEquals("null", ValueText.of(null));
    }

    @Test
    void tablesRenderAsHtmlWithEscapedCells() {
        String html = Rich.table(Map.of("name", new String[] {"<a>", "b"}));
        assertTrue(html.contains("<th>name</th>") && html.contains("&lt;a&gt;"), html);
        assertEquals(null, Rich.table(Map.of("a", new int[2], "b", new int[3]).size() == 2
                ? new java.util.TreeMap<>(Map.of("a", new int[2], "b", new int[3])) : null));
    }

    @Test
    void splitUtf8CharactersWaitForTheirLastByte() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8);
        assertEquals(euro.length, OutputRouter.completeUtf8Prefix(euro));
        byte[] cut = java.util.Arrays.copyOf(euro, euro.length - 1);
        assertEquals(1, OutputRouter.completeUtf8Prefix(cut));
    }

    @Test
    void denotableTypes() {
        assertTrue(CachedMagic.denotable("Map<String, double[]>"));
        assertFalse(CachedMagic.denotable("<anonymous class extending Object>"));
        assertFalse(CachedMagic.denotable("Object&Comparable<?>"));
    }
}
