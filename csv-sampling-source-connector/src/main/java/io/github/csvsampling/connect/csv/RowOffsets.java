package io.github.csvsampling.connect.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * The byte offset at which each data row starts, in fixed-size blocks so that growing to millions
 * of rows never copies the whole array (8 bytes a row, and no transient doubling).
 */
final class RowOffsets {

    private static final int BLOCK_BITS = 16;
    private static final int BLOCK_SIZE = 1 << BLOCK_BITS;

    private final List<long[]> blocks = new ArrayList<>();
    private long size;

    void add(long offset) {
        int slot = (int) (size & (BLOCK_SIZE - 1));
        if (slot == 0) {
            blocks.add(new long[BLOCK_SIZE]);
        }
        blocks.get(blocks.size() - 1)[slot] = offset;
        size++;
    }

    long get(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("row " + index + " of " + size);
        }
        return blocks.get((int) (index >>> BLOCK_BITS))[(int) (index & (BLOCK_SIZE - 1))];
    }

    long size() {
        return size;
    }
}
