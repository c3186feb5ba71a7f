// A two-step computation cached with the one-liner. Run it twice: the first run prints MISS lines and
// takes seconds; the second prints HIT lines and takes milliseconds.
//   scripts/jshell scripts/demo.jsh
double[] simulate(int n, long seed) {
    var rng = new java.util.SplittableRandom(seed);
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < 40; k++) s += rng.nextGaussian();
        xs[i] = s;
    }
    return xs;
}
int n = 5_000_000;
long seed = 42;
double[] xs = cached("simulate", params("n", n, "seed", seed), () -> simulate(n, seed));
double[] sorted = cached("sorted", params(), inputs(xs), () -> { double[] c = xs.clone(); java.util.Arrays.sort(c); return c; });
System.out.printf("median = %.4f over %d samples%n", sorted[n / 2], n);
/exit
