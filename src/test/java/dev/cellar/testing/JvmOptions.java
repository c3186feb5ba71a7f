package dev.cellar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options every cellar JVM needs, read from the repository's {@code jvm.options} (the file
 * Maven's test JVMs, the scripts and the kernel spec take them from), for tests that start child JVMs.
 */
public final class JvmOptions {
    private JvmOptions() {}

    /** {@code jvm.options}: where the pom says (system property {@code cellar.jvmOptions}), else in the working directory. */
    public static Path file() {
        return Path.of(System.getProperty("cellar.jvmOptions", "jvm.options")).toAbsolutePath();
    }

    /** The options, one per non-comment line of the file. */
    public static List<String> list() {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file())) {
                int hash = line.indexOf('#');
                String opt = (hash < 0 ? line : line.substring(0, hash)).strip();
                if (!opt.isEmpty()) {
                    out.add(opt);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JVM options file " + file(), e);
        }
    }

    /** The {@code java} executable of the running JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The start of a child JVM's command line: this JVM's {@code java}, the options, {@code extra}
     * options (heap and the like), and this JVM's class path.
     */
    public static List<String> command(String... extra) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(list());
        cmd.addAll(List.of(extra));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }
}
