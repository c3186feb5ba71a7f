/**
 * The Arrow codec: arrays, tables, lists of records and {@code VectorSchemaRoot}s as standard Arrow IPC
 * files. The only package importing Apache Arrow ({@code org.apache.arrow.*}, plus the flatbuffers
 * classes Arrow ships for its metadata). IPC metadata is written with Arrow's own serializers and
 * parsed in place with strict bounds checks; array bodies are streamed and bulk-copied, never built
 * element by element through Arrow vectors (that costs about a second per 800 MB here).
 */
package dev.cellar.codec.arrow;
