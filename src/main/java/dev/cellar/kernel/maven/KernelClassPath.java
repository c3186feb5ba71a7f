package dev.cellar.kernel.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The artifacts on the kernel's own class path (one shaded jar in an installed kernel, many jars in
 * tests), by {@code group:artifact}. The session's class loader asks the kernel's loader first, so a
 * library a notebook adds in another version than the kernel's own is silently shadowed: {@link
 * #conflicts} says so instead.
 */
public final class KernelClassPath {
    private final Map<String, String> versions = new LinkedHashMap<>();

    /** The class path of this JVM ({@code java.class.path}). */
    public static KernelClassPath current() {
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(Path.of(e));
            }
        }
        return new KernelClassPath(entries);
    }

    KernelClassPath(List<Path> entries) {
        for (Path p : entries) {
            List<ResolvedJar> inside = JarCoordinates.embedded(p);
            if (inside.isEmpty()) {
                inside = List.of(JarCoordinates.identify(p));
            }
            for (ResolvedJar j : inside) {
                if (j.groupId() != null && j.hasCoordinates()) {
                    versions.putIfAbsent(j.groupId() + ":" + j.artifactId(), j.version());
                }
            }
        }
    }

    /** The version of {@code group:artifact} the kernel itself loads, or null. */
    public String versionOf(String groupId, String artifactId) {
        return versions.get(groupId + ":" + artifactId);
    }

    /**
     * One sentence per jar that the kernel already has in another version, e.g. {@code
     * com.google.code.gson:gson:2.10.1 requested, but the kernel's own 2.15.0 is loaded first}.
     */
    public List<String> conflicts(List<ResolvedJar> jars) {
        List<String> out = new ArrayList<>();
        for (ResolvedJar j : jars) {
            if (j.groupId() == null || !j.hasCoordinates()) {
                continue;
            }
            String own = versionOf(j.groupId(), j.artifactId());
            if (own != null && !own.equals(j.version())) {
                out.add(j.describe() + " requested, but the kernel's own " + own + " is loaded first");
            }
        }
        return out;
    }
}
