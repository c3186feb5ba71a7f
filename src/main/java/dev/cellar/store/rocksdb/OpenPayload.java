package dev.cellar.store.rocksdb;

import dev.cellar.StoreException;
import java.nio.ByteBuffer;

/**
 * One payload of an opened entry: its bytes, or why they cannot be read (a missing or truncated blob
 * file). Damage is kept as a value rather than thrown at open, so that the entry still opens and the
 * core learns which payload is damaged when it reads it, and treats the entry as a miss.
 */
sealed interface OpenPayload {
    /**
     * A fresh view of the bytes.
     *
     * @throws StoreException saying what is wrong if the payload cannot be read
     */
    ByteBuffer read();

    /**
     * A read-only buffer: inline bytes ({@code file} null) or a memory-mapped blob file, which bulk
     * copies read instead of faulting its pages in ({@link RocksEntry#read}).
     */
    record Bytes(ByteBuffer buffer, java.nio.file.Path file) implements OpenPayload {
        @Override
        public ByteBuffer read() {
            return buffer.duplicate();
        }
    }

    /** A payload whose file is missing, has the wrong length, or cannot be read. */
    record Unreadable(String problem) implements OpenPayload {
        @Override
        public ByteBuffer read() {
            throw new StoreException(problem);
        }
    }
}
