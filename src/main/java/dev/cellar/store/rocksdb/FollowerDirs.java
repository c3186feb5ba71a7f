package dev.cellar.store.rocksdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The directories of {@link Follower}s, {@code follower/<random>/} in the store directory, and their
 * collection: a follower keeps the {@code owner} file in its directory locked while it lives, so a
 * directory whose {@code owner} can be locked was left by a process that was killed (a process that
 * closes its store deletes its own). Half-made ones ({@code <random>.new}) are collected once older
 * than {@link StoreDirectory#TEMP_GRACE}, the time between creating one and renaming it.
 */
final class FollowerDirs {
    static final String NAME = "follower";
    static final String NEW = ".new";
    static final String OWNER = "owner";

    private FollowerDirs() {}

    /**
     * Deletes the follower directories of processes that are gone; {@code own} (this process's, or null)
     * is never probed, since opening and closing a channel on its {@code owner} file would drop this
     * process's lock on it. Returns how many were deleted. Best effort: a leftover wastes a few bytes.
     */
    static int sweep(Path storeRoot, java.util.function.Supplier<Path> own) {
        Path parent = storeRoot.resolve(NAME);
        java.util.List<Path> dirs = new java.util.ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent)) {
            s.forEach(dirs::add);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
        // after listing: a directory this process creates meanwhile is named before it is listed (see Follower)
        Path mine = own.get();
        int deleted = 0;
        long cutoff = System.currentTimeMillis() - StoreDirectory.TEMP_GRACE.toMillis();
        for (Path d : dirs) {
            if (d.equals(mine)) {
                continue;
            }
            try {
                if (d.getFileName().toString().endsWith(NEW)) {
                    if (Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS).toMillis() < cutoff) {
                        deleteTree(d);
                        deleted++;
                    }
                } else if (ownerGone(d)) {
                    deleteTree(d);
                    deleted++;
                }
            } catch (IOException e) {
                // deleted meanwhile, or unreadable: left for a later sweep
            }
        }
        return deleted;
    }

    private static boolean ownerGone(Path d) throws IOException {
        Path owner = d.resolve(OWNER);
        if (!Files.exists(owner, LinkOption.NOFOLLOW_LINKS)) {
            // not one of ours as made by Follower (or being deleted by its owner): only when old
            return Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS).toMillis()
                    < System.currentTimeMillis() - StoreDirectory.TEMP_GRACE.toMillis();
        }
        try (FileChannel ch = FileChannel.open(owner, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return false;
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException thisJvm) {
            return false;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** Deletes a directory tree, as far as it can. */
    static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a few bytes of log left behind: a later sweep takes them
        }
    }
}
