package dev.cellar.ops;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.codec.json.JsonValues;
import dev.cellar.engine.CellEntry;
import dev.cellar.engine.Entries;
import dev.cellar.engine.Manifest;
import dev.cellar.engine.Sizes;
import dev.cellar.engine.Why;
import dev.cellar.key.Ingredient;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoreStats;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ls, show, why, rm, gc, stats, verify, export and store over one cellar. Safe while other processes
 * use the store: every operation goes through the store's own locking.
 */
public final class Operations {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{4,64}");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final Entries engine;

    public Operations(Cellar cellar) {
        this(cellar.entries());
    }

    public Operations(Entries entries) {
        this.engine = entries;
    }

    // ---- selection -----------------------------------------------------------------------------

    /**
     * The entries a reference names: a key or unique key prefix (4+ hex digits), else every entry with
     * that name, newest first.
     *
     * @throws CellarException if a key prefix is ambiguous or nothing matches
     */
    public List<EntryInfo> select(String ref) {
        List<EntryInfo> all = engine.list();
        List<EntryInfo> byName = all.stream().filter(e -> e.name().equals(ref))
                .sorted(Comparator.comparingLong(EntryInfo::createdMillis).reversed()).toList();
        if (!byName.isEmpty()) {
            return byName;
        }
        if (HEX.matcher(ref).matches()) {
            String p = ref.toLowerCase(Locale.ROOT);
            List<EntryInfo> byKey = all.stream().filter(e -> e.key().hex().startsWith(p)).toList();
            if (byKey.size() > 1) {
                throw new CellarException("key prefix " + ref + " is ambiguous: it matches " + byKey.size()
                        + " entries; give more digits");
            }
            if (byKey.size() == 1) {
                return byKey;
            }
        }
        throw new CellarException("no entry named or keyed '" + ref + "' (see `ls`)");
    }

    private EntryInfo newest(String ref) {
        return select(ref).get(0);
    }

    private Manifest manifestOf(EntryInfo e) {
        return engine.manifest(e.key()).orElseThrow(() -> new CellarException(
                "entry " + e.key().shortHex() + " disappeared (removed by another process?)"));
    }

    // ---- ls / show -----------------------------------------------------------------------------

    /** Entries (optionally only those named {@code name}), newest first. */
    public Report ls(String name) {
        Report r = new Report().columns("name", "key", "created", "last used", "size", "compute", "hits");
        List<EntryInfo> entries = new ArrayList<>(name == null ? engine.list() : engine.list(name));
        entries.sort(Comparator.comparingLong(EntryInfo::createdMillis).reversed());
        // `cellar ls` mostly runs uncompiled in a fresh JVM: times are formatted once per minute shown
        Map<Long, String> times = new java.util.HashMap<>();
        long bytes = 0;
        for (EntryInfo e : entries) {
            r.row(e.name(), e.key().shortHex(), time(e.createdMillis(), times), time(e.lastUsedMillis(), times),
                    Sizes.format(e.sizeBytes()), Sizes.duration(e.computeNanos()), e.hits());
            bytes += e.sizeBytes();
        }
        r.line(entries.size() + " entries, " + Sizes.format(bytes));
        return r.putLazily("entries", () -> entries.stream().map(Operations::infoJson).toList());
    }

    /** Every key ingredient and every output of the newest entry that {@code ref} names. */
    public Report show(String ref) {
        EntryInfo e = newest(ref);
        Manifest m = manifestOf(e);
        Report r = new Report().columns("ingredient", "value");
        for (Ingredient i : m.ingredients()) {
            r.row(i.name(), i.display());
        }
        r.line("entry " + m.name() + " [" + e.key().hex() + "]");
        r.line("created " + time(m.createdMillis()) + ", computed in " + Sizes.duration(m.computeNanos())
                + ", " + e.hits() + " hits, saved " + Sizes.duration(e.savedNanos()));
        m.outputs().forEach((n, o) -> r.line("output " + n + ": "
                + java.util.Objects.requireNonNullElse(CellEntry.typeOf(m.notes(), n), o.descriptor()) + ", " + Sizes.format(o.totalSize())
                + " (" + o.codec() + ")"));
        for (Ingredient i : m.ingredients()) {
            if (!i.detail().isEmpty()) {
                r.line("--- " + i.name());
                i.detail().lines().forEach(r::line);
            }
        }
        return r.put("entry", infoJson(e)).put("manifest", JsonValues.parse(
                m.toPrettyJson()));
    }

