/**
 * Keys: the canonical, type-tagged encoding of values and the derivation of a component's store key
 * from its type, version, parameters, code and inputs. Entry points: {@link
 * dev.cellar.key.HashKeyDeriver} (the default {@link dev.cellar.key.KeyDeriver}, with {@code
 * KEY_FORMAT}, {@code keyOf} and {@code normalizeCode}) and {@link dev.cellar.key.ValueDigest}
 * (128-bit digests of values and files). Keys are SHA-256; large primitive arrays and files are
 * digested with XXH3-128 in place.
 *
 * <p>May import: the JDK, {@code dev.cellar} core types, and {@code net.openhft.hashing}
 * (zero-allocation-hashing), which no other package may import. Uses {@code sun.misc.Unsafe} only
 * for the array base offsets that in-place hashing needs.
 */
package dev.cellar.key;
