package dev.cellar.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The token stream that keys cells: what changes it and what does not. */
class CodeTokensTest {
    private static final String CELL = "double[] xs = new double[n];\n"
            + "for (int i = 0; i < n; i++) { xs[i] = Math.sqrt(i) * 2.5; }\n"
            + "String label = \"run a\";";

    @Test
    void commentsWhitespaceAndLineBreaksDoNotChangeIt() {
        String reformatted = "// squares\ndouble[]   xs=new double[ n ];   /* filled below */\n"
                + "for (int i = 0;\n     i < n;\n     i++)\n{\n    xs[i] = Math.sqrt(i) * 2.5; // scaled\n}\n\n"
                + "String label =\n        \"run a\";\n";
        assertEquals(CodeTokens.canonical(CELL), CodeTokens.canonical(reformatted));
        assertFalse(CodeTokens.canonical(CELL).startsWith(CodeTokens.SOURCE_FALLBACK));
    }

    @Test
    void everyKindOfTokenChangeChangesIt() {
        String base = CodeTokens.canonical(CELL);
        for (String changed : new String[] {
                CELL.replace("xs = new", "ys = new"),   // identifier
                CELL.replace("2.5", "2.50"),           // numeric literal, same value, other text
                CELL.replace("2.5", "3.5"),            // numeric literal
                CELL.replace("\"run a\"", "\"run  a\""), // inside a string literal, whitespace counts
                CELL.replace("\"run a\"", "\"run b\""),
                CELL.replace("i < n", "i <= n"),       // operator
                CELL.replace("* 2.5", "/ 2.5"),
                CELL.replace("Math.sqrt", "Math.cbrt")}) {
            assertNotEquals(base, CodeTokens.canonical(changed), changed);
        }
    }

    @Test
    void textBlocksAndCharsEnterByValueSoReindentingATextBlockDoesNotChangeIt() {
        String a = "String q = \"\"\"\n    select *\n      from t\n    \"\"\";\nchar c = '\\t';";
        String b = "String q =\n        \"\"\"\n        select *\n          from t\n        \"\"\";\nchar c = '\\u0009';";
        assertEquals(CodeTokens.canonical(a), CodeTokens.canonical(b));
        assertNotEquals(CodeTokens.canonical(a), CodeTokens.canonical(a.replace("from t", "from u")));
        assertNotEquals(CodeTokens.canonical("String s = \"a\";"), CodeTokens.canonical("String s = 'a';"));
    }

    @Test
    void renderingHasOneStatementPerLineSoDiffsShowStatements() {
        assertEquals("int a = 1 ;\nfor ( int i = 0 ; i < 2 ; i ++ ) {\na += i ;\n}\n",
                CodeTokens.canonical("int a = 1; for (int i = 0; i < 2; i++) { a += i; }"));
    }

    @Test
    void sourceTheScannerRejectsIsKeptAsWrittenBehindAMarker() {
        String bad = "String s = \"unterminated;";
        assertTrue(CodeTokens.canonical(bad).startsWith(CodeTokens.SOURCE_FALLBACK));
        assertNotEquals(CodeTokens.canonical(bad), CodeTokens.canonical(bad.replace("String s", "String t")));
    }

    @Test
    void rejectedSourcesLeaveLaterScansAsTheyWere() {
        // One scanner factory serves every scan: a rejected source must not change how later ones scan.
        String good = "double[] big = new double[n]; for (int i = 0; i < n; i++) big[i] = Math.sqrt(i); // c";
        String before = CodeTokens.canonical(good);
        for (String bad : new String[] {"String s = \"unterminated;", "int x = 1 # 2;", "char c = '';", "/* open"}) {
            assertTrue(CodeTokens.canonical(bad).startsWith(CodeTokens.SOURCE_FALLBACK), bad);
            assertEquals(before, CodeTokens.canonical(good), "after " + bad);
        }
        assertEquals(CodeTokens.canonical("int y = 1;"), CodeTokens.canonical("int   y=1 ;"));
    }

    @Test
    void callAritiesCountArgumentsAndMarkOtherUses() {
        Map<String, Set<Integer>> calls = CodeTokens.callArities(
                "f(1, g(2, 3)); f(); h(new int[] {1, 2}); Stream.of(1).map(this::k); m(a < b, c > d);");
        assertEquals(Set.of(2, 0), calls.get("f"));
        assertEquals(Set.of(2), calls.get("g"));
        assertEquals(Set.of(1), calls.get("h"));
        assertEquals(Set.of(-1), calls.get("k"), "a method reference may denote any overload");
        assertEquals(Set.of(-1), calls.get("m"), "commas between < and > may be type arguments");
    }
}
