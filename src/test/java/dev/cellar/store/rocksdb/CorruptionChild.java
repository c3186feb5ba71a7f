package dev.cellar.store.rocksdb;

import static dev.cellar.Cached.params;

import dev.cellar.CellarException;
import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.reliability.Values;
import dev.cellar.store.StoreOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Child process of {@link CellarCorruptionTest}: {@code DIR SEED MUTATIONS}. In rounds, stores entries
 * through {@link Cellar}, closes the store, damages every entry once (one of {@link Mutation}) at the
 * file or RocksDB-record level, reopens, and reads each entry back through {@code Cellar.cached}:
 *
 * <ul>
 *   <li>a hit must return exactly the original value; except after deliberate edits that keep the entry
 *       consistent ({@link Mutation#CRAFTED} payloads with recomputed checksums, {@link Mutation#MANIFEST_FIELD}
 *       valid manifests with a changed field): whoever can write the store chooses the value, so these only
 *       prove that hostile bytes decode safely (a crafted payload keeps its declared type);</li>
 *   <li>a miss must come with exactly one warning (a record that no longer decodes reads as absent, by
 *       design of the store: a silent miss is allowed for {@link Mutation#RECORD_FLIP} and
 *       {@link Mutation#RECORD_TRUNCATE} only);</li>
 *   <li>an exception must be a {@link CellarException} (a clear error); anything else, or an
 *       {@link Error}, is a failure;</li>
 *   <li>after a miss the entry was recomputed: a second read must hit, right and without warnings.</li>
 * </ul>
 * Prints {@code FAIL ...} per failure and a final {@code TORTURE corruption: ...} summary; exit 0 iff no
 * failure. A hang or an OutOfMemoryError (the JVM exits on one) is caught by the parent's limits.
 */
public final class CorruptionChild {
    enum Mutation {
        BLOB_FLIP, BLOB_TRUNCATE, BLOB_ZERO, BLOB_EXTEND, BLOB_DELETE, BLOB_SWAP,
        INLINE_FLIP, INLINE_TRUNCATE, INLINE_ZERO, INLINE_SWAP,
        MANIFEST_GARBAGE, MANIFEST_TRUNCATE, MANIFEST_FLIP, MANIFEST_SWAP, MANIFEST_FIELD,
        RECORD_FLIP, RECORD_TRUNCATE, CRAFTED
    }

    private static final int SLOTS = 40;
    private static final int[] SIZES = {50, 2000, 9000, 60_000};
    private static final Pattern CRC = Pattern.compile("\"crc32c\":(-?\\d+)");
    private static final Pattern SIZE = Pattern.compile("\"size\":(-?\\d+)");

    private final Path dir;
    private final Random random;
    private final List<String> warnings = new ArrayList<>();
    private final Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int failures;

    private CorruptionChild(Path dir, long seed) {
        this.dir = dir;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        CorruptionChild c = new CorruptionChild(Path.of(args[0]), Long.parseLong(args[1]));
        int mutations = Integer.parseInt(args[2]);
        int done = 0;
        int round = 0;
        while (done < mutations) {
            done += c.round(round++, Math.min(SLOTS, mutations - done));
        }
        System.out.println("TORTURE corruption: mutations=" + done + " rounds=" + round + " failures=" + c.failures
                + " outcomes=" + c.outcomes + " kinds=" + c.applied);
        System.out.flush();
        System.exit(c.failures == 0 ? 0 : 1);
    }

    static Component component(int slot, int gen) {
        return Component.of("corrupt", params("slot", slot, "gen", gen));
    }

    static Object value(int slot, int gen) {
        return Values.of("corrupt-" + slot + "-" + gen, slot, SIZES[(slot / Values.KINDS) % SIZES.length]);
    }

    private Cellar cellar() {
        return Cellar.builder().store(RocksDataStore.open(dir, StoreOptions.defaults())).warnings(warnings::add).build();
    }

    /** One round: store {@code n} entries, damage each once, read each back twice; returns {@code n}. */
    private int round(int round, int n) throws Exception {
        int gen = round % 3;
        List<Key> keys = new ArrayList<>();
        try (Cellar cellar = cellar()) {
            for (int slot = 0; slot < n; slot++) {
                int s = slot;
                warnings.clear();
                try {
                    cellar.cached(component(slot, gen), () -> value(s, gen));
                } catch (RuntimeException e) {
                    fail("round " + round + " slot " + slot + ": storing threw " + e + trace(e));
                }
                if (!warnings.isEmpty()) {
                    fail("round " + round + " slot " + slot + ": warnings while storing an intact entry: " + warnings);
                }
                keys.add(cellar.keyOf(component(slot, gen)));
            }
        }
        Mutation[] kinds = new Mutation[n];
        try (Options o = new Options(); RocksDB db = RocksDB.open(o, dir.resolve("db").toString())) {
            for (int slot = 0; slot < n; slot++) {
                Mutation m = Mutation.values()[random.nextInt(Mutation.values().length)];
                Key other = keys.get(random.nextInt(n));
                kinds[slot] = mutate(db, keys.get(slot), other.equals(keys.get(slot)) ? null : other, m);
                applied.merge(kinds[slot], 1, Integer::sum);
            }
        }
        try (Cellar cellar = cellar()) {
            for (int slot = 0; slot < n; slot++) {
                check(cellar, round, slot, gen, kinds[slot]);
            }
        }
        return n;
    }

    private void check(Cellar cellar, int round, int slot, int gen, Mutation m) {
        String where = "round " + round + " slot " + slot + " " + m;
        Object expected = value(slot, gen);
        for (int read = 0; read < 2; read++) {
            AtomicInteger calls = new AtomicInteger();
            warnings.clear();
            Object v;
            try {
                v = cellar.cached(component(slot, gen), () -> {
                    calls.incrementAndGet();
                    return value(slot, gen);
                });
            } catch (CellarException e) {
                outcome(read, "clear-error");
                continue;
            } catch (Throwable t) {
                fail(where + ": read " + read + " threw " + t + " " + trace(t));
                return;
            }
            boolean hit = calls.get() == 0;
            if (hit && v != null && !Values.same(expected, v) && (m == Mutation.CRAFTED || m == Mutation.MANIFEST_FIELD)) {
                // Deliberate edits that keep checksums consistent (an attacker with write access to the
                // store) can choose the value; they must still decode safely, and a crafted payload
                // keeps its declared type. Removed, so that later rounds start from intact entries.
                if (m == Mutation.CRAFTED && v.getClass() != expected.getClass()) {
                    fail(where + ": a crafted payload decoded to " + Values.describe(v));
                }
                outcome(read, "hit-hostile");
                if (read == 1) {
                    cellar.remove(component(slot, gen));
                }
            } else if (hit) {
                if (!Values.same(expected, v)) {
                    fail(where + ": WRONG VALUE on read " + read + ": " + Values.describe(v));
                } else if (!warnings.isEmpty()) {
                    fail(where + ": a right hit with warnings " + warnings);
                } else {
                    outcome(read, "hit-right");
                }
            } else if (read == 1) {
                fail(where + ": the recomputed entry was not stored again: " + warnings);
            } else if (warnings.size() == 1) {
                outcome(read, "miss-warned");
            } else if (warnings.isEmpty() && (m == Mutation.RECORD_FLIP || m == Mutation.RECORD_TRUNCATE)) {
                outcome(read, "miss-unreadable-record");
            } else {
                fail(where + ": a miss with " + warnings.size() + " warnings: " + warnings);
            }
        }
    }

    private void outcome(int read, String what) {
        outcomes.merge((read == 0 ? "first-" : "second-") + what, 1, Integer::sum);
    }

    private void fail(String what) {
        failures++;
        System.out.println("FAIL " + what);
    }

    private static String trace(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            b.append(" at ").append(st[i]);
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ mutations

    /** Applies {@code m} (or the closest applicable one) to {@code key}'s entry; returns what was applied. */
    private Mutation mutate(RocksDB db, Key key, Key other, Mutation m) throws Exception {
        byte[] dbKey = Records.dbKey(Records.ENTRY, key);
        byte[] raw = db.get(dbKey);
        Records.Entry e = Records.decodeEntry(raw);
        if (e == null) {
            throw new IllegalStateException("entry " + key.shortHex() + " is not readable before mutation");
        }
        Records.Payload p = e.payloads().get(0);
        boolean blob = p.blobId() != null;
        StoreDirectory sd = StoreDirectory.prepare(dir);
        if (m.name().startsWith("BLOB") && !blob) {
            m = Mutation.valueOf(m.name().replace("BLOB", "INLINE").replace("EXTEND", "FLIP").replace("DELETE", "ZERO"));
        } else if (m.name().startsWith("INLINE") && blob) {
            m = Mutation.valueOf(m.name().replace("INLINE", "BLOB"));
        }
        if (m == Mutation.BLOB_SWAP || m == Mutation.INLINE_SWAP || m == Mutation.MANIFEST_SWAP) {
            // the other entry may already be damaged beyond swapping (unreadable record, deleted blob)
            Records.Entry o = other == null ? null : Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, other)));
            if (o == null || o.payloads().get(0).blobId() != null && !Files.exists(sd.blob(o.payloads().get(0).blobId()))) {
                m = Mutation.MANIFEST_FLIP;
            }
        }
        switch (m) {
            case BLOB_FLIP -> editFile(sd.blob(p.blobId()), b -> flip(b, 1 + random.nextInt(8)));
            case BLOB_ZERO -> editFile(sd.blob(p.blobId()), this::zero);
            case BLOB_TRUNCATE -> editFile(sd.blob(p.blobId()), b -> truncate(b));
            case BLOB_EXTEND -> editFile(sd.blob(p.blobId()), b -> {
                byte[] x = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(100));
                return x;
            });
            case BLOB_DELETE -> Files.delete(sd.blob(p.blobId()));
            case BLOB_SWAP -> {
                Records.Entry o = Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, other)));
                Records.Payload op = o.payloads().get(0);
                if (op.blobId() == null) {
                    return mutate(db, key, other, Mutation.BLOB_FLIP);
                }
                Path a = sd.blob(p.blobId());
                Path b = sd.blob(op.blobId());
                Path t = a.resolveSibling("swap.tmp");
                Files.move(a, t);
                Files.move(b, a);
                Files.move(t, b, StandardCopyOption.ATOMIC_MOVE);
            }
            case INLINE_FLIP -> putPayload(db, key, e, flip(p.inline().clone(), 1 + random.nextInt(8)));
            case INLINE_ZERO -> putPayload(db, key, e, zero(p.inline().clone()));
            case INLINE_TRUNCATE -> putPayload(db, key, e, truncate(p.inline()));
            case INLINE_SWAP -> {
                Records.Entry o = Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, other)));
                Records.Payload op = o.payloads().get(0);
                if (op.inline() == null) {
                    return mutate(db, key, other, Mutation.INLINE_FLIP);
                }
                putPayload(db, key, e, op.inline());
                putPayload(db, other, o, p.inline());
            }
            case MANIFEST_GARBAGE -> {
                byte[] g = new byte[random.nextInt(2000)];
                random.nextBytes(g);
                if (random.nextBoolean() && g.length > 0) {
                    g[0] = '{'; // garbage that starts like JSON
                }
                putManifest(db, key, e, g);
            }
            case MANIFEST_TRUNCATE -> putManifest(db, key, e, truncate(e.manifest()));
            case MANIFEST_FIELD -> {
                String json = new String(e.manifest(), StandardCharsets.UTF_8);
                String[][] edits = {
                    {"\"payload\":\"[^\"]*\"", "\"payload\":\"p1\"", "\"payload\":\"../../../../etc/passwd\"",
                        "\"payload\":\"\"", "\"payload\":7"},
                    {"\"codec\":\"[^\"]*\"", "\"codec\":\"json\"", "\"codec\":\"arrow\"", "\"codec\":\"java\"",
                        "\"codec\":null"},
                    {"\"descriptor\":\"[^\"]*\"", "\"descriptor\":\"double[]\"", "\"descriptor\":\"long[]\"",
                        "\"descriptor\":\"String[]\"", "\"descriptor\":\"table\"", "\"descriptor\":\"map\"",
                        "\"descriptor\":\"java.lang.Thread\"", "\"descriptor\":\"\""},
                    {"\"size\":-?\\d+", "\"size\":-1", "\"size\":1099511627776", "\"size\":0"},
                    {"\"format\":-?\\d+", "\"format\":2", "\"format\":0", "\"format\":-1", "\"format\":\"1\""},
                    {"\"key\":\"[^\"]*\"", "\"key\":\"" + (other == null ? "00" : other.hex()) + "\""},
                    {"\"outputs\":\\[.*\\](?=}$)", "\"outputs\":[]", "\"outputs\":{}", "\"outputs\":null"},
                    {"\"crc32c\":-?\\d+", "\"crc32c\":-1", "\"crc32c\":0", "\"crc32c\":99999999999"},
                };
                String[] edit = edits[random.nextInt(edits.length)];
                String replaced = json.replaceFirst(edit[0], java.util.regex.Matcher.quoteReplacement(
                        edit[1 + random.nextInt(edit.length - 1)]));
                if (!Pattern.compile(edit[0]).matcher(json).find()) {
                    throw new IllegalStateException("manifest edit " + edit[0] + " matched nothing in " + json);
                }
                putManifest(db, key, e, replaced.getBytes(StandardCharsets.UTF_8));
            }
            case MANIFEST_FLIP -> putManifest(db, key, e, flip(e.manifest().clone(), 1 + random.nextInt(3)));
            case MANIFEST_SWAP -> {
                Records.Entry o = Records.decodeEntry(db.get(Records.dbKey(Records.ENTRY, other)));
                putManifest(db, key, e, o.manifest());
                putManifest(db, other, o, e.manifest());
            }
            case RECORD_FLIP -> db.put(dbKey, flip(raw.clone(), 1 + random.nextInt(8)));
            case RECORD_TRUNCATE -> db.put(dbKey, truncate(raw));
            case CRAFTED -> {
                // an attacker with write access rewrites the payload and fixes its size and checksum, so
                // the bytes reach the codec: it must refuse them or decode them, never crash or hang
                byte[] bytes = blob ? Files.readAllBytes(sd.blob(p.blobId())) : p.inline();
                byte[] bad = switch (random.nextInt(3)) {
                    case 0 -> flip(bytes.clone(), 1 + random.nextInt(16));
                    case 1 -> zero(bytes.clone());
                    default -> truncate(bytes);
                };
                CRC32C crc = new CRC32C();
                crc.update(bad);
                String json = new String(e.manifest(), StandardCharsets.UTF_8);
                json = replaceNumber(CRC, json, crc.getValue());
                json = replaceNumber(SIZE, json, bad.length);
                Records.Entry fixed = new Records.Entry(e.info(), json.getBytes(StandardCharsets.UTF_8), e.payloads());
                if (blob) {
                    Files.write(sd.blob(p.blobId()), bad);
                    List<Records.Payload> ps = new ArrayList<>(fixed.payloads());
                    ps.set(0, new Records.Payload(p.name(), bad.length, null, p.blobId()));
                    db.put(dbKey, Records.encodeEntry(new Records.Entry(fixed.info(), fixed.manifest(), ps)));
                } else {
                    putPayload(db, key, fixed, bad);
                }
            }
            default -> throw new IllegalStateException(m.toString());
        }
        return m;
    }

    private static String replaceNumber(Pattern p, String json, long value) {
        Matcher m = p.matcher(json);
        if (!m.find()) {
            return json; // a manifest damaged earlier: then this is a payload edit without the fix-up
        }
        return json.substring(0, m.start(1)) + value + json.substring(m.end(1));
    }

    private static void putPayload(RocksDB db, Key key, Records.Entry e, byte[] inline) throws Exception {
        List<Records.Payload> ps = new ArrayList<>(e.payloads());
        Records.Payload p = ps.get(0);
        ps.set(0, new Records.Payload(p.name(), inline.length, inline, null));
        db.put(Records.dbKey(Records.ENTRY, key), Records.encodeEntry(new Records.Entry(e.info(), e.manifest(), ps)));
    }

    private static void putManifest(RocksDB db, Key key, Records.Entry e, byte[] manifest) throws Exception {
        db.put(Records.dbKey(Records.ENTRY, key), Records.encodeEntry(new Records.Entry(e.info(), manifest, e.payloads())));
    }

    private interface Edit {
        byte[] apply(byte[] b);
    }

    private static void editFile(Path f, Edit edit) throws IOException {
        byte[] b = Files.readAllBytes(f);
        byte[] out = edit.apply(b);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(Math.min(b.length, out.length));
            ch.write(ByteBuffer.wrap(out), 0);
        }
    }

    private byte[] flip(byte[] b, int bits) {
        for (int i = 0; i < bits && b.length > 0; i++) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private byte[] zero(byte[] b) {
        if (b.length == 0) {
            return b;
        }
        int from = random.nextInt(b.length);
        int to = Math.min(b.length, from + 1 + random.nextInt(Math.max(1, b.length / 4)));
        java.util.Arrays.fill(b, from, to, (byte) 0);
        return b;
    }

    private byte[] truncate(byte[] b) {
        return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
    }
}
