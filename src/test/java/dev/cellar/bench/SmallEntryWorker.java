package dev.cellar.bench;

import dev.cellar.Cellar;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A child JVM of the multi-process small-entry benchmark: opens the shared store, says READY, and on
 * each "GO round" line stores and retrieves its pairs and says DONE; exits on QUIT.
 * Arguments: store directory, worker name, pairs per round.
 */
public final class SmallEntryWorker {
    private SmallEntryWorker() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String who = args[1];
        int n = Integer.parseInt(args[2]);
        byte[] value = new byte[1024];
        new SplittableRandom(who.hashCode()).nextBytes(value);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Cellar cellar = Cellar.open(dir)) {
            // Warm the code paths (JIT) on keys of their own before the timed rounds.
            SmallEntryBench.pairs(cellar, who + "-warm", 0, Math.min(n, 500), value, byte[].class);
            System.out.println("READY");
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null && line.startsWith("GO")) {
                int round = Integer.parseInt(line.substring(3).trim());
                SmallEntryBench.pairs(cellar, who, round, n, value, byte[].class);
                System.out.println("DONE " + round);
                System.out.flush();
            }
        }
    }
}
