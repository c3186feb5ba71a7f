package dev.cellar.store.rocksdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's JNI library once per JVM. rocksdbjni's own loader copies the library (15 MB for
 * linux64) out of its jar into a new temporary file at every start, which took seconds of every kernel
 * start on a busy machine. Here it is copied once into a cache directory, in a subdirectory named by
 * the jar entry's size and CRC-32 (so each rocksdbjni version has its own), and loaded from there.
 * Before loading, the cached file's size and CRC-32 must match the jar's entry (a damaged or truncated
 * copy is replaced), and the directories must belong to this user and be writable by nobody else (a
 * library others could swap would run their code). Anything unexpected (no such entry, a directory
 * that cannot be written, a library that does not load) falls back to rocksdbjni's own loader.
 */
final class NativeLibrary {
    /** Where the library was loaded from. */
    enum Source {
        /** A copy made by an earlier start, checked against the jar. */
        CACHED,
        /** Copied from the jar into the cache directory by this start. */
        EXTRACTED,
        /** rocksdbjni's own loader (a temporary copy): the cache directory could not be used. */
        ROCKSDB
    }

    /** System property naming the cache directory; {@code scripts/install-kernel} sets it for the kernel. */
    static final String DIR_PROPERTY = "cellar.nativeDir";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static volatile Source loaded;

    private NativeLibrary() {
    }

    /** Loads the library from the default cache directory ({@link #defaultDirectory}); at most once per JVM. */
    static Source load() {
        return load(defaultDirectory());
    }

    /** Loads the library through {@code cacheDir}; if it is already loaded, says how it was. */
    static synchronized Source load(Path cacheDir) {
        if (loaded != null) {
            return loaded;
        }
        Source s;
        try {
            s = loadCached(cacheDir);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            s = null;
        }
        if (s == null) {
            RocksDB.loadLibrary();
            s = Source.ROCKSDB;
        }
        loaded = s;
        return s;
    }

    /**
     * {@code -Dcellar.nativeDir}, else {@code $XDG_CACHE_HOME/cellar-native}, else
     * {@code ~/.cache/cellar-native} (beside cellar's default store directory, not in it).
     */
    static Path defaultDirectory() {
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cellar-native");
    }

    /** Null if the cache cannot be used (the caller falls back); throws if loading the cached file failed. */
    private static Source loadCached(Path cacheDir) throws IOException {
        String name = Environment.getJniLibraryFileName("rocksdb");
        URL url = RocksDB.class.getClassLoader().getResource(name);
        if (url == null || !"jar".equals(url.getProtocol())) {
            return null;
        }
        Path jar;
        try {
            jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        try (JarFile jf = new JarFile(jar.toFile())) {
            ZipEntry entry = jf.getEntry(name);
            if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) {
                return null;
            }
            Path dir = cacheDir.resolve(String.format(Locale.ROOT, "rocksdbjni-%d-%08x", entry.getSize(), entry.getCrc()));
            if (!ownedPrivateDirectory(cacheDir) || !ownedPrivateDirectory(dir)) {
                return null;
            }
            // The file name RocksDB.loadLibrary(paths) looks for in each directory (not the jar entry's name).
            Path lib = dir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
            Source s = Source.CACHED;
            if (!matches(lib, entry)) {
                extract(jf, entry, dir, lib);
                s = Source.EXTRACTED;
            }
            // Throws UnsatisfiedLinkError (and leaves rocksdbjni ready to try its own way) if it does not load.
            RocksDB.loadLibrary(List.of(dir.toString()));
            return s;
        }
    }

    /** Creates {@code dir} (mode 0700) if missing; false if it is not a directory of this user that only they may write. */
    private static boolean ownedPrivateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another JVM made it just now: checked below like any other
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        boolean othersWrite = perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE);
        String me = System.getProperty("user.name");
        return !othersWrite && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(me);
    }

    /** The cached file is a regular file of the jar entry's size and CRC-32. */
    private static boolean matches(Path lib, ZipEntry entry) throws IOException {
        if (!Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS) || Files.size(lib) != entry.getSize()) {
            return false;
        }
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) >= 0) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
        }
        return crc.getValue() == entry.getCrc();
    }

    /** Copies the entry to a temporary file beside {@code lib}, checks it, and renames it into place. */
    private static void extract(JarFile jf, ZipEntry entry, Path dir, Path lib) throws IOException {
        Path tmp = Files.createTempFile(dir, "extract-", ".tmp");
        try {
            CRC32 crc = new CRC32();
            try (InputStream in = jf.getInputStream(entry); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] b = new byte[1 << 16];
                for (int n; (n = in.read(b)) > 0; ) {
                    crc.update(b, 0, n);
                    out.write(b, 0, n);
                }
            }
            if (crc.getValue() != entry.getCrc() || Files.size(tmp) != entry.getSize()) {
                throw new IOException("the copy of " + entry.getName() + " does not match the jar");
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-x------"));
            // Atomic: another JVM loading the old file keeps its mapping; a concurrent extraction wins or loses whole.
            Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
