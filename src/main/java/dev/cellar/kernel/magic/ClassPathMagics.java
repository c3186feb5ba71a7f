package dev.cellar.kernel.magic;

import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.maven.KernelClassPath;
import dev.cellar.kernel.maven.MavenException;
import dev.cellar.kernel.maven.MavenResolver;
import dev.cellar.kernel.maven.ResolvedJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The magics that add libraries to a session, as IJava and JJava name them: {@code %maven},
 * {@code %mavenRepo}, {@code %%loadFromPOM}, {@code %jars} and {@code %classpath}. Everything added is
 * recorded in {@link SessionLibraries}, from which it enters the keys of cached cells. Maven
 * resolution starts on first use: reading settings costs time a notebook without {@code %maven} need
 * not spend.
 */
final class ClassPathMagics {
    static final String MAVEN_USAGE = "usage: %maven GROUP:ARTIFACT:VERSION... (also GROUP:ARTIFACT:EXTENSION"
            + "[:CLASSIFIER]:VERSION); resolved with their dependencies from the local repository, Maven Central"
            + " and the repositories of ~/.m2/settings.xml and %mavenRepo";
    static final String REPO_USAGE = "usage: %mavenRepo ID URL (an https://, http:// or file: Maven repository)";
    static final String POM_USAGE = "usage: %%loadFromPOM (no arguments), then a POM or a <dependencies> block"
            + " as the cell";
    static final String CLASSPATH_USAGE = "usage: %classpath (lists the session's class path) | %classpath add"
            + " PATH_OR_GLOB...";
    static final String JARS_USAGE = "usage: %jars PATH_OR_GLOB... (jars or class directories)";

    private final JShellEvaluator evaluator;
    private final SessionLibraries libraries;
    private MavenResolver resolver;
    private KernelClassPath kernelClassPath;

    ClassPathMagics(JShellEvaluator evaluator, SessionLibraries libraries) {
        this.evaluator = evaluator;
        this.libraries = libraries;
    }

    void register(Magics magics) {
        magics.registerLine("maven", this::maven, "add Maven artifacts and their dependencies to the class path");
        magics.registerLine("mavenRepo", this::mavenRepo, "add a Maven repository that %maven searches");
        magics.registerCell("loadFromPOM", (args, body, cell) -> {
            loadFromPom(args, body);
            return CellValue.NONE;
        }, "add the dependencies of the POM (or <dependencies> block) in the cell");
        magics.registerLine("jars", this::jars, "add jars or class directories (paths or globs) to the class path");
        magics.registerLine("classpath", this::classpath, "list the session's class path; 'add PATH...' adds to it");
    }

    synchronized List<String> maven(String args) throws CellError {
        List<String> coordinates = words(args);
        if (coordinates.isEmpty()) {
            throw new CellError.MagicError(MAVEN_USAGE);
        }
        for (String c : coordinates) {
            if (c.startsWith("-") || c.split(":", -1).length < 3) {
                throw new CellError.MagicError("%maven: '" + c + "' is not GROUP:ARTIFACT:VERSION\n" + MAVEN_USAGE);
            }
        }
        List<ResolvedJar> jars;
        try {
            jars = resolver().resolve(coordinates);
        } catch (MavenException e) {
            throw new CellError.MagicError("%maven: " + e.getMessage());
        }
        return addResolved(jars);
    }

    synchronized Object mavenRepo(String args) throws CellError {
        List<String> w = words(args);
        if (w.size() != 2) {
            throw new CellError.MagicError(REPO_USAGE);
        }
        try {
            resolver().addRepository(w.get(0), w.get(1));
        } catch (MavenException e) {
            throw new CellError.MagicError("%mavenRepo: " + e.getMessage() + "\n" + REPO_USAGE);
        }
        System.out.println("repositories: " + String.join(", ", resolver.repositories()));
        return null;
    }

    synchronized List<String> loadFromPom(String args, String body) throws CellError {
        if (!args.isBlank()) {
            throw new CellError.MagicError("%%loadFromPOM: unexpected argument '" + args.strip() + "'\n" + POM_USAGE);
        }
        if (body.isBlank()) {
            throw new CellError.MagicError("%%loadFromPOM: the cell is empty\n" + POM_USAGE);
        }
        try {
            return addResolved(resolver().resolvePom(body));
        } catch (MavenException e) {
            throw new CellError.MagicError(e.getMessage().startsWith("%%") ? e.getMessage() : "%%loadFromPOM: "
                    + e.getMessage());
        }
    }

