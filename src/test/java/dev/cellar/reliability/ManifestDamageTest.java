package dev.cellar.reliability;

import static dev.cellar.Cached.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Component;
import dev.cellar.Key;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import dev.cellar.store.InMemoryDataStore;
import dev.cellar.store.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Regressions found by the corruption torture: valid-looking manifests that lie about their entry,
 * planted through the store SPI. Each must be a miss with one warning, and the entry replaced.
 */
class ManifestDamageTest {
    private final List<String> warnings = new ArrayList<>();
    private final InMemoryDataStore store = new InMemoryDataStore();
    private final Cellar cellar = Cellar.builder().store(store).warnings(warnings::add).build();
    private final Component c = Component.of("damaged", params("n", 3));
    private final AtomicInteger calls = new AtomicInteger();

    private double[] compute() {
        calls.incrementAndGet();
        return new double[] {1, 2, 3};
    }

    /** Rewrites the entry of {@code c} with its manifest passed through {@code edit} (same payloads). */
    private void plant(java.util.function.UnaryOperator<String> edit) throws Exception {
        cellar.cached(c, this::compute);
        Key key = cellar.keyOf(c);
        String manifest = cellar.entries().manifest(key).orElseThrow().toPrettyJson();
        String edited = edit.apply(manifest);
        assertTrue(!edited.equals(manifest), "the edit changed nothing");
        byte[] payload;
        try (StoredEntry e = store.open(key).orElseThrow()) {
            ByteBuffer b = e.payload("p0");
            payload = new byte[b.remaining()];
            b.get(payload);
        }
        try (EntryWriter w = store.begin(key)) {
            try (WritableByteChannel ch = w.payload("p0")) {
                ch.write(ByteBuffer.wrap(payload));
            }
            w.commit(edited.getBytes(StandardCharsets.UTF_8), new EntryMetadata("damaged", 0, 0));
        }
        calls.set(0);
        warnings.clear();
    }

    private void assertMissWithOneWarningThenHit(String expected) {
        double[] v = cellar.cached(c, this::compute);
        assertArrayEquals(new double[] {1, 2, 3}, v);
        assertEquals(1, calls.get(), "recomputed");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(expected), warnings.get(0));
        assertArrayEquals(new double[] {1, 2, 3}, cellar.cached(c, this::compute));
        assertEquals(1, calls.get(), "the recomputed value was stored again");
    }

    @Test
    void aManifestNamingAMissingPayloadIsAMissNotNoSuchElementException() throws Exception {
        plant(m -> m.replace("\"payload\" : \"p0\"", "\"payload\" : \"../../../../etc/passwd\""));
        assertMissWithOneWarningThenHit("does not have");
    }

    @Test
    void aManifestWithoutTheValueOutputIsAMissNotNull() throws Exception {
        plant(m -> m.replaceAll("(?s)\"outputs\" : \\[.*\\]", "\"outputs\" : [ ]"));
        assertMissWithOneWarningThenHit("no output 'value'");
        // retrieve() too: an attribute without its value is damage, not an absent value
        cellar.store(c, "w", new double[] {4});
        Key key = store.list().stream().map(e -> e.key()).filter(k -> !k.equals(cellar.keyOf(c)))
                .findFirst().orElseThrow();
        try (EntryWriter w = store.begin(key)) {
            w.commit(("{\"format\":1,\"name\":\"x\",\"key\":\"" + key.hex() + "\",\"created\":0,\"computeNanos\":0,"
                    + "\"ingredients\":[],\"outputs\":[],\"notes\":{}}").getBytes(StandardCharsets.UTF_8),
                    new EntryMetadata("x", 0, 0));
        }
        warnings.clear();
        assertEquals(Optional.empty(), cellar.retrieve(c, "w", double[].class));
        assertEquals(1, warnings.size(), warnings.toString());
        assertFalse(cellar.contains(c, "w"), "the damaged entry was removed");
    }
}
