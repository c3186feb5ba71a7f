package dev.cellar.reliability;

import dev.cellar.Cellar;
import dev.cellar.store.EntryInfo;
import dev.cellar.store.StoreOptions;
import dev.cellar.store.rocksdb.RocksDataStore;
import java.nio.file.Path;

/**
 * Child process of {@link CellarConcurrencyTest}: {@code mixed DIR ID OPS KEYS} runs OPS steps of the
 * {@link MixedWorkload} on a {@link RocksDataStore} shared with other processes, plus gc through
 * {@code entries().evictTo}, which prints {@code EVICTED hex} for each entry it removed. Durable entries
 * are too valuable to evict; exit 0 only if nothing went wrong.
 */
public final class CellarChild {
    /** So that eviction prefers every shared entry to a durable one (value = compute time per byte). */
    static final long DURABLE_NANOS = 1L << 50;
    /** gc keeps this much besides the durable entries (more than other processes add meanwhile). */
    static final long GC_SLACK = 8L << 20;
    static final MixedWorkload WORK = new MixedWorkload(new int[] {100, 3000, 20_000, 200_000}, 1,
            new int[] {20, 300, 9000}, DURABLE_NANOS);

    private CellarChild() {}

    public static void main(String[] args) throws Exception {
        if (!args[0].equals("mixed")) {
            throw new IllegalArgumentException(args[0]);
        }
        System.exit(mixed(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4])));
    }

    static int mixed(Path dir, int id, int ops, int keys) {
        MixedWorkload.Run run = WORK.new Run(id, 13);
        Cellar cellar = Cellar.builder().store(RocksDataStore.open(dir, StoreOptions.defaults()))
                .warnings(run.warnings()).build();
        return run.loop(cellar, ops, keys, (i, dice) -> {
            if (dice < 35) {
                return run.cachedShared(i);
            } else if (dice < 50) {
                run.storeAttr(i);
            } else if (dice < 65) {
                return run.retrieveAttr(i);
            } else if (dice < 80) {
                run.saveDurable();
            } else if (dice < 88) {
                run.remove(i);
            } else if (dice < 92) {
                // gc down to the durable entries plus a little: shared entries (least valuable) go
                // first, while durable ones, which must never be lost, always fit under the cap
                long durable = cellar.entries().list().stream().filter(e -> e.name().equals("durable"))
                        .mapToLong(EntryInfo::sizeBytes).sum();
                for (EntryInfo e : cellar.entries().evictTo(durable + GC_SLACK)) {
                    System.out.println("EVICTED " + e.key().hex());
                }
            } else {
                return run.checkDurable();
            }
            return null;
        }, () -> "");
    }
}
