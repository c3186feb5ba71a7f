package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Parameters;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.engine.Config;
import dev.cellar.engine.Entries;
import dev.cellar.engine.SharedConfig;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3Proxy SIGKILLed while a large payload streams to it and while one streams from it. "While" is
 * observed, not hoped for: the test watches the bytes of the transfer (S3Proxy's partial file for an
 * upload, this process's download file for a download), freezes S3Proxy (SIGSTOP) as soon as some
 * have moved, checks that the transfer is still far from complete, and only then kills it. Afterwards:
 * the call returned the right value (computed, with one warning), the shared tier holds no torn or
 * wrong entry, a good entry was not removed because its download broke, and once S3Proxy is back (same
 * port, same files) writes and reads through the shared tier resume.
 */
class MidTransferFaultTest {
    /** 12 M longs, 96 MB: long enough on the wire that a freeze lands well inside the transfer. */
    private static final int LONGS = 12 << 20;
    private static final long BYTES = 8L * LONGS;
    /** Bytes that must still be missing when S3Proxy is frozen (more than socket buffers can hold). */
    private static final long MARGIN = 32L << 20;

    @TempDir
    Path tmp;

    private final AtomicInteger runs = new AtomicInteger();

    private Cellar machine(SharedServers servers, String schema, String dir, List<String> warnings) {
        return servers.machine(tmp.resolve(dir), schema)
                .warnings(warnings::add).build();
    }

    private static long[] value(int i) {
        long[] v = new long[LONGS];
        for (int j = 0; j < v.length; j++) {
            v[j] = (long) j * 31 + i;
        }
        return v;
    }

    private long[] get(Cellar c, int i) {
        return c.cached("big" + i, Parameters.of("i", i), () -> {
            runs.incrementAndGet();
            return value(i);
        });
    }

    @Test
    void s3ProxyKilledMidUploadAndMidDownload() throws Exception {
        SharedServers own = SharedServers.startOwn();
        try {
            String schema = own.freshSchema("midxfer");

            // --- mid-upload: machine A computes a big value; its upload is cut by the kill ---
            List<String> warnA = Collections.synchronizedList(new ArrayList<>());
            try (Cellar a = machine(own, schema, "a", warnA)) {
                int cut = -1;
                for (int i = 1; i <= 3 && cut < 0; i++) { // an upload that outran the watcher was whole: next key
                    int k = i;
                    CompletableFuture<long[]> call = CompletableFuture.supplyAsync(() -> get(a, k));
                    if (cutMidway(own, call, () -> partialUpload(own))) {
                        cut = k;
                    }
                    assertArrayEquals(value(k), call.get(5, TimeUnit.MINUTES), "the right value");
                }
                assertTrue(cut > 0, "three uploads finished before S3Proxy could be stopped");
                assertEquals(cut, runs.get(), "computed once per key");
                assertEquals(1, warnA.size(), "one warning: " + warnA);
                assertTrue(warnA.get(0).contains("shared store is unreachable"), warnA.toString());
                own.control("start-s3");
                waitForRetry();
                assertArrayEquals(value(10), get(a, 10), "written to both tiers again");
                assertArrayEquals(value(cut), get(a, cut), "a local hit");
                assertEquals(cut + 1, runs.get());
                assertEquals(1, warnA.size(), warnA.toString());
                List<String> expected = new ArrayList<>();
                for (int k = 1; k < cut; k++) {
                    expected.add("big" + k);
                }
                expected.add("big10"); // never the key whose upload was cut
                assertShared(own, schema, expected);
            }
            int before = runs.get();

            // --- mid-download: machine B (empty local store) reads big10 from the shared tier ---
            List<String> warnB = Collections.synchronizedList(new ArrayList<>());
            List<Cellar> outran = new ArrayList<>();
            Cellar b = null;
            try {
                for (int i = 0; i < 3 && b == null; i++) { // a download that outran the watcher: a fresh machine
                    Cellar m = machine(own, schema, "b" + i, warnB);
                    CompletableFuture<long[]> call = CompletableFuture.supplyAsync(() -> get(m, 10));
                    boolean cut = cutMidway(own, call, MidTransferFaultTest::partialDownload);
                    assertArrayEquals(value(10), call.get(5, TimeUnit.MINUTES), "the right value");
                    if (cut) {
                        b = m;
                    } else {
                        outran.add(m);
                    }
                }
                assertTrue(b != null, "three downloads finished before S3Proxy could be stopped");
                assertEquals(before + 1, runs.get(), "computed, since its payload could not be fetched");
                assertEquals(1, warnB.size(), "one warning: " + warnB);
                assertTrue(warnB.get(0).contains("shared store is unreachable"), warnB.toString());
                own.control("start-s3");
                waitForRetry();
                assertArrayEquals(value(11), get(b, 11), "written to both tiers again");
                assertEquals(before + 2, runs.get());
                assertEquals(1, warnB.size(), warnB.toString());
            } finally {
                for (Cellar m : outran) {
                    m.close();
                }
                if (b != null) {
                    b.close();
                }
            }
            // the entry whose download broke is still there and whole (no "corrupt" removal): C hits it
            List<String> warnC = new ArrayList<>();
            try (Cellar c = machine(own, schema, "c", warnC)) {
                assertArrayEquals(value(10), get(c, 10));
                assertArrayEquals(value(11), get(c, 11));
                assertEquals(before + 2, runs.get(), "both from the shared tier");
                assertEquals(List.of(), warnC);
            }
        } finally {
            own.control("stop");
        }
    }

    /**
     * Watches {@code progress} while {@code call} runs. Once at least 1 MiB has moved, freezes S3Proxy
     * (SIGSTOP; it moves no more bytes), reads the progress again and, if at least {@link #MARGIN} bytes
     * are still to come (more than any socket buffer holds, so S3Proxy cannot have sent or received
     * them all), SIGKILLs it: true. Otherwise (the transfer outran the watcher) lets it go on: false.
     */
    private static boolean cutMidway(SharedServers own, CompletableFuture<?> call, LongSupplier progress) {
        while (!call.isDone()) {
            if (progress.getAsLong() >= 1 << 20) {
                own.signalS3("STOP");
                long seen = progress.getAsLong();
                System.out.println("S3Proxy frozen with " + seen + " of " + BYTES + " bytes moved");
                if (seen >= 0 && seen <= BYTES - MARGIN) {
                    own.killS3();
                    return true;
                }
                own.signalS3("CONT");
                return false;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** The largest partial object file in S3Proxy's bucket (the upload it is receiving), or -1. */
    private static long partialUpload(SharedServers own) {
        long best = -1;
        try (Stream<Path> s = Files.walk(own.dir().resolve("s3/cellar"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    long n = Files.size(p);
                    if (Files.isRegularFile(p) && n < BYTES) {
                        best = Math.max(best, n);
                    }
                } catch (IOException gone) {
                    // renamed or deleted while listing
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
        return best;
    }

    /** The size of the payload file this process is downloading into (open in this process), or -1. */
    private static long partialDownload() {
        long best = -1;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.toString().contains("cellar-shared-spool/download-")) {
                        best = Math.max(best, Files.size(target));
                    }
                } catch (IOException | UnsupportedOperationException gone) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return best;
    }

    private static void waitForRetry() throws InterruptedException {
        Thread.sleep(TieredStore.RETRY_NANOS / 1_000_000 + 500);
    }

    /** The shared tier holds exactly these entries, each whole (downloaded and checked). */
    private static void assertShared(SharedServers own, String schema, List<String> expected) {
        try (DataStore shared = SharedConfig.openShared(SharedConfig.settings(own.url(schema), own.blobs(schema),
                null, null, own.awsEnv()))) {
            assertEquals(expected, shared.list().stream().map(EntryInfo::name).sorted().toList());
            Entries check = new Entries(shared, CodecRegistry.standard(), w -> { }, true);
            for (EntryInfo e : shared.list()) {
                assertEquals(Optional.empty(), check.problem(e.key()), e.name());
            }
        }
    }
}
