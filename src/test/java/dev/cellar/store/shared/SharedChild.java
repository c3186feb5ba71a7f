package dev.cellar.store.shared;

import dev.cellar.Cellar;
import dev.cellar.Parameters;
import dev.cellar.engine.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A "machine" of the shared-tier tests, in its own JVM: {@code LOCAL_DIR COUNTER_FILE ROUND
 * [KEY=VALUE...]} (the shared settings). It runs one cached computation whose body appends a line to
 * the counter file, prints status lines and {@code RESULT <sum>}. The first computation of a round
 * sleeps long (so a test can kill it mid-computation); later ones are quick.
 */
public final class SharedChild {
    public static void main(String[] args) throws Exception {
        Path local = Path.of(args[0]);
        Path counter = Path.of(args[1]);
        int round = Integer.parseInt(args[2]);
        Map<String, String> env = new HashMap<>();
        for (String kv : Arrays.copyOfRange(args, 3, args.length)) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        try (Cellar c = Cellar.builder().store(Config.fromEnvironment().openStore(local))
                .shared(env.get("CELLAR_SHARED")).sharedBlobs(env.get("CELLAR_SHARED_BLOBS"))
                .sharedEnvironment(env).build()) {
            c.onStatus(line -> System.out.println(line));
            long[] v = c.cached("slow", Parameters.of("round", round), () -> {
                boolean first;
                synchronized (SharedChild.class) {
                    String line = "round " + round + " pid " + ProcessHandle.current().pid() + "\n";
                    first = !Files.exists(counter) || Files.readAllLines(counter).stream()
                            .noneMatch(l -> l.startsWith("round " + round + " "));
                    Files.writeString(counter, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                System.out.println("COMPUTING");
                Thread.sleep(first && round == 2 ? 120_000 : 1_500);
                long[] out = new long[100_000]; // 800 kB: an object payload
                for (int i = 0; i < out.length; i++) {
                    out[i] = (long) i * round;
                }
                return out;
            });
            long sum = 0;
            for (long x : v) {
                sum += x;
            }
            System.out.println("RESULT " + sum);
        }
    }
}