    Object classpath(String args) throws CellError {
        List<String> w = words(args);
        if (w.isEmpty()) {
            List<ResolvedJar> added = libraries.added();
            StringBuilder sb = new StringBuilder();
            for (ResolvedJar j : added) {
                sb.append(j.file()).append(j.hasCoordinates() ? "  (" + j.describe() + ")" : "").append('\n');
            }
            int own = System.getProperty("java.class.path", "").split(java.io.File.pathSeparator).length;
            sb.append(added.isEmpty() ? "nothing added to the session's class path" : added.size() + " added")
                    .append("; the kernel's own class path has ").append(own).append(own == 1 ? " entry" : " entries");
            System.out.println(sb);
            return added.stream().map(j -> j.file().toString()).collect(Collectors.toList());
        }
        if (w.get(0).equals("add") && w.size() > 1) {
            return addPaths("%classpath add", w.subList(1, w.size()), CLASSPATH_USAGE);
        }
        // IJava's %classpath takes the paths directly; so does this one, when every word is a path or glob.
        boolean paths = w.stream().allMatch(p -> Glob.isPattern(p) || Files.exists(Path.of(p)));
        if (!paths) {
            throw new CellError.MagicError("%classpath: unexpected argument '" + w.get(0) + "'\n" + CLASSPATH_USAGE);
        }
        return addPaths("%classpath", w, CLASSPATH_USAGE);
    }

    List<String> jars(String args) throws CellError {
        List<String> w = words(args);
        if (w.isEmpty()) {
            throw new CellError.MagicError(JARS_USAGE);
        }
        return addPaths("%jars", w, JARS_USAGE);
    }

    private List<String> addPaths(String magic, List<String> patterns, String usage) throws CellError {
        List<Path> paths = new ArrayList<>();
        for (String pattern : patterns) {
            if (pattern.startsWith("-")) {
                throw new CellError.MagicError(magic + ": unknown option '" + pattern + "'\n" + usage);
            }
            if (!Glob.isPattern(pattern)) {
                // A plain path names one jar or class directory; only patterns are expanded.
                if (!Files.exists(Path.of(pattern))) {
                    throw new CellError.MagicError(magic + ": no such file or directory '" + pattern + "'");
                }
                paths.add(Path.of(pattern));
                continue;
            }
            List<Path> matches;
            try {
                matches = Glob.expand(pattern);
            } catch (IOException | RuntimeException e) {
                throw new CellError.MagicError(magic + ": cannot list '" + pattern + "': " + e);
            }
            if (matches.isEmpty()) {
                throw new CellError.MagicError(magic + ": nothing matches '" + pattern + "'");
            }
            paths.addAll(matches);
        }
        List<String> added = new ArrayList<>();
        for (Path p : paths) {
            evaluator.addToClasspath(p.toAbsolutePath().toString());
            libraries.addPath(p);
            added.add(p.toString());
        }
        System.out.println("added to the class path: " + String.join(", ", added));
        return added;
    }

    private List<String> addResolved(List<ResolvedJar> jars) {
        List<String> added = new ArrayList<>();
        for (ResolvedJar j : jars) {
            evaluator.addToClasspath(j.file().toAbsolutePath().toString());
            libraries.add(j);
            added.add(j.file().toString());
        }
        System.out.println("added to the class path: " + jars.stream().map(ResolvedJar::describe)
                .collect(Collectors.joining(", ")));
        for (String conflict : kernelClassPath().conflicts(jars)) {
            System.err.println("warning: " + conflict);
        }
        return added;
    }

    private MavenResolver resolver() throws CellError {
        if (resolver == null) {
            try {
                resolver = MavenResolver.fromUserSettings();
            } catch (MavenException e) {
                throw new CellError.MagicError("%maven: " + e.getMessage());
            }
        }
        return resolver;
    }

    private KernelClassPath kernelClassPath() {
        if (kernelClassPath == null) {
            kernelClassPath = KernelClassPath.current();
        }
        return kernelClassPath;
    }

    private static List<String> words(String args) {
        String s = args.strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }
}
