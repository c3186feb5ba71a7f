/**
 * Keys: the canonical, type-tagged encoding of values and the derivation of a store key from a
 * {@link dev.cellar.key.Recipe} (type, version, parameters, code and inputs; {@code
 * dev.cellar.Component} is the one users build). Entry points: {@link dev.cellar.key.HashKeyDeriver}
 * (the default {@link dev.cellar.key.KeyDeriver}, with {@code KEY_FORMAT}, {@code keyOf} and {@code
 * normalizeCode}), {@link dev.cellar.key.AttributeKeys} (keys of a component's named attributes, the
 * last one remembered for a recipe whose key cannot change) and {@link dev.cellar.key.ValueDigest}
 * (128-bit digests of values and files). Keys
 * are SHA-256; large primitive arrays and files are digested with XXH3-128 in place.
 *
 * <p>May import: the JDK, the vocabulary of {@code dev.cellar} ({@code Key}, exceptions) and {@code
 * net.openhft.hashing} (zero-allocation-hashing), which no other package may import. It sees components
 * and parameters only through its own {@code Recipe} and {@code ParameterTree}, so it never imports the
 * API. Uses {@code sun.misc.Unsafe} only for the array base offsets that in-place hashing needs.
 */
package dev.cellar.key;
