package dev.cellar.key;

import java.util.SortedMap;

/**
 * A hierarchical set of named parameters as keys see it: names in sorted order, nested sets as values.
 * {@code dev.cellar.Parameters} implements it; its canonical encoding is tagged as a parameter set.
 */
public interface ParameterTree {
    /** Top-level names and values, sorted by name; nested sets are {@code ParameterTree}s too. */
    SortedMap<String, Object> asMap();
}
