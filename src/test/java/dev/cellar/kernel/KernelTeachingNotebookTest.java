package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook written the way course notebooks are (declare in one cell, fill in the next, print in a
 * third; lists and maps grown in place; a class defined in a cell; expressions with and without ';'),
 * with {@code %%cached} on the filling cells, run twice by real Jupyter in fresh kernels on one store.
 * The second run restores instead of computing and must print exactly what the first printed.
 */
@Tag("e2e")
class KernelTeachingNotebookTest {
    static final List<String> CELLS = List.of(
            "int[] arrOne = new int[10];",
            "%%cached fill\nfor (int i = 0; i < arrOne.length; i++) {\n    arrOne[i] = i * 2;\n}",
            "System.out.println(Arrays.toString(arrOne));",
            "List<String> names = new ArrayList<>();\nMap<String, Integer> lengths = new HashMap<>();",
            "%%cached grow\nfor (String s : List.of(\"ada\", \"grace\", \"alan\")) {\n    names.add(s);\n"
                    + "    lengths.put(s, s.length());\n}",
            "System.out.println(names + \" \" + new TreeMap<>(lengths));",
            "class Square {\n    int side;\n    Square(int side) { this.side = side; }\n"
                    + "    int area() { return side * side; }\n}",
            "%%cached squares\nSquare[] squares = new Square[3];\nfor (int i = 0; i < squares.length; i++) {\n"
                    + "    squares[i] = new Square(i + 1);\n}",
            "int total = 0;\nfor (Square s : squares) {\n    total += s.area();\n}\ntotal;",
            "String myString = \"hello\";\nmyString.length();",
            "int x = 3;\nint y = 4;\nx + y",
            "System.out.println(\"void call\");");

    @Test
    void aTeachingNotebookPrintsTheSameWhenItsCachedCellsAreRestored(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Jupyter.available(), "/usr/bin/jupyter is not installed");
        Jupyter jupyter = new Jupyter(dir.resolve("jupyter"), dir.resolve("store"));
        List<String> first = jupyter.execute("teaching-1", CELLS);
        List<String> second = jupyter.execute("teaching-2", CELLS);
        String all = String.join("", first) + String.join("", second);
        assertFalse(all.contains("ERROR") || all.contains("not cached"), all);
        assertEquals(3, count(String.join("", first), "cellar: MISS "), first.toString());
        assertEquals(3, count(String.join("", second), "cellar: HIT "), second.toString());
        assertTrue(first.get(1).contains("arrOne changed in place: stored"), first.get(1));
        assertEquals(withoutStatus(first), withoutStatus(second));
        List<String> shown = withoutStatus(second);
        assertEquals("[0, 2, 4, 6, 8, 10, 12, 14, 16, 18]\n", shown.get(2));
        assertEquals("[ada, grace, alan] {ada=3, alan=4, grace=5}\n", shown.get(5));
        assertEquals("DISPLAY 14\n", shown.get(8));
        assertEquals("DISPLAY 5\n", shown.get(9));
        assertEquals("DISPLAY 7\n", shown.get(10));
        assertEquals("void call\n", shown.get(11));
    }

    /** Each cell's output without cellar's status lines (MISS and HIT lines differ by design). */
    private static List<String> withoutStatus(List<String> cells) {
        return cells.stream().map(c -> c.lines().filter(l -> !l.startsWith("cellar: "))
                .map(l -> l + "\n").collect(Collectors.joining())).toList();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
