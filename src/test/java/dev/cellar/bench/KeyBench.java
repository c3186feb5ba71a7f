package dev.cellar.bench;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Parameters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 2: key derivation. The digest of a large array (what an uncached array input costs), with a
 * memory copy of the same array as the speed-of-memory reference; and the time to derive the key of a
 * component with small parameters, alone and at the end of a chain of 10 upstream components.
 */
final class KeyBench {
    static final String DIGEST = "Cellar.digest(double[])";
    static final String DERIVE_INPUT = "Cellar.derive(component with the array as input)";
    static final String COPY = ArrayBench.ARRAYCOPY;
    static final String SMALL = "derive: small parameters";
    static final String CHAIN = "derive: chain of 10 upstream components";

    private final Ctx ctx;
    private final Cellar cellar;

    KeyBench(Ctx ctx, Cellar cellar) {
        this.ctx = ctx;
        this.cellar = cellar;
    }

    void run() throws Exception {
        Report r = ctx.report;
        r.section("2. Key derivation", "Digest throughput on a large `double[]` (XXH3-128 over its canonical "
                + "encoding; target ≥ 5 GB/s), side by side with a memory copy of the same array; then the "
                + "time to derive one key (SHA-256 over the canonical, type-tagged encoding of the ingredients).");
        List<Long> sizes = ctx.sizes();
        long bytes = sizes.get(sizes.size() - 1);
        double[] data = ArrayBench.doubles((int) (bytes / 8), 5);
        double[] dst = new double[data.length];
        Arrays.fill(dst, 1.0);
        Component withInput = Component.builder("bench.key.input").parameters(Parameters.of("k", 1))
                .inputs(List.of(data)).build();
        String digest = Cellar.digest(data);
        String name = "digest double[] " + Report.size(bytes);
        Ctx.log(name);
        Map<String, Sample> s = ctx.harness(bytes).compare(List.of(
                Harness.Subject.of(DIGEST, i -> Harness.consume(Cellar.digest(data))),
                Harness.Subject.of(DERIVE_INPUT, i -> Harness.consume(cellar.derive(withInput))),
                ArrayBench.arraycopy(data, dst)));
        ArrayBench.check("digest is deterministic", digest.equals(Cellar.digest(data)));
        ctx.record(name, s);
        r.timeHeader();
        r.timeRows(name, s, COPY, bytes);
        r.endTable();

        int ops = ctx.quick ? 200 : 20_000;
        Parameters small = Parameters.of("alpha", 0.5, "n", 1000, "label", "baseline", "seed", 42L,
                "weights", new double[] {0.1, 0.2, 0.7});
        Component single = Component.of("bench.key.small", small);
        Component chain = Component.of("bench.key.stage0", small);
        for (int k = 1; k <= 10; k++) {
            chain = Component.builder("bench.key.stage" + k).parameters(small.with("stage", k)).input(chain).build();
        }
        Component last = chain;
        ArrayBench.check("key is deterministic", cellar.keyOf(single).equals(cellar.keyOf(single)));
        Ctx.log("derive");
        Map<String, Sample> d = ctx.quick ? new Harness(1, 2).compare(List.of(
                Harness.Subject.of(SMALL, i -> derive(single, ops)),
                Harness.Subject.of(CHAIN, i -> derive(last, ops))))
                : new Harness(3, 7).compare(List.of(
                        Harness.Subject.of(SMALL, i -> derive(single, ops)),
                        Harness.Subject.of(CHAIN, i -> derive(last, ops))));
        Map<String, Sample> perKey = new LinkedHashMap<>();
        d.forEach((k, v) -> perKey.put(k, new Sample(k, Arrays.stream(v.nanos()).map(t -> t / ops).toArray(),
                Arrays.stream(v.cpuNanos()).map(t -> t / ops).toArray())));
        ctx.record("derive", perKey);
        r.text("Time per key (each run derives " + ops + " keys; the table shows the time of one).");
        r.timeHeader();
        r.timeRows("derive one key", perKey, SMALL, 0);
        r.endTable();
    }

    private void derive(Component c, int ops) {
        for (int i = 0; i < ops; i++) {
            Harness.consume(cellar.derive(c));
        }
    }
}
