package dev.cellar.kernel.maven;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A jar (or class directory) on disk and what is known of the Maven coordinates it was published
 * under: all of them for a resolved artifact, possibly only the artifact and version for a jar named
 * like {@code commons-math3-3.6.1.jar}, nothing for a jar of unknown origin (the fields are then null).
 */
public record ResolvedJar(String groupId, String artifactId, String version, Path file) {
    public ResolvedJar {
        Objects.requireNonNull(file, "file");
    }

    /** True if at least the artifact and its version are known. */
    public boolean hasCoordinates() {
        return artifactId != null && version != null;
    }

    /** {@code group:artifact:version} (or {@code artifact:version}), or the file name when unknown. */
    public String describe() {
        if (!hasCoordinates()) {
            return file.getFileName().toString();
        }
        return (groupId == null ? "" : groupId + ":") + artifactId + ":" + version;
    }
}