    // ---- why -----------------------------------------------------------------------------------

    /** What changed between the two most recent entries named {@code name}. */
    public Report why(String name) {
        List<EntryInfo> entries = select(name);
        if (entries.size() < 2) {
            return new Report().line("only one entry named " + name + " [" + entries.get(0).key().shortHex()
                    + "]: nothing to compare").put("changes", List.of());
        }
        Manifest newer = manifestOf(entries.get(0));
        Manifest older = manifestOf(entries.get(1));
        return whyReport("between " + entries.get(1).key().shortHex() + " and " + entries.get(0).key().shortHex(),
                Why.compare(older.ingredients(), newer.ingredients()));
    }

    /** What differs between the current ingredients of {@code name} and its most recent entry. */
    public Report why(String name, List<Ingredient> current) {
        List<EntryInfo> entries;
        try {
            entries = select(name);
        } catch (CellarException e) {
            return new Report().line("no entry named " + name + " yet: it has never been stored")
                    .put("changes", List.of());
        }
        Manifest last = manifestOf(entries.get(0));
        return whyReport("since the last entry [" + entries.get(0).key().shortHex() + "]",
                Why.compare(last.ingredients(), current));
    }

    private static Report whyReport(String span, List<Why.Change> changes) {
        Report r = new Report();
        r.line(changes.isEmpty() ? "nothing changed " + span + ": same key"
                : changes.size() + " change" + (changes.size() == 1 ? "" : "s") + " " + span + ":");
        List<Object> json = new ArrayList<>();
        for (Why.Change c : changes) {
            r.line("  " + c.sentence());
            c.diff().lines().forEach(l -> r.line("      " + l));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", c.kind());
            m.put("name", c.name());
            m.put("before", c.before());
            m.put("after", c.after());
            m.put("sentence", c.sentence());
            m.put("diff", c.diff());
            json.add(m);
        }
        return r.put("changes", json);
    }

    // ---- rm / gc -------------------------------------------------------------------------------

    /** Removes the given entries; returns a report of what went. */
    public Report rm(List<EntryInfo> entries) {
        Report r = new Report();
        long bytes = 0;
        int n = 0;
        for (EntryInfo e : entries) {
            if (engine.remove(e.key())) {
                bytes += e.sizeBytes();
                n++;
            }
        }
        r.line("removed " + n + " entries, " + Sizes.format(bytes));
        return r.put("removed", n).put("bytes", bytes);
    }

    /** Entries last used before {@code age} ago. */
    public List<EntryInfo> olderThan(Duration age) {
        long cutoff = System.currentTimeMillis() - age.toMillis();
        return engine.list().stream().filter(e -> Math.max(e.lastUsedMillis(), e.createdMillis()) < cutoff)
                .toList();
    }

    public List<EntryInfo> all() {
        return engine.list();
    }

    /** Evicts least valuable entries until the store holds at most {@code maxBytes}. */
    public Report gc(long maxBytes) {
        List<EntryInfo> evicted = engine.evictTo(maxBytes);
        long bytes = evicted.stream().mapToLong(EntryInfo::sizeBytes).sum();
        StoreStats s = engine.stats();
        Report r = new Report().line("evicted " + evicted.size() + " entries, " + Sizes.format(bytes)
                + "; store now " + Sizes.format(s.bytes()) + " (limit " + Sizes.format(maxBytes) + ")");
        evicted.forEach(e -> r.line("  " + e.name() + " [" + e.key().shortHex() + "] " + Sizes.format(e.sizeBytes())));
        return r.put("evicted", evicted.stream().map(Operations::infoJson).toList()).put("bytes", s.bytes());
    }

    // ---- stats / store -------------------------------------------------------------------------

