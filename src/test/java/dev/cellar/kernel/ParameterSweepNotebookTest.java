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

/**
 * notebooks/parameter-sweep.ipynb with Debian's Jupyter, twice: the first run simulates every grid point
 * and then only the one point whose parameters changed; the second simulates nothing; both plot.
 */
@Tag("e2e")
class ParameterSweepNotebookTest {
    static List<String> codeCells(Path notebook) throws Exception {
        JsonObject nb = JsonParser.parseString(Files.readString(notebook)).getAsJsonObject();
        List<String> code = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (cell.get("cell_type").getAsString().equals("code")) {
                JsonElement src = cell.get("source");
                StringBuilder sb = new StringBuilder();
                if (src.isJsonArray()) {
                    src.getAsJsonArray().forEach(e -> sb.append(e.getAsString()));
                } else {
                    sb.append(src.getAsString());
                }
                code.add(sb.toString());
            }
        }
        return code;
    }

    @Test
    void aChangedPointIsTheOnlyOneSimulatedAgain(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Jupyter.available() || System.getenv("CI") != null, "/usr/bin/jupyter is not installed");
        Jupyter jupyter = new Jupyter(dir.resolve("jupyter"), dir.resolve("store"));
        List<String> code = codeCells(Path.of("notebooks/parameter-sweep.ipynb"));
        String first = String.join("", jupyter.execute("sweep-1", code));
        String second = String.join("", jupyter.execute("sweep-2", code));
        assertFalse(first.contains("ERROR") || second.contains("ERROR"), first + second);
        assertTrue(first.contains("sweep: 24 of 24 points simulated"), first);
        assertTrue(first.contains("sweep: 1 of 24 points simulated"), first);
        assertEquals(2, second.split("sweep: 0 of 24 points simulated", -1).length - 1, second);
        for (String run : List.of(first, second)) {
            assertTrue(run.contains("DISPLAY XYChart \"Firing rate vs input current\""), run);
            assertTrue(run.matches("(?s).*PNG [1-9][0-9]{3,}.*"), run);
        }
    }
}
