package dev.cellar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Parameters;
import dev.cellar.codec.json.JsonValues;
import dev.cellar.testing.JvmOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {}

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--dir";
        all[1] = tmp.resolve("store").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int status = Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    private void populate() {
        try (Cellar c = Cellar.open(tmp.resolve("store"))) {
            c.cached("spikes", Parameters.of("rate", 10.0), () -> new double[] {1, 2, 3});
            // entries are ordered by their creation time in milliseconds, and two stores now fit in one:
            // `why spikes` must see the rate-12 entry as the newer one
            long first = System.currentTimeMillis();
            while (System.currentTimeMillis() == first) {
                Thread.onSpinWait();
            }
            c.cached("spikes", Parameters.of("rate", 12.0), () -> new double[] {4, 5, 6});
            c.cached("spikes", Parameters.of("rate", 12.0), () -> new double[] {4, 5, 6});
            c.cached("labels", Parameters.empty(), () -> new String[] {"a", "b"});
        }
    }

    @Test
    void everyCommandInTextAndJson() {
        populate();
        Result ls = cli("ls");
        assertEquals(0, ls.status(), ls.err());
        assertTrue(ls.out().startsWith("name") && ls.out().contains("spikes") && ls.out().contains("3 entries"), ls.out());
        Map<?, ?> lsJson = (Map<?, ?>) JsonValues.parse(cli("ls", "--json").out());
        assertEquals(3, ((List<?>) lsJson.get("entries")).size());

        assertTrue(cli("show", "spikes").out().contains("param rate"));
        Result why = cli("why", "spikes");
        assertTrue(why.out().contains("parameter rate: 10.0 → 12.0"), why.out());

        Map<?, ?> stats = (Map<?, ?>) JsonValues.parse(cli("stats", "--json").out());
        assertEquals(1L, stats.get("hits"));
        assertEquals(3L, stats.get("entries"));

        assertTrue(cli("verify").out().contains("3 entries verified, 0 corrupt"));
        assertTrue(cli("store").out().contains(tmp.resolve("store").toString()));

        Result rm = cli("rm", "labels", "--yes");
        assertEquals(0, rm.status(), rm.err());
        assertTrue(rm.out().contains("removed 1 entries"), rm.out());
        assertTrue(cli("gc", "--max-size", "0").out().contains("evicted 2 entries"));
        assertTrue(cli("ls").out().contains("0 entries"));
    }

    @Test
    void badArgumentsGetUsageAndStatus() {
        Result r = cli("rm");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("exactly one of"), r.err());
        Result u = cli("frobnicate");
        assertEquals(2, u.status());
        assertTrue(u.err().contains("Unmatched argument") || u.err().contains("Usage"), u.err());
        Result missing = cli("show", "nothing-here");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("no entry named or keyed 'nothing-here'"), missing.err());
    }

    /** The export is read back by the JavaScript Arrow implementation, a reader that shares no code with ours. */
    @Test
    void exportIsReadableByArrowJs() throws Exception {
        double[] values = {1.5, -0.0, Double.MAX_VALUE, 42};
        try (Cellar c = Cellar.open(tmp.resolve("store"))) {
            c.cached("xs", Parameters.empty(), () -> values);
        }
        Path out = tmp.resolve("export");
        Result r = cli("export", "xs", "--to", out.toString());
        assertEquals(0, r.status(), r.err());
        Path tool = Path.of("tools/arrow-js").toAbsolutePath();
        if (!Files.isDirectory(tool.resolve("node_modules/apache-arrow"))) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(tool.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(install.waitFor(300, TimeUnit.SECONDS) && install.exitValue() == 0, log);
        }
        Process node = new ProcessBuilder("node", tool.resolve("read.mjs").toString(), out.resolve("value.arrow").toString())
                .redirectErrorStream(true).start();
        String json = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), json);
        assertEquals(0, node.exitValue(), json);
        Map<?, ?> parsed = (Map<?, ?>) JsonValues.parse(json);
        Map<?, ?> columns = (Map<?, ?>) parsed.get("columns");
        assertEquals(1, columns.size(), json);
        List<?> read = (List<?>) ((Map<?, ?>) columns.values().iterator().next()).get("values");
        assertEquals(values.length, read.size());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], ((Number) read.get(i)).doubleValue(), 0.0, "element " + i);
        }
    }

    /** A kernel (here: another JVM) has the store open and keeps writing while the CLI reads and writes it. */
    @Test
    void worksWhileAnotherProcessUsesTheStore() throws Exception {
        Path dir = tmp.resolve("store");
        List<String> cmd = JvmOptions.command();
        cmd.addAll(List.of(StoreUser.class.getName(), dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", r.readLine());
            for (int i = 0; i < 3; i++) {
                Result ls = cli("ls", "--json");
                assertEquals(0, ls.status(), ls.err());
                assertTrue(((List<?>) ((Map<?, ?>) JsonValues.parse(ls.out())).get("entries")).size() >= 1);
                assertEquals(0, cli("stats").status());
                assertEquals(0, cli("verify").status());
            }
        } finally {
            p.getOutputStream().close(); // tells the child to stop
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(0, p.exitValue());
    }

    /** Child process: opens the store, writes until its standard input closes. */
    public static final class StoreUser {
        public static void main(String[] args) throws Exception {
            try (Cellar c = Cellar.open(Path.of(args[0]))) {
                c.cached("warmup", Parameters.empty(), () -> new double[] {1});
                System.out.println("ready");
                System.out.flush();
                Thread stdin = new Thread(() -> {
                    try {
                        while (System.in.read() >= 0) {
                            // wait for EOF
                        }
                    } catch (java.io.IOException ignored) {
                        // parent gone
                    }
                });
                stdin.start();
                int i = 0;
                while (stdin.isAlive()) {
                    int n = i++;
                    c.cached("work", Parameters.of("i", n), () -> new double[] {n});
                    Thread.sleep(20);
                }
            }
        }
    }
}
