package io.github.csvsampling.connect.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * The byte offset at which each data row starts, in fixed-size blocks so that growing to millions
 * of rows never copies the whole array (8 bytes a row, and no transient doubling).
 */
final class RowOffsets {

    // 2^15 longs = 256 KiB a block. Not 2^16: a 512 KiB array is a "humongous" object for G1 with
    // 1 MiB regions (heaps up to 2 GiB), which gets a region to itself, so half of every region was
    // wasted and 10 million rows took 160 MB instead of 80 MB.
    private static final int BLOCK_BITS = 15;
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
