package dev.cellar;

import java.util.Arrays;
import java.util.HexFormat;

/** A 256-bit store key. Immutable; equal keys have equal bytes. */
public final class Key implements Comparable<Key> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Key(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException if {@code bytes} is not 32 bytes long */
    public static Key of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a key has " + LENGTH + " bytes, got " + bytes.length);
        }
        return new Key(bytes.clone());
    }

    /** @throws IllegalArgumentException if {@code hex} is not 64 hex digits */
    public static Key fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a key is " + 2 * LENGTH + " hex digits, got '" + hex + "'");
        }
        try {
            return new Key(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex key: '" + hex + "'", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** The first 8 hex digits, as shown in status lines. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Key o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
