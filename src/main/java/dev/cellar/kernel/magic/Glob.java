package dev.cellar.kernel.magic;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands a path pattern such as {@code /usr/share/java/*.jar} or {@code lib/**}{@code /*.jar}: the
 * leading segments without wildcards name the directory to search, the rest is a JDK glob matched
 * against paths below it.
 */
final class Glob {
    private Glob() {
    }

    static boolean isPattern(String s) {
        return s.matches(".*[*?\\[{].*");
    }

    /** The matching paths, sorted; empty if none. */
    static List<Path> expand(String pattern) throws IOException {
        String p = pattern.replace('\\', '/');
        int firstWild = indexOfWildcard(p);
        int cut = p.lastIndexOf('/', firstWild);
        Path base = cut < 0 ? Path.of("") : Path.of(cut == 0 ? "/" : p.substring(0, cut));
        String rest = cut < 0 ? p : p.substring(cut + 1);
        Path root = base.toString().isEmpty() ? Path.of(".") : base;
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : rest.split("/").length;
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root, depth)) {
            s.filter(f -> !f.equals(root) && matcher.matches(root.relativize(f)))
                    .map(f -> base.toString().isEmpty() ? root.relativize(f) : f)
                    .sorted().forEach(out::add);
        }
        return out;
    }

    private static int indexOfWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("*?[{".indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
