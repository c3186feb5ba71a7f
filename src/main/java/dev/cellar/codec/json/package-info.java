/**
 * JSON encoding with Jackson: the JSON codec (scalars, strings, records, maps, collections) and plain
 * JSON trees for parameter files and manifests. The only package importing Jackson; never enables
 * default typing, so stored bytes cannot name classes to instantiate.
 */
package dev.cellar.codec.json;
