package dev.cellar.kernel.magic;

import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %jars PATH_OR_GLOB...} (also {@code %classpath}): adds jars or class directories to the
 * session's class path. Inline ({@code List<String> added = %jars lib/*.jar}) its value is the list
 * of paths added.
 */
final class JarsMagic implements LineMagic {
    private final JShellEvaluator evaluator;

    JarsMagic(JShellEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public List<String> run(String args) throws CellError {
        if (args.isBlank()) {
            throw new CellError.MagicError("usage: %jars PATH_OR_GLOB... (jars or class directories)");
        }
        List<String> added = new ArrayList<>();
        for (String pattern : args.strip().split("\\s+")) {
            if (!Glob.isPattern(pattern)) {
                // A plain path names one jar or class directory; only patterns are expanded.
                if (!Files.exists(Path.of(pattern))) {
                    throw new CellError.MagicError("%jars: no such file or directory '" + pattern + "'");
                }
                evaluator.addToClasspath(Path.of(pattern).toAbsolutePath().toString());
                added.add(pattern);
                continue;
            }
            List<Path> matches;
            try {
                matches = Glob.expand(pattern);
            } catch (IOException | RuntimeException e) {
                throw new CellError.MagicError("%jars: cannot list '" + pattern + "': " + e);
            }
            if (matches.isEmpty()) {
                throw new CellError.MagicError("%jars: nothing matches '" + pattern + "'");
            }
            for (Path p : matches) {
                evaluator.addToClasspath(p.toAbsolutePath().toString());
                added.add(p.toString());
            }
        }
        System.out.println("added to the class path: " + String.join(", ", added));
        return added;
    }
}
