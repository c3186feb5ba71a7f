package dev.cellar.kernel.magic;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code %time STATEMENT} and {@code %%time}: run code and print its wall and CPU time the way IPython
 * does ({@code CPU times: user 1.2 s, sys: 30 ms, total: 1.23 s} / {@code Wall time: 1.3 s}). Cell code
 * runs on a thread of its own per snippet, so CPU time is the process's (from {@code /proc/self/stat},
 * split into user and system; elsewhere the JVM's total), which also counts the JIT and the garbage
 * collector working for that code.
 */
final class TimeMagic {
    static final String USAGE = "usage: %time STATEMENT (or %%time on the first line of a cell)";
    private static final Path STAT = Path.of("/proc/self/stat");
    /** Linux reports process times in clock ticks of USER_HZ, 100 per second on every architecture Java runs on. */
    private static final double TICK_NANOS = 1e9 / 100;

    private final Magics magics;

    TimeMagic(Magics magics) {
        this.magics = magics;
    }

    /** {@code %time}: the statement's value, if it is an expression, is the magic's value. */
    Object line(String args) throws Exception {
        if (args.isBlank()) {
            throw new dev.cellar.kernel.jshell.CellError.MagicError(USAGE);
        }
        CellValue v = timed(args, magics.currentCell());
        return v.hasValue() ? v.value() : null;
    }

    CellValue cell(String args, String body, int cell) throws Exception {
        if (!args.isBlank()) {
            throw new dev.cellar.kernel.jshell.CellError.MagicError("%%time: unexpected argument '" + args.strip()
                    + "'\n" + USAGE);
        }
        return timed(body, cell);
    }

    private CellValue timed(String code, int cell) throws Exception {
        long[] cpu0 = cpu();
        long wall0 = System.nanoTime();
        try {
            return magics.run(code, cell);
        } finally {
            long wall = System.nanoTime() - wall0;
            long[] cpu1 = cpu();
            System.out.flush();
            if (cpu0.length == 2) {
                long user = cpu1[0] - cpu0[0];
                long sys = cpu1[1] - cpu0[1];
                System.out.println("CPU times: user " + format(user) + ", sys: " + format(sys) + ", total: "
                        + format(user + sys));
            } else {
                System.out.println("CPU times: total: " + format(cpu1[0] - cpu0[0]));
            }
            System.out.println("Wall time: " + format(wall));
        }
    }

    /** {user, system} nanoseconds of this process, or {total} where /proc is not there. */
    private static long[] cpu() {
        try {
            String stat = Files.readString(STAT);
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {(long) (Long.parseLong(f[11]) * TICK_NANOS), (long) (Long.parseLong(f[12]) * TICK_NANOS)};
        } catch (IOException | RuntimeException e) {
            var os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return new long[] {sun.getProcessCpuTime()};
            }
            return new long[] {0};
        }
    }

    /** IPython's format: three significant digits in s, ms, µs or ns. */
    static String format(long nanos) {
        double t = nanos / 1e9;
        if (t >= 60) {
            long m = (long) (t / 60);
            return m + "min " + String.format(Locale.ROOT, "%.0f", t - 60 * m) + "s";
        }
        String[] units = {"s", "ms", "µs", "ns"};
        int i = 0;
        while (i < 3 && t > 0 && t < 1) {
            t *= 1000;
            i++;
        }
        if (t == 0) {
            return "0 ns";
        }
        return String.format(Locale.ROOT, "%.3g", t).replaceFirst("\\.?0+$", "") + " " + units[i];
    }
}
