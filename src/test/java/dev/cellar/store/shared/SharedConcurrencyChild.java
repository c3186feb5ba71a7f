package dev.cellar.store.shared;

import dev.cellar.Cellar;
import dev.cellar.engine.Config;
import dev.cellar.engine.SharedConfig;
import dev.cellar.reliability.MixedWorkload;
import dev.cellar.store.DataStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One "machine" of {@link SharedConcurrencyTest}: {@code LOCAL_DIR ID OPS KEYS [KEY=VALUE...]} (the
 * shared settings) runs OPS steps of the {@link MixedWorkload} on its own RocksDB store in front of the
 * shared PostgreSQL + S3 store ({@code remove} reaches both tiers), plus local eviction (so later reads
 * come from the shared tier) and shared garbage collection. Its DONE line also counts reads served by
 * the shared tier, waits for another machine's computation and payloads collected; exit 0 only if
 * nothing went wrong.
 */
public final class SharedConcurrencyChild {
    /** Unreferenced payloads younger than this are kept: readers and writers in flight must never break. */
    static final long GC_GRACE_MILLIS = 15_000;
    /** Local eviction keeps only this much, so many reads go to the shared tier again. */
    private static final long LOCAL_CAP = 64 * 1024;
    /** Kinds follow the key; size 12 000 (a 96 kB long[]) is above the inline limit: an S3 object. */
    static final MixedWorkload WORK = new MixedWorkload(new int[] {40, 400, 2500, 60, 12_000}, 2,
            new int[] {20, 300, 2000}, 1_000_000_000L);

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

    static Cellar machine(Path local, Map<String, String> env, java.util.function.Consumer<String> warnings) {
        return Cellar.builder().store(Config.fromEnvironment().openStore(local))
                .shared(env.get("CELLAR_SHARED")).sharedBlobs(env.get("CELLAR_SHARED_BLOBS"))
                .sharedEnvironment(env).warnings(warnings).build();
    }

    static int mixed(Path local, int id, int ops, int keys, Map<String, String> env) {
        MixedWorkload.Run run = WORK.new Run(id, 17);
        int[] counts = new int[3]; // from shared, waits, collected
        Cellar cellar = machine(local, env, run.warnings());
        cellar.onStatus(s -> {
            counts[0] += s.contains("from shared") ? 1 : 0;
            counts[1] += s.contains("waiting for") ? 1 : 0;
        });
        try (DataStore sharedOnly = SharedConfig.openShared(SharedConfig.settings(env.get("CELLAR_SHARED"),
                env.get("CELLAR_SHARED_BLOBS"), null, null, env))) {
            return run.loop(cellar, ops, keys, (i, dice) -> {
                if (dice < 30) {
                    return run.cachedShared(i);
                } else if (dice < 42) {
                    run.storeAttr(i);
                } else if (dice < 55) {
                    return run.retrieveAttr(i);
                } else if (dice < 68) {
                    run.saveDurable();
                } else if (dice < 78) {
                    run.remove(i);
                } else if (dice < 92) {
                    return run.checkDurable();
                } else if (dice < 97) {
                    cellar.entries().evictTo(LOCAL_CAP);
                } else {
                    counts[2] += SharedConfig.collectGarbage(sharedOnly, GC_GRACE_MILLIS);
                }
                return null;
            }, () -> " fromShared=" + counts[0] + " waits=" + counts[1] + " collected=" + counts[2]);
        }
    }
}
