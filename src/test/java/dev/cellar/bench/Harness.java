package dev.cellar.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times subjects side by side. Subjects of one comparison run interleaved (a, b, c, a, b, c, …) so that a
 * burst of load from the other builds on this 2-core machine hits the reference and cellar alike and the
 * ratio of medians stays meaningful even when the absolute times drift.
 */
final class Harness {
    /** One timed operation. {@code setup} runs untimed before each call of {@code body}, {@code teardown} after. */
    interface Body {
        void run(int iteration) throws Exception;
    }

    record Subject(String name, Body setup, Body body, Body teardown) {
        static Subject of(String name, Body body) {
            return new Subject(name, i -> { }, body, i -> { });
        }

        Subject withSetup(Body s) {
            return new Subject(name, s, body, teardown);
        }

        Subject withTeardown(Body t) {
            return new Subject(name, setup, body, t);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    final int warmups;
    final int runs;

    Harness(int warmups, int runs) {
        this.warmups = warmups;
        this.runs = runs;
    }

    /** Runs the subjects interleaved: {@code warmups} untimed rounds, then {@code runs} timed ones. */
    Map<String, Sample> compare(List<Subject> subjects) throws Exception {
        return compare(subjects, warmups, runs);
    }

    static Map<String, Sample> compare(List<Subject> subjects, int warmups, int runs) throws Exception {
        Map<String, List<Long>> times = new LinkedHashMap<>();
        Map<String, List<Long>> cpu = new LinkedHashMap<>();
        for (Subject s : subjects) {
            times.put(s.name(), new ArrayList<>());
            cpu.put(s.name(), new ArrayList<>());
        }
        int iteration = 0;
        for (int round = 0; round < warmups + runs; round++) {
            for (Subject s : subjects) {
                s.setup().run(iteration);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                s.body().run(iteration);
                long t = System.nanoTime() - t0;
                long c = THREADS.getCurrentThreadCpuTime() - c0;
                s.teardown().run(iteration);
                if (round >= warmups) {
                    times.get(s.name()).add(t);
                    cpu.get(s.name()).add(c);
                }
                iteration++;
            }
        }
        Map<String, Sample> out = new LinkedHashMap<>();
        times.forEach((k, v) -> out.put(k, Sample.of(k, v, cpu.get(k))));
        return out;
    }

    /** Keeps results alive and observable so the JIT cannot drop the work that produced them. */
    static volatile Object sink;

    static void consume(Object o) {
        sink = o;
    }
}
