package dev.cellar.kernel.magic;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.kernel.maven.JarCoordinates;
import dev.cellar.kernel.maven.ResolvedJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The jars and class directories a session added to its class path ({@code %maven},
 * {@code %%loadFromPOM}, {@code %jars}, {@code %classpath add}), with their coordinates where known and
 * a digest of their content. Code in a cell can call into any of them, so each enters the key of every
 * {@code %%cached} cell: another version of a library is another computation. Digests are remembered
 * by path, size and modification time, so a hit does not read the jars again.
 */
public final class SessionLibraries {
    /** One library: its name in keys and {@code why} (the artifact, else the file name), version if known. */
    public record Library(String name, String version, Path path, String digest) {}

    private record Stamp(long size, long modified, String digest) {}

    /** By absolute path, in the order added. */
    private final Map<Path, ResolvedJar> added = new LinkedHashMap<>();
    private final Map<Path, Stamp> digests = new ConcurrentHashMap<>();

    /** Records a jar or class directory now on the session's class path; a second add of a path is ignored. */
    public synchronized void add(ResolvedJar jar) {
        added.putIfAbsent(jar.file().toAbsolutePath().normalize(), jar);
    }

    /** Records a path added without known coordinates; they are read from the jar itself if it has them. */
    public void addPath(Path path) {
        add(JarCoordinates.identify(path.toAbsolutePath().normalize()));
    }

    /** The jars and directories added so far, in order. */
    public synchronized List<ResolvedJar> added() {
        return new ArrayList<>(added.values());
    }

    /**
     * Every library with its current content digest; names are unique (a second jar of the same name
     * gets {@code #2}).
     *
     * @throws IOException if a library can no longer be read (deleted since it was added)
     */
    public List<Library> current() throws IOException {
        List<Library> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (ResolvedJar j : added()) {
            String base = j.artifactId() != null ? j.artifactId() : j.file().getFileName().toString();
            int n = seen.merge(base, 1, Integer::sum);
            out.add(new Library(n == 1 ? base : base + "#" + n, j.version(), j.file(), digest(j.file())));
        }
        return out;
    }

    /**
     * The libraries as key inputs ({@code library commons-math3}, by content digest, shown by version).
     *
     * @throws IOException if a library can no longer be read
     */
    public List<Component.Input> inputs() throws IOException {
        List<Component.Input> out = new ArrayList<>();
        for (Library l : current()) {
            out.add(Component.Input.library(l.name(), l.version(), l.digest()));
        }
        return out;
    }

    private String digest(Path p) throws IOException {
        if (!Files.exists(p)) {
            // Deleted since it was added: classes the session loaded from it keep what it held then, so
            // its last digest still describes them; one never digested enters as missing.
            Stamp last = digests.get(p);
            return last != null ? last.digest() : "missing";
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        long size = a.size();
        long modified = a.lastModifiedTime().toMillis();
        if (a.isDirectory()) {
            // A class directory changes below its top level: its stamp is its newest file and total size.
            long[] agg = {0, 0};
            try (Stream<Path> files = Files.walk(p)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    try {
                        agg[0] += Files.size(f);
                        agg[1] = Math.max(agg[1], Files.getLastModifiedTime(f).toMillis());
                    } catch (IOException e) {
                        agg[1] = Long.MAX_VALUE;
                    }
                });
            }
            size = agg[0];
            modified = agg[1];
        }
        Stamp s = digests.get(p);
        if (s != null && s.size() == size && s.modified() == modified) {
            return s.digest();
        }
        String d = a.isDirectory() ? directoryDigest(p) : Cellar.fileDigest(p);
        digests.put(p, new Stamp(size, modified, d));
        return d;
    }

    /** Relative path and content digest of every file, in sorted order. */
    private static String directoryDigest(Path dir) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            md.update(dir.relativize(f).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Cellar.fileDigest(f).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }
}
