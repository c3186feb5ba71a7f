package dev.cellar.kernel.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Maven coordinates of a jar that is already on disk (added with {@code %jars}, or on the
 * kernel's own class path): from the {@code META-INF/maven/.../pom.properties} Maven writes into
 * every jar it builds, else from a Maven repository's directory layout, else from a file name such as
 * {@code commons-math3-3.6.1.jar}. Only reads the jar's directory of entries and one small file.
 */
public final class JarCoordinates {
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
    private static final Pattern NAMED = Pattern.compile("(.+?)-(\\d[^-]*(?:-SNAPSHOT)?)(?:-[^-]+)?\\.jar");

    private JarCoordinates() {
    }

    /** The jar's own coordinates, or a {@link ResolvedJar} without coordinates if they are not known. */
    public static ResolvedJar identify(Path jar) {
        List<ResolvedJar> inside = embedded(jar);
        if (inside.size() == 1) {
            return inside.get(0);
        }
        ResolvedJar fromLayout = fromRepositoryLayout(jar);
        if (fromLayout != null) {
            return fromLayout;
        }
        Matcher m = NAMED.matcher(jar.getFileName().toString());
        if (m.matches()) {
            return new ResolvedJar(null, m.group(1), m.group(2), jar);
        }
        return new ResolvedJar(null, null, null, jar);
    }

    /**
     * Every artifact whose {@code pom.properties} the jar holds: one for an ordinary jar, many for a
     * shaded one (the kernel's own jar), none for a jar not built by Maven or a directory.
     */
    static List<ResolvedJar> embedded(Path jar) {
        List<ResolvedJar> out = new ArrayList<>();
        if (!Files.isRegularFile(jar)) {
            return out;
        }
        try (JarFile f = new JarFile(jar.toFile(), false)) {
            for (JarEntry e : (Iterable<JarEntry>) f.stream()::iterator) {
                if (!POM_PROPERTIES.matcher(e.getName()).matches()) {
                    continue;
                }
                Properties p = new Properties();
                try (InputStream in = f.getInputStream(e)) {
                    p.load(in);
                }
                String g = p.getProperty("groupId");
                String a = p.getProperty("artifactId");
                String v = p.getProperty("version");
                if (g != null && a != null && v != null) {
                    out.add(new ResolvedJar(g.strip(), a.strip(), v.strip(), jar));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not a readable jar: its coordinates are simply unknown.
        }
        return out;
    }

    /** {@code .../org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar} with its POM beside it. */
    private static ResolvedJar fromRepositoryLayout(Path jar) {
        Path versionDir = jar.toAbsolutePath().getParent();
        Path artifactDir = versionDir == null ? null : versionDir.getParent();
        if (artifactDir == null || artifactDir.getParent() == null) {
            return null;
        }
        String version = versionDir.getFileName().toString();
        String artifact = artifactDir.getFileName().toString();
        if (!jar.getFileName().toString().startsWith(artifact + "-" + version)
                || !Files.isRegularFile(versionDir.resolve(artifact + "-" + version + ".pom"))) {
            return null;
        }
        // The group is the path above the artifact, as far up as the repository root; the POM says where
        // that is by naming the group (or its parent's).
        try {
            String pom = Files.readString(versionDir.resolve(artifact + "-" + version + ".pom"));
            String group = PomReader.groupOf(pom);
            return group == null ? null : new ResolvedJar(group, artifact, version, jar);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
