package dev.cellar.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.cellar.testing.JvmOptions;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * Drives Debian's real Jupyter ({@code /usr/bin/jupyter nbconvert --execute}) against the kernel built
 * from this test's class path: each {@link #execute} starts a fresh kernel process.
 */
final class Jupyter {
    static final Path JUPYTER = Path.of("/usr/bin/jupyter");

    private final Path home;
    private final Path store;

    Jupyter(Path home, Path store) throws IOException {
        this.home = home;
        this.store = store;
        Path spec = home.resolve("kernels/cellar");
        Files.createDirectories(spec);
        Gson gson = new Gson();
        List<String> argv = new ArrayList<>();
        argv.add(JvmOptions.java());
        argv.addAll(JvmOptions.list());
        argv.addAll(List.of("-Xmx1g", "-cp", classPath(), "dev.cellar.kernel.KernelMain", "{connection_file}"));
        Map<String, Object> json = Map.of(
                "argv", argv,
                "display_name", "Java (cellar)",
                "language", "java",
                "interrupt_mode", "message");
        Files.writeString(spec.resolve("kernel.json"), gson.toJson(json));
    }

    static boolean available() {
        return Files.isExecutable(JUPYTER);
    }

    /** A notebook of code cells, in the kernel's language. */
    static JsonObject notebook(List<String> cells) {
        JsonObject nb = new JsonObject();
        JsonArray cs = new JsonArray();
        for (String src : cells) {
            JsonObject c = new JsonObject();
            c.addProperty("cell_type", "code");
            c.add("metadata", new JsonObject());
            c.addProperty("source", src);
            c.add("outputs", new JsonArray());
            c.add("execution_count", null);
            cs.add(c);
        }
        nb.add("cells", cs);
        JsonObject meta = new JsonObject();
        JsonObject ks = new JsonObject();
        ks.addProperty("name", "cellar");
        ks.addProperty("display_name", "Java (cellar)");
        ks.addProperty("language", "java");
        meta.add("kernelspec", ks);
        nb.add("metadata", meta);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 4);
        return nb;
    }

    /** Starts executing a notebook; {@link Run#await()} waits for it. */
    Run start(String name, List<String> cells, int cellTimeoutSeconds) throws IOException {
        Path in = home.resolve(name + ".ipynb");
        Files.writeString(in, new com.google.gson.GsonBuilder().serializeNulls().create().toJson(notebook(cells)));
        Path out = home.resolve(name + ".out.ipynb");
        Files.deleteIfExists(out);
        ProcessBuilder pb = new ProcessBuilder(JUPYTER.toString(), "nbconvert", "--to", "notebook", "--execute",
                "--allow-errors", "--ExecutePreprocessor.kernel_name=cellar",
                "--ExecutePreprocessor.timeout=" + cellTimeoutSeconds,
                "--ExecutePreprocessor.interrupt_on_timeout=True",
                "--output", out.getFileName().toString(), "--output-dir", home.toString(), in.toString());
        pb.environment().put("JUPYTER_PATH", home.toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", home.resolve("runtime").toString());
        pb.environment().put("JUPYTER_CONFIG_DIR", home.resolve("config").toString());
        pb.environment().put("CELLAR_DIR", store.toString());
        pb.redirectErrorStream(true);
        Path log = home.resolve(name + ".log");
        pb.redirectOutput(log.toFile());
        return new Run(pb.start(), out, log);
    }

    List<String> execute(String name, List<String> cells) throws Exception {
        return start(name, cells, 60).await();
    }

    record Run(Process process, Path out, Path log) {
        /** Waits for nbconvert; returns each cell's output as text (streams, errors, display text). */
        List<String> await() throws Exception {
            if (!process.waitFor(4, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("nbconvert did not finish; log:\n" + Files.readString(log));
            }
            if (process.exitValue() != 0 || !Files.exists(out)) {
                throw new AssertionError("nbconvert failed (" + process.exitValue() + "):\n" + Files.readString(log));
            }
            JsonObject nb = JsonParser.parseString(Files.readString(out, StandardCharsets.UTF_8)).getAsJsonObject();
            List<String> cells = new ArrayList<>();
            for (JsonElement c : nb.getAsJsonArray("cells")) {
                StringBuilder sb = new StringBuilder();
                for (JsonElement o : c.getAsJsonObject().getAsJsonArray("outputs")) {
                    JsonObject out = o.getAsJsonObject();
                    switch (out.get("output_type").getAsString()) {
                        case "stream" -> sb.append(text(out.get("text")));
                        case "error" -> sb.append("ERROR ").append(out.get("ename").getAsString()).append(": ")
                                .append(out.get("evalue").getAsString()).append('\n');
                        default -> {
                            JsonObject data = out.getAsJsonObject("data");
                            if (data.has("text/plain")) {
                                sb.append("DISPLAY ").append(text(data.get("text/plain"))).append('\n');
                            }
                            if (data.has("text/html")) {
                                sb.append("HTML ").append(text(data.get("text/html"))).append('\n');
                            }
                            if (data.has("image/png")) {
                                sb.append("PNG ").append(text(data.get("image/png")).strip().length()).append('\n');
                            }
                        }
                    }
                }
                cells.add(sb.toString());
            }
            return cells;
        }

        private static String text(JsonElement e) {
            if (e.isJsonArray()) {
                StringBuilder sb = new StringBuilder();
                e.getAsJsonArray().forEach(x -> sb.append(x.getAsString()));
                return sb.toString();
            }
            return e.getAsString();
        }
    }

    /**
     * This JVM's class path as plain entries. Surefire may start tests with a manifest-only jar; the
     * kernel's JShell compiles against {@code java.class.path}, so the entries are spelled out.
     */
    static String classPath() {
        // The test framework's own jars are left out: an installed kernel does not have them, and a
        // notebook adding a library that depends on JUnit would be told of conflicts no user sees.
        return java.util.Arrays.stream(allClassPath().split(File.pathSeparator))
                .filter(e -> !e.matches(".*/org/(junit|opentest4j|apiguardian)/.*"))
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    private static String allClassPath() {
        String cp = System.getProperty("java.class.path");
        String[] entries = cp.split(File.pathSeparator);
        if (entries.length == 1 && entries[0].endsWith(".jar")) {
            try (JarFile jar = new JarFile(entries[0])) {
                String manifestCp = jar.getManifest() == null ? null
                        : jar.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifestCp != null) {
                    List<String> out = new ArrayList<>();
                    for (String url : manifestCp.trim().split("\\s+")) {
                        out.add(Path.of(URI.create(url)).toString());
                    }
                    return String.join(File.pathSeparator, out);
                }
            } catch (IOException | IllegalArgumentException e) {
                return cp;
            }
        }
        return cp;
    }
}
