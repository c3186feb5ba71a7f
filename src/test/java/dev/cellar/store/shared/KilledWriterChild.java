package dev.cellar.store.shared;

import dev.cellar.Key;
import dev.cellar.engine.SharedConfig;
import dev.cellar.store.DataStore;
import dev.cellar.store.EntryMetadata;
import dev.cellar.store.EntryWriter;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A writer to be killed: {@code chunks|object [KEY=VALUE...]}. {@code chunks} streams a payload into
 * PostgreSQL chunk rows and prints {@code PROGRESS} part-way, then goes on slowly; {@code object}
 * finishes uploading a payload object, prints {@code UPLOADED} and waits before committing.
 */
public final class KilledWriterChild {
    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String kv : Arrays.copyOfRange(args, 1, args.length)) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        boolean object = args[0].equals("object");
        try (DataStore s = SharedConfig.openShared(SharedConfig.settings(env.get("CELLAR_SHARED"),
                object ? env.get("CELLAR_SHARED_BLOBS") : null, null, null, env));
                EntryWriter w = s.begin(Key.of(new byte[Key.LENGTH]))) {
            byte[] piece = new byte[1 << 20];
            Arrays.fill(piece, (byte) 7);
            try (WritableByteChannel ch = w.payload("p0")) {
                for (int i = 0; i < (object ? 2 : 200); i++) {
                    ch.write(ByteBuffer.wrap(piece));
                    if (!object && i == 40) {
                        System.out.println("PROGRESS");
                    }
                    if (!object && i > 40) {
                        Thread.sleep(200);
                    }
                }
            }
            System.out.println(object ? "UPLOADED" : "WRITTEN");
            Thread.sleep(120_000);
            w.commit(new byte[] {1}, new EntryMetadata("killed", 1, 1));
        }
    }
}
