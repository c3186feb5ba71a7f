package dev.cellar.codec.json;

import static org.junit.jupiter.api.Assertions.*;

import dev.cellar.CodecException;
import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Strings stored by the JSON codec without Jackson: the same bytes as Jackson's tagged tree (so stored
 * entries do not change), and on reading either the general reader's answer or the general reader
 * itself, for every payload, damaged ones included.
 */
class PlainStringTest {
    private static final JsonCodec CODEC = new JsonCodec();
    private static final DecodeContext CTX = DecodeContext.defaults();

    @Property(tries = 500)
    void writesJacksonsBytes(@ForAll("texts") String s) {
        Encoded general = CODEC.general(s);
        byte[] plain = PlainString.encode(s);
        if (plain == null) {
            assertTrue(s.chars().anyMatch(c -> Character.isSurrogate((char) c)), "only strings with surrogates go the general way");
            return;
        }
        assertEquals("str", general.descriptor());
        assertArrayEquals(bytes(general), plain);
        assertEquals(s, CODEC.decode("str", ByteBuffer.wrap(plain), CTX));
    }

    @Property(tries = 1000)
    void readsDamagedPayloadsAsTheGeneralReaderDoes(@ForAll("texts") String s, @ForAll long seed) {
        byte[] b = bytes(CODEC.general(s));
        SplittableRandom r = new SplittableRandom(seed);
        if (b.length > 0 && r.nextBoolean()) {
            String noise = "\"\\{}:, tvsrx\u0001\u007f";
            b[r.nextInt(b.length)] = (byte) noise.charAt(r.nextInt(noise.length()));
        }
        ByteBuffer payload = ByteBuffer.wrap(b);
        String plain = PlainString.decode(payload, CTX.maxBytes());
        Object general;
        try {
            general = CODEC.generalDecode("str", payload, CTX);
        } catch (CodecException e) {
            assertNull(plain, "the plain reader accepts nothing the general reader refuses");
            return;
        }
        if (plain != null) {
            assertEquals(general, plain);
        }
        assertEquals(general, CODEC.decode("str", payload, CTX));
    }

    @Test
    void aStringOverTheMemoryLimitIsStillRefused() {
        byte[] b = PlainString.encode("x".repeat(1000));
        DecodeContext small = new DecodeContext(getClass().getClassLoader(), 1500);
        assertNull(PlainString.decode(ByteBuffer.wrap(b), small.maxBytes()));
        assertThrows(CodecException.class, () -> CODEC.decode("str", ByteBuffer.wrap(b), small));
    }

    @Test
    void readsFromAnOffsetInsideALargerBuffer() {
        byte[] b = PlainString.encode("hello");
        ByteBuffer big = ByteBuffer.allocate(b.length + 10);
        big.position(5);
        big.put(b);
        big.position(5).limit(5 + b.length);
        assertEquals("hello", PlainString.decode(big.slice(), CTX.maxBytes()));
        assertEquals("hello", PlainString.decode(big, CTX.maxBytes()));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007f\u0080é€\ud83d\ude00\ud800ab").ofMaxLength(12),
                Arbitraries.strings().ascii().ofMaxLength(100),
                Arbitraries.strings().alpha().ofMinLength(1000).ofMaxLength(1100));
    }

    private static byte[] bytes(Encoded e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            e.writeTo(Channels.newChannel(out));
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
        return out.toByteArray();
    }
}
