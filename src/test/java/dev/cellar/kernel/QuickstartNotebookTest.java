package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notebooks/quickstart.ipynb runs top to bottom without errors; its rerun restores every cached cell. */
@Tag("e2e")
@Tag("slow")
class QuickstartNotebookTest {
    @Test
    void quickstartMissesThenHits(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Jupyter.available(), "/usr/bin/jupyter is not installed");
        Jupyter jupyter = new Jupyter(dir.resolve("jupyter"), dir.resolve("store"));
        JsonObject nb = JsonParser.parseString(Files.readString(Path.of("notebooks/quickstart.ipynb"))).getAsJsonObject();
        List<String> code = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (cell.get("cell_type").getAsString().equals("code")) {
                JsonElement src = cell.get("source");
                code.add(src.isJsonArray() ? String.join("", toStrings(src)) : src.getAsString());
            }
        }
        String first = String.join("", jupyter.execute("quickstart-1", code));
        String second = String.join("", jupyter.execute("quickstart-2", code));
        assertFalse(first.contains("ERROR") || second.contains("ERROR"), first + second);
        assertEquals(3, count(first, "cellar: MISS "), first);
        assertEquals(3, count(second, "cellar: HIT "), second);
        assertTrue(second.contains("cross-correlogram:"), second);
        // The two charts, drawn from restored results: XChart added with %maven, shown as PNG.
        for (String run : List.of(first, second)) {
            assertTrue(run.contains("DISPLAY XYChart \"Population PSTH\""), run);
            assertTrue(run.contains("DISPLAY XYChart \"Cross-correlogram vs shift predictor\""), run);
            assertTrue(java.util.regex.Pattern.compile("PNG [1-9][0-9]{3,}").matcher(run).results().count() >= 2, run);
        }
    }

    private static List<String> toStrings(JsonElement arr) {
        List<String> out = new ArrayList<>();
        arr.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
