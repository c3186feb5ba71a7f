package dev.cellar.codec;

import dev.cellar.codec.arrow.ArrowCodec;
import dev.cellar.codec.json.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encode+decode pairs per second for ~1 KB values through each built-in codec (the store adds its own
 * cost on top). A benchmark, not a test: run its main with the test class path.
 */
public final class SmallValuesBench {
    public static void main(String[] args) throws Exception {
        double[] array = new double[128];
        for (int i = 0; i < array.length; i++) array[i] = i / 3.0;
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) map.put("key" + i, i % 2 == 0 ? (Object) ("value-" + i) : (Object) (i * 1.5));
        run("arrow double[128]", new ArrowCodec(), array);
        run("json map of 20 entries", new JsonCodec(), map);
    }

    static void run(String what, Codec codec, Object value) throws Exception {
        DecodeContext ctx = DecodeContext.defaults();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long size = 0;
        for (int round = 0; round < 8; round++) {
            int n = 50_000;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                out.reset();
                Encoded e = codec.encode(value);
                e.writeTo(Channels.newChannel(out));
                size = out.size();
                codec.decode(e.descriptor(), ByteBuffer.wrap(out.toByteArray()), ctx);
            }
            double s = (System.nanoTime() - t) / 1e9;
            if (round == 7) System.out.printf("%-26s %6d bytes  %,10.0f encode+decode pairs/s%n", what, size, n / s);
        }
    }
}
