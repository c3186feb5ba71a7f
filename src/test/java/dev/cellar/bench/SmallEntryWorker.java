package dev.cellar.bench;

import dev.cellar.Cellar;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A child JVM of the multi-process benchmarks: opens the store, says READY, and then obeys lines on
 * stdin: "GO round" stores and retrieves its pairs and says DONE; "WRITE" keeps doing pairs (a kernel
 * writing answers) until "STOP", then says STOPPED; QUIT (or end of input) exits.
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
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String l;
                while ((l = in.readLine()) != null) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                // parent gone
            }
            lines.add("QUIT");
        }, "stdin");
        reader.setDaemon(true);
        reader.start();
        try (Cellar cellar = Cellar.open(dir)) {
            // Warm the code paths (JIT) on keys of their own before the timed rounds.
            SmallEntryBench.pairs(cellar, who + "-warm", 0, Math.min(n, 500), value, byte[].class);
            System.out.println("READY");
            System.out.flush();
            int loop = 0;
            while (true) {
                String line = lines.take();
                if (line.startsWith("GO")) {
                    int round = Integer.parseInt(line.substring(3).trim());
                    SmallEntryBench.pairs(cellar, who, round, n, value, byte[].class);
                    System.out.println("DONE " + round);
                } else if (line.equals("WRITE")) {
                    while (lines.isEmpty()) {
                        // 25 rounds of 20 keys, over and over: the store keeps its size while writes go on
                        SmallEntryBench.pairs(cellar, who + "-w", loop++ % 25, 20, value, byte[].class);
                    }
                    lines.take();
                    System.out.println("STOPPED");
                } else {
                    break;
                }
                System.out.flush();
            }
        }
    }
}
