package dev.cellar.key;

/**
 * One key ingredient. {@code name} is a path such as {@code "type"}, {@code "version"},
 * {@code "param stim.rate"}, {@code "code body"}, {@code "input spikes"}; {@code kind} is one of
 * {@code type, version, format, param, code, input, file}; {@code display} is a short human-readable
 * rendering (a parameter's value, an upstream key, the first lines of code); {@code detail} is the
 * full text when it is worth keeping for diffs (source code), else empty; {@code digest} is the hex
 * digest of the ingredient's canonical encoding, which is what the key actually covers.
 */
public record Ingredient(String kind, String name, String display, String detail, String digest) {}