    public Report stats() {
        StoreStats s = engine.stats();
        return new Report()
                .line("entries:    " + s.entries())
                .line("size:       " + Sizes.format(s.bytes()))
                .line("hits:       " + s.hits())
                .line("misses:     " + s.misses())
                .line("time saved: " + Sizes.duration(s.savedNanos()))
                .put("entries", s.entries()).put("bytes", s.bytes()).put("hits", s.hits())
                .put("misses", s.misses()).put("savedNanos", s.savedNanos());
    }

    public Report store(long capBytes) {
        StoreStats s = engine.stats();
        return new Report()
                .line("store: " + engine.location())
                .line("size:  " + Sizes.format(s.bytes()) + " in " + s.entries() + " entries")
                .line("cap:   " + Sizes.format(capBytes))
                .put("location", engine.location()).put("bytes", s.bytes())
                .put("entries", s.entries()).put("capBytes", capBytes);
    }

    // ---- verify --------------------------------------------------------------------------------

    /** Checks every payload of every entry against its checksum; removes and reports corrupt entries. */
    public Report verify() {
        Report r = new Report();
        List<Object> bad = new ArrayList<>();
        int ok = 0;
        for (EntryInfo e : engine.list()) {
            Optional<String> problem = engine.problem(e.key());
            if (problem.isEmpty()) {
                ok++;
                continue;
            }
            engine.remove(e.key());
            r.line("corrupt: " + e.name() + " [" + e.key().shortHex() + "]: " + problem.get() + "; removed");
            bad.add(Map.of("name", e.name(), "key", e.key().hex(), "problem", problem.get()));
        }
        r.line(ok + " entries verified, " + bad.size() + " corrupt");
        return r.put("verified", ok).put("corrupt", bad);
    }

    // ---- export --------------------------------------------------------------------------------

    /**
     * Writes each output of the newest entry {@code ref} names into {@code dir}: Arrow outputs as
     * standard Arrow IPC files ({@code NAME.arrow}), others as {@code NAME.json}, and the manifest as
     * {@code manifest.json}. Checksums are verified first; a corrupt entry is not exported.
     */
    public Report export(String ref, Path dir) {
        EntryInfo e = newest(ref);
        Optional<String> problem = engine.problem(e.key());
        if (problem.isPresent()) {
            throw new CellarException("entry " + e.key().shortHex() + " is corrupt (" + problem.get()
                    + "); not exported");
        }
        Report r = new Report();
        List<Object> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Manifest m = engine.read(e.key(), (output, described, data) -> {
                String ext = described.codec().equals("arrow") ? ".arrow" : ".json";
                Path f = dir.resolve(safeFileName(output) + ext);
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    while (data.hasRemaining()) {
                        ch.write(data);
                    }
                }
                r.line("wrote " + f + " (" + Sizes.format(described.size()) + ")");
                files.add(f.toString());
            });
            Path mf = dir.resolve("manifest.json");
            Files.writeString(mf, m.toPrettyJson(), StandardCharsets.UTF_8);
            r.line("wrote " + mf);
            files.add(mf.toString());
        } catch (NoSuchElementException ex) {
            throw new CellarException("entry " + e.key().shortHex() + " disappeared");
        } catch (IOException ex) {
            throw new CellarException("cannot export to " + dir + ": " + ex.getMessage(), ex);
        }
        return r.put("files", files);
    }

    /** Output names are Java identifiers in practice; anything else is made safe for a file name. */
    static String safeFileName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Parses {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w}. */
    public static Duration parseAge(String text) {
        var m = Pattern.compile("(\\d+)\\s*([smhdw])").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 30m, 12h, 7d, 2w)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    private static String time(long millis) {
        return millis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(millis));
    }

    /** {@link #time(long)}, remembering each minute's text in {@code cache} (the format shows minutes). */
    private static String time(long millis, Map<Long, String> cache) {
        return millis <= 0 ? "-" : cache.computeIfAbsent(Math.floorDiv(millis, 60_000L), m -> time(millis));
    }

    private static Map<String, Object> infoJson(EntryInfo e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("key", e.key().hex());
        m.put("created", e.createdMillis());
        m.put("lastUsed", e.lastUsedMillis());
        m.put("bytes", e.sizeBytes());
        m.put("computeNanos", e.computeNanos());
        m.put("hits", e.hits());
        m.put("savedNanos", e.savedNanos());
        return m;
    }
}
