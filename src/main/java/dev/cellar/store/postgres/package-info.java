/**
 * The shared tier's store on PostgreSQL ({@link dev.cellar.store.postgres.PostgresDataStore}). The only
 * package importing {@code java.sql} and the PostgreSQL driver; it may import the vocabulary of {@code dev.cellar},
 * {@code dev.cellar.store} and the JDK. Large payloads go to a {@link dev.cellar.store.BlobStore} when
 * one is given, else into chunk rows.
 *
 * <p>Tables ({@code Schema}, version in {@code cellar_schema}): {@code cellar_entries} (key, name,
 * manifest, size, times, usage), {@code cellar_payloads} (per payload: inline bytes, or a blob id, with
 * size and SHA-256), {@code cellar_blobs} (every large payload, with a touch time that protects it from
 * collection), {@code cellar_chunks} (1 MiB pieces of payloads kept in PostgreSQL),
 * {@code cellar_totals} (hits, misses, saved time, and the total size of entries, kept by a trigger),
 * {@code cellar_leases} (single flight).
 *
 * <p>Write: payloads stream out as they are written (objects are spooled to a temporary file first,
 * since an object is named by its digest); then one transaction replaces the entry's rows. Read: one
 * query returns the entry and its payload references; large payloads are downloaded on first use,
 * checked against their SHA-256 and memory-mapped. Credentials: the password is taken from the URL,
 * {@code PGPASSWORD} or {@code ~/.pgpass} and scrubbed from every message; driver exceptions are not
 * chained, because they can quote connection properties.
 */
package dev.cellar.store.postgres;
