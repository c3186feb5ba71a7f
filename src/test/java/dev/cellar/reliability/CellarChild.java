package dev.cellar.reliability;

import dev.cellar.engine.Entries;
import static dev.cellar.Cached.params;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.rocksdb.RocksDataStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Child process of {@link CellarConcurrencyTest}: {@code mixed DIR ID OPS KEYS} runs OPS random calls
 * through the public {@link Cellar} API on a {@link RocksDataStore} shared with other processes:
 * {@code cached} and {@code store}/{@code retrieve} on KEYS shared keys, {@code remove}, gc through
 * {@code entries().evictTo}, and "durable" entries of its own (never removed, too valuable to evict)
 * whose {@code ACK ID J} line is printed only after {@code save} returned. Every value read is compared
 * with the value its key implies. Lines: {@code ACK}, {@code EVICTED hex}, {@code PROGRESS n},
 * {@code WARN message} (any cellar warning: lock trouble, corruption), {@code WRONG ...}, {@code FAILED ...},
 * and {@code DONE ...} at the end; exit 0 only if nothing went wrong.
 */
public final class CellarChild {
    /** So that eviction prefers every shared entry to a durable one (value = compute time per byte). */
    static final long DURABLE_NANOS = 1L << 50;
    /** gc keeps this much besides the durable entries (more than other processes add meanwhile). */
    static final long GC_SLACK = 8L << 20;
    private static final int[] SHARED_SIZES = {100, 3000, 20_000, 200_000};
    private static final int[] DURABLE_SIZES = {20, 300, 9000};

    private CellarChild() {}

    public static void main(String[] args) throws Exception {
        if (!args[0].equals("mixed")) {
            throw new IllegalArgumentException(args[0]);
        }
        System.exit(mixed(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4])));
    }

    static Component shared(int i) {
        return Component.of("shared", params("k", i));
    }

    static Object sharedValue(int i) {
        return Values.of("shared-" + i, i, SHARED_SIZES[i % SHARED_SIZES.length]);
    }

    static Component attr(int i) {
        return Component.of("attr", params("k", i));
    }

    static Object attrValue(int i) {
        return Values.of("attr-" + i, i + 2, SHARED_SIZES[(i + 1) % SHARED_SIZES.length]);
    }

    static Component durable(int child, int j) {
        return Component.of("durable", params("child", child, "j", j));
    }

    static Object durableValue(int child, int j) {
        return Values.of("durable-" + child + "-" + j, child + j, DURABLE_SIZES[j % DURABLE_SIZES.length]);
    }

    static int mixed(Path dir, int id, int ops, int keys) {
        Random r = new Random(id * 7919L + 13);
        List<String> warnings = new ArrayList<>();
        int hits = 0;
        int acks = 0;
        int done = 0;
        List<Integer> mine = new ArrayList<>();
        try (Cellar cellar = Cellar.builder().store(RocksDataStore.open(dir, StoreOptions.defaults()))
                .warnings(w -> {
                    synchronized (warnings) {
                        warnings.add(w);
                    }
                    System.out.println("WARN " + w);
                }).build()) {
            for (int op = 0; op < ops; op++) {
                int i = r.nextInt(keys);
                int dice = r.nextInt(100);
                if (dice < 35) {
                    boolean[] ran = {false};
                    Object v = cellar.cached(shared(i), () -> {
                        ran[0] = true;
                        return sharedValue(i);
                    });
                    if (!Values.same(sharedValue(i), v)) {
                        return wrong("cached shared " + i + " gave " + Values.describe(v));
                    }
                    hits += ran[0] ? 0 : 1;
                } else if (dice < 50) {
                    cellar.store(attr(i), "v", attrValue(i));
                } else if (dice < 65) {
                    Optional<Object> v = cellar.retrieve(attr(i), "v", Object.class);
                    if (v.isPresent() && !Values.same(attrValue(i), v.get())) {
                        return wrong("retrieve attr " + i + " gave " + Values.describe(v.get()));
                    }
                    hits += v.isPresent() ? 1 : 0;
                } else if (dice < 80) {
                    int j = mine.size();
                    Entries.Saved s = cellar.entries().save(cellar.derive(durable(id, j)), "durable", Map.of("value", durableValue(id, j)),
                            Map.of(), DURABLE_NANOS);
                    if (s.stored()) {
                        mine.add(j);
                        acks++;
                        System.out.println("ACK " + id + " " + j);
                    }
                } else if (dice < 88) {
                    if (r.nextBoolean()) {
                        cellar.remove(shared(i));
                    } else {
                        cellar.remove(attr(i), "v");
                    }
                } else if (dice < 92) {
                    // gc down to the durable entries plus a little: shared entries (least valuable) go
                    // first, while durable ones, which must never be lost, always fit under the cap
                    long durable = cellar.entries().list().stream().filter(e -> e.name().equals("durable"))
                            .mapToLong(EntryInfo::sizeBytes).sum();
                    for (EntryInfo e : cellar.entries().evictTo(durable + GC_SLACK)) {
                        System.out.println("EVICTED " + e.key().hex());
                    }
                } else if (!mine.isEmpty()) {
                    // an acknowledged entry of our own must be there, and right, at any time
                    int j = mine.get(r.nextInt(mine.size()));
                    Optional<Entries.Hit> h = cellar.entries().lookup(cellar.derive(durable(id, j)), "durable",
                            CellarChild.class.getClassLoader());
                    if (h.isEmpty()) {
                        return wrong("acknowledged durable " + id + "/" + j + " is missing");
                    }
                    if (!Values.same(durableValue(id, j), h.get().values().get("value"))) {
                        return wrong("durable " + id + "/" + j + " gave " + Values.describe(h.get().values().get("value")));
                    }
                    hits++;
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
            System.out.println("DONE ops=" + done + " hits=" + hits + " acks=" + acks + " warnings=" + warnings.size());
            return warnings.isEmpty() ? 0 : 1;
        }
    }

    private static int wrong(String what) {
        System.out.println("WRONG " + what);
        return 1;
    }
}
