package dev.cellar.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.CodecException;
import dev.cellar.codec.json.JsonValues;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The benchmark's own machinery: statistics, interleaving, the joblib bridge's JSON, the plot, the references. */
class BenchSupportTest {
    @Test
    void medianAndRangeOfOddAndEvenRunCounts() {
        Sample odd = new Sample("s", new long[] {5_000_000, 1_000_000, 3_000_000});
        assertEquals(3.0, odd.medianMs(), 1e-9);
        assertEquals(1.0, odd.minMs(), 1e-9);
        assertEquals(5.0, odd.maxMs(), 1e-9);
        Sample even = new Sample("s", new long[] {4, 1, 3, 2}, new long[] {40, 10, 30, 20});
        assertEquals(2.5, even.median(), 1e-9);
        assertEquals(25.0, even.medianCpu(), 1e-9);
        assertTrue(Double.isNaN(odd.medianCpu()));
    }

    @Test
    void subjectsRunInterleavedAndWarmUpsAreNotRecorded() throws Exception {
        List<String> calls = new ArrayList<>();
        Map<String, Sample> s = Harness.compare(List.of(
                Harness.Subject.of("a", i -> calls.add("a" + i)).withSetup(i -> calls.add("setup" + i)),
                Harness.Subject.of("b", i -> calls.add("b" + i)).withTeardown(i -> calls.add("down" + i))), 1, 2);
        assertEquals(List.of("setup0", "a0", "b1", "down1", "setup2", "a2", "b3", "down3", "setup4", "a4", "b5", "down5"),
                calls);
        assertEquals(2, s.get("a").runs());
        assertEquals(2, s.get("b").runs());
    }

    @Test
    void readsWhatTheJoblibScriptPrints() {
        JoblibBench joblib = new JoblibBench(new Ctx(true, Path.of("unused")));
        joblib.read("{\"python\": \"3.11.2\", \"sizes\": [{\"bytes\": 8000000, \"store\": [2442213, 8.3e6]}],"
                + " \"hash\": {\"bytes\": 8000000, \"runs\": [1500000]}, \"ok\": true, \"none\": null,"
                + " \"s\": \"a\\\"b\\u00e9\"}\n");
        assertTrue(joblib.measured());
        Sample store = joblib.sample(8_000_000, "store", JoblibBench.STORE);
        assertEquals(JoblibBench.STORE, store.subject());
        assertArrayEquals(new long[] {2442213, 8_300_000}, store.nanos());
        assertNull(joblib.sample(80_000_000, "store", JoblibBench.STORE), "a size the script did not measure");
        assertArrayEquals(new long[] {1_500_000}, joblib.hash().nanos());
        assertThrows(CodecException.class, () -> joblib.read("{\"a\": 1} x"));
    }

    @Test
    void kernelWorkerSamplesSurviveTheTripThroughItsOutput() {
        Map<String, Sample> overhead = new LinkedHashMap<>();
        overhead.put(KernelWorker.HIT, new Sample(KernelWorker.HIT, new long[] {5, 7}, new long[] {1, 2}));
        overhead.put(KernelWorker.UNCACHED, new Sample(KernelWorker.UNCACHED, new long[] {3_000_000_000L, 4}, new long[] {0, 0}));
        String printed = JsonValues.write(Map.of("cases", Map.of(KernelWorker.OVERHEAD_CASE, KernelWorker.samples(overhead))));
        Map<String, Map<String, Sample>> back = KernelWorker.read((Map<?, ?>) JsonValues.parse(printed));
        Sample hit = back.get(KernelWorker.OVERHEAD_CASE).get(KernelWorker.HIT);
        assertArrayEquals(new long[] {5, 7}, hit.nanos());
        assertArrayEquals(new long[] {1, 2}, hit.cpuNanos());
        assertArrayEquals(new long[] {3_000_000_000L, 4}, back.get(KernelWorker.OVERHEAD_CASE).get(KernelWorker.UNCACHED).nanos());
    }

    @Test
    void plotIsWellFormedSvgWithOneLinePerSeries() throws Exception {
        Map<String, Map<String, List<Report.Point>>> panels = new LinkedHashMap<>();
        Map<String, List<Report.Point>> restore = new LinkedHashMap<>();
        restore.put("cellar restore (hit)", List.of(new Report.Point(8_000_000, 2.0), new Report.Point(800_000_000, 200)));
        restore.put("joblib load", List.of(new Report.Point(8_000_000, 1.0), new Report.Point(800_000_000, 300)));
        panels.put("restore", restore);
        panels.put("store", Map.of("FileChannel write", List.of(new Report.Point(8_000_000, 3.0))));
        String svg = Plot.svg(panels);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getNodeName());
        assertEquals(3, d.getElementsByTagName("polyline").getLength());
        assertTrue(svg.contains("joblib load"));
    }

    @Test
    void referenceWriteAndReadRoundTripAndImagesCopyDeeply(@TempDir Path dir) throws Exception {
        double[] a = ArrayBench.doubles(1_000_003, 1);
        Path f = dir.resolve("a.bin");
        assertEquals(8L * a.length, Raw.write(f, a));
        assertEquals(8L * a.length, Files.size(f));
        assertTrue(java.util.Arrays.equals(a, Raw.readDoubles(f)));

        Map<String, Object> table = ArrayBench.table(1000);
        Object copy = Raw.image(table).copy();
        assertTrue(ArrayBench.deepEquals(table, copy));
        assertTrue(((Map<?, ?>) copy).get("label") != table.get("label"));
        String[] s = ArrayBench.strings(100, 3);
        assertEquals(ArrayBench.utf8Bytes(s), Raw.write(dir.resolve("s.bin"), s));
    }
}
