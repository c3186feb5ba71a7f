package dev.cellar.store.shared;

import static dev.cellar.Cached.params;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.engine.Config;
import dev.cellar.engine.Entries;
import dev.cellar.engine.SharedConfig;
import dev.cellar.reliability.Values;
import dev.cellar.store.DataStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One "machine" of {@link SharedConcurrencyTest}: {@code LOCAL_DIR ID OPS KEYS [KEY=VALUE...]} (the
 * shared settings) runs OPS random calls through the public {@link Cellar} API, its own RocksDB store in
 * front of the shared PostgreSQL + S3 store: {@code cached} and {@code store}/{@code retrieve} on KEYS
 * keys every machine uses, {@code remove} (both tiers), local eviction (so later reads come from the
 * shared tier), shared garbage collection, and "durable" entries of its own (never removed) whose
 * {@code ACK ID J} line is printed only after {@code save} returned. Every value read is compared with
 * the value its key implies (values carry a digest of their label). Lines: {@code ACK}, {@code PROGRESS n},
 * {@code WARN message}, {@code WRONG ...}, {@code FAILED ...} and {@code DONE ...}; exit 0 only if nothing
 * went wrong.
 */
public final class SharedConcurrencyChild {
    /** Kinds follow the key; size 12 000 (a 96 kB long[]) is above the inline limit: an S3 object. */
    private static final int[] SIZES = {40, 400, 2500, 60, 12_000};
    private static final int[] DURABLE_SIZES = {20, 300, 2000};
    /** Unreferenced payloads younger than this are kept: readers and writers in flight must never break. */
    static final long GC_GRACE_MILLIS = 15_000;
    /** Local eviction keeps only this much, so many reads go to the shared tier again. */
    private static final long LOCAL_CAP = 64 * 1024;

    private SharedConcurrencyChild() {}

    public static void main(String[] args) {
        Map<String, String> env = new HashMap<>();
        for (String kv : Arrays.copyOfRange(args, 4, args.length)) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        System.exit(mixed(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), env));
    }

    static Component shared(int i) {
        return Component.of("shared", params("k", i));
    }

    static Object sharedValue(int i) {
        return Values.of("shared-" + i, i, SIZES[i % SIZES.length]);
    }

    static Component attr(int i) {
        return Component.of("attr", params("k", i));
    }

    static Object attrValue(int i) {
        return Values.of("attr-" + i, i + 2, SIZES[(i + 2) % SIZES.length]);
    }

    static Component durable(int child, int j) {
        return Component.of("durable", params("child", child, "j", j));
    }

    static Object durableValue(int child, int j) {
        return Values.of("durable-" + child + "-" + j, child + j, DURABLE_SIZES[j % DURABLE_SIZES.length]);
    }

    static Cellar machine(Path local, Map<String, String> env, java.util.function.Consumer<String> warnings) {
        return Cellar.builder().store(Config.fromEnvironment().openStore(local))
                .shared(env.get("CELLAR_SHARED")).sharedBlobs(env.get("CELLAR_SHARED_BLOBS"))
                .sharedEnvironment(env).warnings(warnings).build();
    }

    static int mixed(Path local, int id, int ops, int keys, Map<String, String> env) {
        Random r = new Random(id * 7919L + 17);
        List<String> warnings = new ArrayList<>();
        int[] counts = new int[4]; // hits, from shared, waits, collected
        int acks = 0;
        int done = 0;
        List<Integer> mine = new ArrayList<>();
        try (Cellar cellar = machine(local, env, w -> {
                    synchronized (warnings) {
                        warnings.add(w);
                    }
                    System.out.println("WARN " + w);
                });
                DataStore sharedOnly = SharedConfig.openShared(SharedConfig.settings(env.get("CELLAR_SHARED"),
                        env.get("CELLAR_SHARED_BLOBS"), null, null, env))) {
            cellar.onStatus(s -> {
                counts[1] += s.contains("from shared") ? 1 : 0;
                counts[2] += s.contains("waiting for") ? 1 : 0;
            });
            for (int op = 0; op < ops; op++) {
                int i = r.nextInt(keys);
                int dice = r.nextInt(100);
                if (dice < 30) {
                    boolean[] ran = {false};
                    Object v = cellar.cached(shared(i), () -> {
                        ran[0] = true;
                        return sharedValue(i);
                    });
                    if (!Values.same(sharedValue(i), v)) {
                        return wrong("cached shared " + i + " gave " + Values.describe(v));
                    }
                    counts[0] += ran[0] ? 0 : 1;
                } else if (dice < 42) {
                    cellar.store(attr(i), "v", attrValue(i));
                } else if (dice < 55) {
                    Optional<Object> v = cellar.retrieve(attr(i), "v", Object.class);
                    if (v.isPresent() && !Values.same(attrValue(i), v.get())) {
                        return wrong("retrieve attr " + i + " gave " + Values.describe(v.get()));
                    }
                    counts[0] += v.isPresent() ? 1 : 0;
                } else if (dice < 68) {
                    int j = mine.size();
                    Entries.Saved s = cellar.entries().save(cellar.derive(durable(id, j)), "durable",
                            Map.of("value", durableValue(id, j)), Map.of(), 1_000_000_000L);
                    if (s.stored()) {
                        mine.add(j);
                        acks++;
                        System.out.println("ACK " + id + " " + j);
                    }
                } else if (dice < 78) {
                    if (r.nextBoolean()) {
                        cellar.remove(shared(i));
                    } else {
                        cellar.remove(attr(i), "v");
                    }
                } else if (dice < 92) {
                    if (!mine.isEmpty()) {
                        // an acknowledged entry of our own is there (locally or in the shared tier) and right
                        int j = mine.get(r.nextInt(mine.size()));
                        Optional<Entries.Hit> h = cellar.entries().lookup(cellar.derive(durable(id, j)), "durable",
                                SharedConcurrencyChild.class.getClassLoader());
                        if (h.isEmpty()) {
                            return wrong("acknowledged durable " + id + "/" + j + " is missing");
                        }
                        if (!Values.same(durableValue(id, j), h.get().values().get("value"))) {
                            return wrong("durable " + id + "/" + j + " gave "
                                    + Values.describe(h.get().values().get("value")));
                        }
                        counts[0]++;
                    }
                } else if (dice < 97) {
                    cellar.entries().evictTo(LOCAL_CAP);
                } else {
                    counts[3] += SharedConfig.collectGarbage(sharedOnly, GC_GRACE_MILLIS);
                }
                done++;
                if (done % 50 == 0) {
                    System.out.println("PROGRESS " + done);
                }
            }
        } catch (Throwable t) {
            System.out.println("FAILED after " + done + " ops: " + t);
            t.printStackTrace(System.out);
            return 1;
        }
        synchronized (warnings) {
            System.out.println("DONE ops=" + done + " hits=" + counts[0] + " fromShared=" + counts[1] + " waits="
                    + counts[2] + " acks=" + acks + " collected=" + counts[3] + " warnings=" + warnings.size());
            return warnings.isEmpty() ? 0 : 1;
        }
    }

    private static int wrong(String what) {
        System.out.println("WRONG " + what);
        return 1;
    }
}
