/**
 * JSON encoding with Jackson: the JSON codec ({@link dev.cellar.codec.json.JsonCodec}: scalars, strings,
 * big numbers, enums, records, maps, collections, optionals) and plain JSON trees
 * ({@link dev.cellar.codec.json.JsonValues}) for parameter files and manifests. The only package
 * importing Jackson. Types travel as cellar's own explicit tags ({@code {"t":"i32","v":1}}); Jackson
 * default typing and polymorphic type ids are never enabled, and a stored class name is only ever
 * resolved (without initialization) to a record or enum class, or to a plain class declared in the notebook (package {@code REPL}, already
 * defined in the session) whose instance is allocated without running any of its constructors and has
 * its fields set ({@code PlainObjects}), so stored bytes cannot pick a class to instantiate or run
 * code. Uses {@code sun.reflect.ReflectionFactory} (module jdk.unsupported) for that allocation only.
 */
package dev.cellar.codec.json;
