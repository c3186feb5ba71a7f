package dev.cellar.reliability;

import static dev.cellar.Cached.params;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.engine.Entries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The random workload that concurrency tests run in child processes through the public {@link Cellar}
 * API: {@code cached} on keys every process shares, {@code store}/{@code retrieve} of an attribute,
 * {@code remove}, and "durable" entries of the process's own whose {@code ACK ID J} line is printed only
 * after {@code save} returned. Every value read is compared with the value its key implies ({@link Values}).
 * A child decides how often each step runs and adds its own (gc, eviction); this class prints the lines
 * its test reads: {@code ACK}, {@code PROGRESS n}, {@code WARN message}, {@code WRONG ...},
 * {@code FAILED ...} and {@code DONE ...}.
 */
public final class MixedWorkload {
    private final int[] sizes;
    private final int attrShift;
    private final int[] durableSizes;
    private final long durableNanos;

    /**
     * Values of shared key {@code i} have {@code sizes[i % n]} elements, its attribute
     * {@code sizes[(i + attrShift) % n]}; durable entry {@code j} has {@code durableSizes[j % m]} and is
     * saved as costing {@code durableNanos} to compute (what eviction weighs).
     */
    public MixedWorkload(int[] sizes, int attrShift, int[] durableSizes, long durableNanos) {
        this.sizes = sizes.clone();
        this.attrShift = attrShift;
        this.durableSizes = durableSizes.clone();
        this.durableNanos = durableNanos;
    }

    public Component shared(int i) {
        return Component.of("shared", params("k", i));
    }

    public Object sharedValue(int i) {
        return Values.of("shared-" + i, i, sizes[i % sizes.length]);
    }

    public Component attr(int i) {
        return Component.of("attr", params("k", i));
    }

    public Object attrValue(int i) {
        return Values.of("attr-" + i, i + 2, sizes[(i + attrShift) % sizes.length]);
    }

    public Component durable(int child, int j) {
        return Component.of("durable", params("child", child, "j", j));
    }

    public Object durableValue(int child, int j) {
        return Values.of("durable-" + child + "-" + j, child + j, durableSizes[j % durableSizes.length]);
    }

    /** One process's run: its counters, its acknowledged entries and the warnings it saw. */
    public final class Run {
        private final int id;
        private final Random random;
        private final List<String> warnings = new ArrayList<>();
        private final List<Integer> mine = new ArrayList<>();
        private Cellar cellar;
        private int hits;
        private int acks;

        public Run(int id, long seedSalt) {
            this.id = id;
            this.random = new Random(id * 7919L + seedSalt);
        }

        /** Give this to the Cellar builder: every warning is printed and fails the run. */
        public Consumer<String> warnings() {
            return w -> {
                synchronized (warnings) {
                    warnings.add(w);
                }
                System.out.println("WARN " + w);
            };
        }

        public Random random() {
            return random;
        }

        public String cachedShared(int i) {
            boolean[] ran = {false};
            Object v = cellar.cached(shared(i), () -> {
                ran[0] = true;
                return sharedValue(i);
            });
            hits += ran[0] ? 0 : 1;
            return Values.same(sharedValue(i), v) ? null : "cached shared " + i + " gave " + Values.describe(v);
        }

        public void storeAttr(int i) {
            cellar.store(attr(i), "v", attrValue(i));
        }

        public String retrieveAttr(int i) {
            Optional<Object> v = cellar.retrieve(attr(i), "v", Object.class);
            if (v.isPresent() && !Values.same(attrValue(i), v.get())) {
                return "retrieve attr " + i + " gave " + Values.describe(v.get());
            }
            hits += v.isPresent() ? 1 : 0;
            return null;
        }

        public void saveDurable() {
            int j = mine.size();
            Entries.Saved s = cellar.entries().save(cellar.derive(durable(id, j)), "durable",
                    Map.of("value", durableValue(id, j)), Map.of(), durableNanos);
            if (s.stored()) {
                mine.add(j);
                acks++;
                System.out.println("ACK " + id + " " + j);
            }
        }

        public void remove(int i) {
            if (random.nextBoolean()) {
                cellar.remove(shared(i));
            } else {
                cellar.remove(attr(i), "v");
            }
        }

        /** An acknowledged entry of our own must be there, and right, at any time. */
        public String checkDurable() {
            if (mine.isEmpty()) {
                return null;
            }
            int j = mine.get(random.nextInt(mine.size()));
            Optional<Entries.Hit> h = cellar.entries().lookup(cellar.derive(durable(id, j)), "durable",
                    MixedWorkload.class.getClassLoader());
            if (h.isEmpty()) {
                return "acknowledged durable " + id + "/" + j + " is missing";
            }
            if (!Values.same(durableValue(id, j), h.get().values().get("value"))) {
                return "durable " + id + "/" + j + " gave " + Values.describe(h.get().values().get("value"));
            }
            hits++;
            return null;
        }

        /**
         * Runs {@code ops} steps of {@code step} (given a key index below {@code keys}; it returns what
         * went wrong, or null) and prints the DONE line with {@code extra} counters. Exit code: 0 only if
         * nothing went wrong and no warning was seen.
         */
        public int loop(Cellar c, int ops, int keys, Step step, java.util.function.Supplier<String> extra) {
            this.cellar = c;
            int done = 0;
            try (c) {
                for (int op = 0; op < ops; op++) {
                    String wrong = step.run(random.nextInt(keys), random.nextInt(100));
                    if (wrong != null) {
                        System.out.println("WRONG " + wrong);
                        return 1;
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
                System.out.println("DONE ops=" + done + " hits=" + hits + " acks=" + acks + extra.get()
                        + " warnings=" + warnings.size());
                return warnings.isEmpty() ? 0 : 1;
            }
        }
    }

    /** One random step: key index {@code i}, a dice roll {@code dice} in [0, 100). */
    public interface Step {
        String run(int i, int dice) throws Exception;
    }
}
