package dev.cellar.store.rocksdb;

import dev.cellar.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of a store directory:
 * <pre>
 *   FORMAT        "cellar-store-format N": a newer N is read as an empty store and never written
 *   lock          cross-process lock (see {@link ProcessLock})
 *   db/           RocksDB: entry records, small payloads inline, statistics
 *   blobs/xx/id   large payloads, immutable, named by a random 128-bit id (never by a user's name)
 *   tmp/          payloads being written; renamed into blobs/ at commit
 *   journal/      commits of processes that did not hold the store, until the holder applies them
 *   follower/     one directory per process reading through a {@link Follower} (its RocksDB info log)
 * </pre>
 */
final class StoreDirectory {
    static final int FORMAT = 1;
    private static final String FORMAT_PREFIX = "cellar-store-format ";
    private static final HexFormat HEX = HexFormat.of();
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** A temp file younger than this is never deleted by cleanup, locked or not (see cleanTemp). */
    static final Duration TEMP_GRACE = Duration.ofSeconds(60);
    /** Temp files this JVM is writing: closing any channel of a locked file drops its POSIX lock, so never open them. */
    static final Set<Path> ACTIVE_TEMPS = ConcurrentHashMap.newKeySet();

    final Path root;
    final Path db;
    final Path blobs;
    final Path tmp;
    /** Commits of processes that did not hold the store, until the holder applies them (see {@link Journal}). */
    final Path journal;
    final Path lockFile;
    /** The format found in FORMAT (ours, or a newer one). */
    final int format;

    private StoreDirectory(Path root, int format) {
        this.root = root;
        this.db = root.resolve("db");
        this.blobs = root.resolve("blobs");
        this.tmp = root.resolve("tmp");
        this.journal = root.resolve("journal");
        this.lockFile = root.resolve("lock");
        this.format = format;
    }

    boolean isNewer() {
        return format > FORMAT;
    }

    /** Creates (0700) or checks the directory and reads its format. */
    static StoreDirectory prepare(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        try {
            if (!Files.exists(root)) {
                Path parent = root.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(root, PRIVATE_DIR);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it: checked below like any existing directory
                }
            }
            if (!Files.isDirectory(root)) {
                throw new StoreException("store path " + root + " exists but is not a directory");
            }
            root = root.toRealPath();
            checkPrivate(root);
            Path formatFile = root.resolve("FORMAT");
            int format;
            if (Files.exists(formatFile)) {
                format = readFormat(formatFile);
            } else {
                format = FORMAT;
                // Written to a unique temp name and renamed: racing creators write identical content.
                Path t = root.resolve("FORMAT." + UUID.randomUUID() + ".tmp");
                Files.writeString(t, FORMAT_PREFIX + FORMAT + "\n", StandardCharsets.US_ASCII);
                Files.move(t, formatFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            StoreDirectory d = new StoreDirectory(root, format);
            if (!d.isNewer()) {
                for (Path p : new Path[] {d.db, d.blobs, d.tmp, d.journal}) {
                    if (!Files.isDirectory(p)) {
                        try {
                            Files.createDirectory(p, PRIVATE_DIR);
                        } catch (FileAlreadyExistsException raced) {
                            // fine
                        } catch (java.nio.file.AccessDeniedException e) {
                            // a store this process may only read: it reads what is there (see ProcessLock)
                        } catch (java.nio.file.FileSystemException e) {
                            if (!ProcessLock.READ_ONLY_FS.equals(e.getReason())) {
                                throw e;
                            }
                        }
                    }
                }
            }
            return d;
        } catch (IOException e) {
            throw new StoreException("cannot prepare store directory " + root + ": " + e, e);
        }
    }

    private static void checkPrivate(Path root) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(root, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: nothing to check
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new StoreException("refusing store directory " + root + ": it is writable by "
                    + (perms.contains(PosixFilePermission.OTHERS_WRITE) ? "other users" : "its group")
                    + " (" + PosixFilePermissions.toString(perms) + "), so others could plant entries that"
                    + " this process would load; make it private with 'chmod 700 " + root + "'"
                    + " or choose another directory (CELLAR_DIR)");
        }
    }

    private static int readFormat(Path formatFile) throws IOException {
        String text = Files.readString(formatFile, StandardCharsets.US_ASCII).trim();
        if (text.startsWith(FORMAT_PREFIX)) {
            try {
                int v = Integer.parseInt(text.substring(FORMAT_PREFIX.length()).trim());
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new StoreException("unrecognized store format file " + formatFile + " ('"
                + text.replaceAll("\\p{Cntrl}", "?") + "'); is this a cellar store directory?");
    }

    /** The blob file of {@code id}; ids come from records, so they are checked to be 16 bytes, hex encoded here. */
    Path blob(byte[] id) {
        if (id.length != Records.BLOB_ID_BYTES) {
            throw new StoreException("malformed blob reference in " + root);
        }
        String hex = HEX.formatHex(id);
        return blobs.resolve(hex.substring(0, 2)).resolve(hex + ".blob");
    }

    static byte[] newBlobId() {
        UUID u = UUID.randomUUID();
        byte[] id = new byte[16];
        for (int i = 0; i < 8; i++) {
            id[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            id[8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return id;
    }

    static void createPrivateDirectory(Path p) throws IOException {
        try {
            Files.createDirectory(p, PRIVATE_DIR);
        } catch (FileAlreadyExistsException e) {
            // fine
        }
    }

    /** The id named by a blob file, or null if the name is not one of ours. */
    static byte[] idOf(Path blobFile) {
        String n = blobFile.getFileName().toString();
        if (!n.endsWith(".blob") || n.length() != 2 * Records.BLOB_ID_BYTES + 5) {
            return null;
        }
        try {
            return HEX.parseHex(n.substring(0, 2 * Records.BLOB_ID_BYTES));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Deletes temp files of writers that died: older than {@link #TEMP_GRACE} and not locked by a live
     * writer (each writer holds an exclusive lock on its temp file until commit or abort). The grace
     * period covers the instant between a writer creating its file and locking it.
     */
    int cleanTemp() {
        int deleted = 0;
        long cutoff = System.currentTimeMillis() - TEMP_GRACE.toMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                if (ACTIVE_TEMPS.contains(f)) {
                    continue;
                }
                try {
                    if (Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis() > cutoff) {
                        continue;
                    }
                    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(f);
                        continue;
                    }
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        FileLock l = ch.tryLock();
                        if (l == null) {
                            continue; // a live writer in another process
                        }
                        Files.deleteIfExists(f);
                        deleted++;
                    } catch (OverlappingFileLockException inThisJvm) {
                        // a writer of this JVM
                    }
                } catch (NoSuchFileException gone) {
                    // raced with its writer's commit or abort
                }
            }
        } catch (IOException e) {
            // cleanup is best effort: a leftover temp file wastes space, nothing more
        }
        return deleted;
    }
}
