package dev.cellar.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * For profiling {@code cellar ls} while two processes write (section 3's protocol, without the rest of
 * the section): starts two {@link SmallEntryWorker}s writing into STORE, then repeats {@code ls} and
 * prints wall and thread CPU per run, with the shape of the database (table files, log bytes) just
 * before each, then the medians (of all runs, as section 3 takes them, and without the first three,
 * which also compile the listing code). With {@code -Dprobe.raw=true} each run is followed by a
 * secondary instance opened, scanned and closed by hand, with the CPU of each step. Not part of the
 * report.
 *
 * <pre>
 * LsProbe STORE RUNS [PAUSE_MS]
 * </pre>
 */
public final class LsProbe {
    private LsProbe() {}

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        long pause = args.length > 2 ? Long.parseLong(args[2]) : 100;
        Raw.deleteTree(store);
        List<Process> writers = new ArrayList<>();
        List<PrintStream> ins = new ArrayList<>();
        try {
            for (int w = 0; w < 2; w++) {
                List<String> cmd = new ArrayList<>(BenchMain.childJvm());
                cmd.addAll(List.of(SmallEntryWorker.class.getName(), store.toString(), "writer" + w, "2000"));
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                writers.add(p);
                ins.add(new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8));
            }
            for (Process p : writers) {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String l;
                while ((l = r.readLine()) != null && !l.startsWith("READY")) {
                    System.err.println("writer: " + l);
                }
            }
            for (PrintStream in : ins) {
                in.println("WRITE");
            }
            Thread.sleep(2000);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            List<long[]> l = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String shape = shape(store.resolve("db")) + ", journals " + shape(store.resolve("journal"));
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) threads;
                long al0 = sun.getCurrentThreadAllocatedBytes();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                int status = dev.cellar.cli.Main.run(new String[] {"--dir", store.toString(), "ls"},
                        new PrintWriter(out), new PrintWriter(err));
                long t = System.nanoTime() - t0;
                long c = threads.getCurrentThreadCpuTime() - c0;
                long alloc = sun.getCurrentThreadAllocatedBytes() - al0;
                if (status != 0) {
                    throw new IllegalStateException("ls failed: " + err);
                }
                l.add(new long[] {t, c});
                System.out.printf("ls %d: %.1f ms wall, %.1f ms cpu, %d KB allocated, %d lines; %s; load %s%n", i, t / 1e6, c / 1e6, alloc >> 10,
                        out.toString().lines().count(), shape, BenchMain.loadAverage());
                if (Boolean.getBoolean("probe.backlog")) {
                    System.out.println("   backlog: " + backlog(store));
                }
                if (Boolean.getBoolean("probe.raw")) {
                    raw(store.resolve("db"), threads);
                }
                Thread.sleep(pause);
            }
            if (!l.isEmpty()) {
                List<long[]> rest = l.subList(Math.min(l.size() - 1, 3), l.size());
                long[] wall = rest.stream().mapToLong(x -> x[0]).sorted().toArray();
                long[] cpu = rest.stream().mapToLong(x -> x[1]).sorted().toArray();
                long[] allWall = l.stream().mapToLong(x -> x[0]).sorted().toArray();
                long[] allCpu = l.stream().mapToLong(x -> x[1]).sorted().toArray();
                System.out.printf("median %.1f ms wall, %.1f ms cpu over %d runs (first 3 left out); "
                        + "all %d runs: %.1f ms wall, %.1f ms cpu; load %s%n", wall[wall.length / 2] / 1e6, cpu[cpu.length / 2] / 1e6,
                        wall.length, allWall.length, allWall[allWall.length / 2] / 1e6, allCpu[allCpu.length / 2] / 1e6,
                        BenchMain.loadAverage());
            }
        } finally {
            for (PrintStream in : ins) {
                in.println("STOP");
                in.println("QUIT");
                in.close();
            }
            for (Process p : writers) {
                if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** Opens a secondary instance by hand, scans it, closes it: CPU of each step. */
    static void raw(Path db, ThreadMXBean threads) throws Exception {
        Path scratch = Files.createTempDirectory("probe-secondary");
        try (org.rocksdb.Options o = new org.rocksdb.Options().setMaxOpenFiles(-1).setWriteBufferSize(2L << 20)
                .setInfoLogLevel(org.rocksdb.InfoLogLevel.WARN_LEVEL)) {
            long c0 = threads.getCurrentThreadCpuTime();
            org.rocksdb.RocksDB d = org.rocksdb.RocksDB.openAsSecondary(o, db.toString(), scratch.toString());
            long c1 = threads.getCurrentThreadCpuTime();
            int n = 0;
            try (org.rocksdb.RocksIterator it = d.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    n += it.key().length + it.value().length > 0 ? 1 : 0;
                }
            }
            long c2 = threads.getCurrentThreadCpuTime();
            d.close();
            long c3 = threads.getCurrentThreadCpuTime();
            System.out.printf("   raw: open %.1f ms, scan of %d records %.1f ms, close %.1f ms (cpu)%n", (c1 - c0) / 1e6, n,
                    (c2 - c1) / 1e6, (c3 - c2) / 1e6);
        } finally {
            Raw.deleteTree(scratch);
        }
    }

    /** Each journal's size and how far the store (as a fresh secondary sees it) has applied it. */
    static String backlog(Path store) throws Exception {
        Path scratch = Files.createTempDirectory("probe-backlog");
        StringBuilder out = new StringBuilder();
        try (org.rocksdb.Options o = new org.rocksdb.Options().setMaxOpenFiles(-1);
                org.rocksdb.RocksDB d = org.rocksdb.RocksDB.openAsSecondary(o, store.resolve("db").toString(),
                        scratch.toString());
                Stream<Path> s = Files.list(store.resolve("journal"))) {
            for (Path f : s.toList()) {
                String n = f.getFileName().toString();
                byte[] name = n.getBytes(StandardCharsets.UTF_8);
                byte[] k = new byte[1 + name.length];
                k[0] = 'J';
                System.arraycopy(name, 0, k, 1, name.length);
                byte[] v = d.get(k);
                long applied = v == null || v.length != 9 ? -1 : java.nio.ByteBuffer.wrap(v, 1, 8).getLong();
                long size = Files.exists(f) ? Files.size(f) : -1;
                out.append(String.format("%s size %d KB applied %d KB; ", n.substring(0, 8), size >> 10, applied >> 10));
            }
        } finally {
            Raw.deleteTree(scratch);
        }
        return out.toString();
    }

    private static long journalBytes(Path dir) throws Exception {
        long n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                try {
                    n += Files.size(p);
                } catch (java.nio.file.NoSuchFileException e) {
                    // retired meanwhile
                }
            }
        }
        return n;
    }

    /** Table files and write-ahead log bytes in {@code db}. */
    static String shape(Path db) throws Exception {
        int sst = 0;
        long sstBytes = 0;
        int logs = 0;
        long logBytes = 0;
        long manifest = 0;
        try (Stream<Path> s = Files.list(db)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                long size;
                try {
                    size = Files.size(p);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue;
                }
                if (n.endsWith(".sst")) {
                    sst++;
                    sstBytes += size;
                } else if (n.endsWith(".log")) {
                    logs++;
                    logBytes += size;
                } else if (n.startsWith("MANIFEST")) {
                    manifest += size;
                }
            }
        }
        if (db.getFileName().toString().equals("journal")) {
            return String.format("%d KB", (sstBytes + logBytes + manifest + journalBytes(db)) >> 10);
        }
        return String.format("%d sst %d KB, %d logs %d KB, manifest %d KB", sst, sstBytes >> 10, logs, logBytes >> 10,
                manifest >> 10);
    }
}
