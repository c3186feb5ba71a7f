package dev.cellar.engine;

import dev.cellar.StoreException;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.StoredEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Copies entries between stores as they are ({@code cellar push} and {@code pull} between the local
 * and the shared tier), then verifies each copy with the reading policy: a copy that fails its
 * checksums is removed again and reported, so a damaged entry never spreads.
 */
public final class Transfer {
    private Transfer() {}

    /** What was copied and what was not (with why). */
    public record Result(List<EntryInfo> copied, List<String> problems) {}

    public static Result copy(DataStore from, DataStore to, List<EntryInfo> entries, Consumer<String> warnings) {
        Entries check = new Entries(to, CodecRegistry.standard(), warnings, true);
        List<EntryInfo> copied = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (EntryInfo info : entries) {
            String label = info.name() + " [" + info.key().shortHex() + "]";
            try {
                Optional<StoredEntry> src = from.open(info.key());
                if (src.isEmpty()) {
                    problems.add(label + ": removed meanwhile");
                    continue;
                }
                try (StoredEntry e = src.get(); EntryWriter w = to.begin(info.key())) {
                    for (String name : e.payloadNames()) {
                        try (WritableByteChannel ch = w.payload(name)) {
                            ByteBuffer b = e.payload(name);
                            while (b.hasRemaining()) {
                                ch.write(b);
                            }
                        }
                    }
                    w.commit(e.manifest(), new EntryMetadata(info.name(), info.createdMillis(), info.computeNanos()));
                }
                Optional<String> problem = check.problem(info.key());
                if (problem.isPresent()) {
                    to.remove(info.key());
                    problems.add(label + ": damaged (" + problem.get() + "), not copied");
                } else {
                    copied.add(info);
                }
            } catch (StoreException | IOException e) {
                problems.add(label + ": " + e.getMessage());
            }
        }
        return new Result(copied, problems);
    }
}
