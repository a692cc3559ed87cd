package io.github.csvsampling.connect.csv;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Random read access to the bytes of a CSV file or of the bundled sample. Rows are read back by
 * byte offset, so the connector keeps offsets, not parsed copies of rows, in memory.
 */
public interface ByteSource extends Closeable {

    /** What users call this source in messages: the file path or the bundled sample's label. */
    String name();

    /** The size in bytes when the source was opened; bytes past it are never read. */
    long size();

    /**
     * Reads bytes starting at {@code position} into {@code target} until it is full or the size is
     * reached.
     *
     * @return the number of bytes read, 0 at the end
     * @throws IOException when the underlying file can no longer be read as it was when opened
     */
    int read(long position, ByteBuffer target) throws IOException;

    /**
     * Checks that the bytes loaded at start can still be read as they were. Changes that leave them
     * intact (bytes appended, the file deleted or replaced by another, while this one stays open) are
     * reported once through {@code warning}; the loaded content keeps being served.
     *
     * @throws IOException naming the file when the loaded bytes were truncated or rewritten
     */
    default void checkUnchanged(java.util.function.Consumer<String> warning) throws IOException {
    }
}
