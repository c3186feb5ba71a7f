package dev.cellar.store.rocksdb;

import dev.cellar.Key;
import dev.cellar.StoreException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The blob files of one store directory ({@code blobs/xx/<id>.blob}): moving a written payload in,
 * mapping one for reading, and deleting them. An entry this process has open is pinned: it is not
 * evicted here, and the files of a replaced or removed pinned entry are deleted only when its last
 * reader closes it (another process may still delete them; a mapped file stays readable).
 */
final class BlobFiles {
    private static final HexFormat HEX = HexFormat.of();

    private final StoreDirectory dir;
    private final Map<Key, Integer> pins = new HashMap<>();
    private final Map<Key, List<Path>> deferredDeletes = new HashMap<>();

    BlobFiles(StoreDirectory dir) {
        this.dir = dir;
    }

    /** Moves a finished temp file into {@code blobs/} under a new random id; returns the id. */
    byte[] moveIn(Path tempFile, List<Path> moved) throws IOException {
        byte[] id = StoreDirectory.newBlobId();
        Path target = dir.blob(id);
        StoreDirectory.createPrivateDirectory(target.getParent());
        // its age is the time since its commit began: cleanup spares young blobs while journals live
        Files.setLastModifiedTime(tempFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        Files.move(tempFile, target, StandardCopyOption.ATOMIC_MOVE);
        moved.add(target);
        return id;
    }

    /** Maps a blob while the store is held (so no other process can delete it meanwhile). */
    OpenPayload map(Key key, Records.Payload p) {
        Path f = dir.blob(p.blobId());
        String what = "payload '" + p.name() + "' of entry " + key.shortHex();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != p.length()) {
                return new OpenPayload.Unreadable(what + " is damaged: its file " + f + " has " + size + " bytes, "
                        + p.length() + " were stored");
            }
            return new OpenPayload.Bytes(ch.map(FileChannel.MapMode.READ_ONLY, 0, size), f);
        } catch (NoSuchFileException e) {
            return new OpenPayload.Unreadable(what + " is missing: its file " + f + " was deleted");
        } catch (ClosedByInterruptException e) {
            // not damage: the entry must not be reported as corrupt (the core would delete it)
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while opening " + what, e);
        } catch (IOException e) {
            return new OpenPayload.Unreadable(what + " cannot be read: " + e);
        }
    }

    void pin(Key key) {
        synchronized (pins) {
            pins.merge(key, 1, Integer::sum);
        }
    }

    void unpin(Key key) {
        List<Path> todo = null;
        synchronized (pins) {
            Integer n = pins.get(key);
            if (n == null) {
                return;
            }
            if (n > 1) {
                pins.put(key, n - 1);
            } else {
                pins.remove(key);
                todo = deferredDeletes.remove(key);
            }
        }
        if (todo != null) {
            todo.forEach(BlobFiles::deleteQuietly);
        }
    }

    /** Runs {@code choose} with the set of pinned keys held still (eviction picks its victims so). */
    <T> T withPins(Function<Predicate<Key>, T> choose) {
        synchronized (pins) {
            return choose.apply(pins::containsKey);
        }
    }

    /** Deletes the files of a replaced or removed entry, or, while this process reads it, when the last reader closes. */
    void delete(Key key, List<byte[]> ids) {
        List<Path> paths = new ArrayList<>(ids.size());
        for (byte[] id : ids) {
            paths.add(dir.blob(id));
        }
        synchronized (pins) {
            if (pins.containsKey(key)) {
                deferredDeletes.computeIfAbsent(key, k -> new ArrayList<>()).addAll(paths);
                return;
            }
        }
        paths.forEach(BlobFiles::deleteQuietly);
    }

    /**
     * Deletes every blob file whose id is not in {@code referenced} (hex) and that no open entry of this
     * process still needs. The caller holds the DB exclusively, so no direct commit is between its rename
     * and its batch; a process that journals its commits may be between its rename and its append, so a
     * blob renamed in during the last minute is kept if a journal exists when the blob is looked at (a
     * journaling process creates its journal before its rename, and only it retires its journal, while
     * it holds the store).
     */
    void deleteUnreferenced(Set<String> referenced, java.util.function.BooleanSupplier journalsExist)
            throws IOException {
        long cutoff = System.currentTimeMillis() - StoreDirectory.TEMP_GRACE.toMillis();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir.blobs)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path f : files) {
                        byte[] id = StoreDirectory.idOf(f);
                        if (id != null && !referenced.contains(hex(id)) && !isDeferred(f)
                                && !(Files.getLastModifiedTime(f).toMillis() > cutoff && journalsExist.getAsBoolean())) {
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        }
    }

    static String hex(byte[] id) {
        return HEX.formatHex(id);
    }

    private boolean isDeferred(Path f) {
        synchronized (pins) {
            for (List<Path> l : deferredDeletes.values()) {
                if (l.contains(f)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // an unreferenced blob is removed by the next cleanup
        }
    }
}
