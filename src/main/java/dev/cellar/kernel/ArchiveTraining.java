package dev.cellar.kernel;

import dev.cellar.Cellar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run {@code scripts/install-kernel} makes a class-data-sharing archive from
 * ({@code java -XX:ArchiveClassesAtExit=cellar.jsa ... dev.cellar.kernel.ArchiveTraining}): the classes
 * a notebook rerun loads (JShell and javac, the kernel, the codecs, RocksDB's Java side) are loaded here,
 * by running cells as a notebook would, a {@code %%cached} miss in one kernel and its hit in a second one
 * on a temporary store. Opening the store also leaves RocksDB's native library in its cache directory,
 * so the first kernel start does not copy it either. Prints one line; exit status 1 if a cell failed.
 */
public final class ArchiveTraining {
    private static final String CELL = "%%cached training\nint count = 42;\nlong total = 1L;\ndouble mean = 3.25;\n"
            + "String label = \"x\";\nint[] bins = {1, 2};\ndouble[] weights = {0.5};\n"
            + "java.util.List<String> names = java.util.List.of(\"a\");\nSystem.out.println(label);";

    private ArchiveTraining() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("cellar-archive-training");
        try {
            Path store = dir.resolve("store");
            String miss = run(store, CELL);
            String hit = run(store, CELL);
            boolean ok = miss.contains("cellar: MISS training") && hit.contains("cellar: HIT training");
            out.println(ok ? "cellar: archive training ran a miss and a hit" : "cellar: archive training failed: " + miss + hit);
            out.flush();
            System.exit(ok ? 0 : 1);
        } finally {
            delete(dir);
        }
    }

    /** A new kernel on {@code store}: warm-up, a plain cell, then {@code cell}; returns what they printed. */
    private static String run(Path store, String cell) throws Exception {
        StringBuilder text = new StringBuilder();
        try (CellarKernel k = new CellarKernel(() -> Cellar.open(store))) {
            k.warmUpJShell();
            k.eval("int n = 3;\nString s = \"s\" + n;\ns.length()", 1, (stream, t) -> text.append(t));
            k.eval(cell, 2, (stream, t) -> text.append(t));
        }
        return text.toString();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
