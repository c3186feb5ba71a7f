/**
 * JSON encoding with Jackson: the JSON codec ({@link dev.cellar.codec.json.JsonCodec}: scalars, strings,
 * big numbers, enums, records, maps, collections, optionals) and plain JSON trees
 * ({@link dev.cellar.codec.json.JsonValues}) for parameter files and manifests. The only package
 * importing Jackson. Types travel as cellar's own explicit tags ({@code {"t":"i32","v":1}}); Jackson
 * default typing and polymorphic type ids are never enabled, and a stored class name is only ever
 * resolved (without initialization) to a record or enum class, so stored bytes cannot pick a class
 * to instantiate.
 */
package dev.cellar.codec.json;
