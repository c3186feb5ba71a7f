package dev.cellar.store.rocksdb;

import dev.cellar.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM of {@link NativeLibraryTest}: {@code NativeLibraryChild CACHE_DIR STORE_DIR} opens a store
 * the way cellar does (the native library is loaded on the first open, through {@code CACHE_DIR}),
 * stores and reads an entry, and prints {@code source S}, {@code mapped PATH} (the file the process
 * mapped the library from, per /proc/self/maps) and {@code works}.
 */
public final class NativeLibraryChild {
    public static void main(String[] args) throws Exception {
        System.setProperty(NativeLibrary.DIR_PROPERTY, args[0]);
        try (RocksDataStore s = RocksDataStore.open(Path.of(args[1]), StoreOptions.defaults())) {
            var k = TestValues.key("native");
            var v = TestValues.value(k, 1000);
            try (var w = s.begin(k)) {
                try (var ch = w.payload("p0")) {
                    ch.write(v.duplicate());
                }
                w.commit(TestValues.manifest(k), new dev.cellar.store.EntryMetadata("native", 1, 1));
            }
            try (var e = s.open(k).orElseThrow()) {
                if (!e.payload("p0").equals(v)) {
                    throw new AssertionError("read back a different value");
                }
            }
        }
        System.out.println("source " + NativeLibrary.load());
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains("librocksdbjni")) {
                System.out.println("mapped " + line.substring(line.indexOf('/')));
                break;
            }
        }
        System.out.println("works");
    }
}
