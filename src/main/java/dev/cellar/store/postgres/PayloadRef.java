package dev.cellar.store.postgres;

/**
 * Where one payload of an entry lives: inline ({@code bytes}), as chunks of a blob in PostgreSQL, or as
 * an object in the blob store ({@code blob} is then the object's name, the SHA-256 of its bytes).
 */
record PayloadRef(String name, long size, int kind, String blob, String sha256, byte[] bytes) {
    static final int INLINE = 0;
    static final int CHUNKS = 1;
    static final int OBJECT = 2;
}
