package io.github.csvsampling.connect.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * The byte offset at which each data row starts, in fixed-size blocks so that growing to millions
 * of rows never copies the whole array (8 bytes a row, and no transient doubling). Offsets of
 * consecutive stretches of a file, indexed by different threads, are joined without copying
 * ({@link #concat}).
 */
final class RowOffsets {

    // 2^15 longs = 256 KiB a block. Not 2^16: a 512 KiB array is a "humongous" object for G1 with
    // 1 MiB regions (heaps up to 2 GiB), which gets a region to itself, so half of every region was
    // wasted and 10 million rows took 160 MB instead of 80 MB.
    private static final int BLOCK_BITS = 15;
    private static final int BLOCK_SIZE = 1 << BLOCK_BITS;

    private final List<long[]> blocks = new ArrayList<>();
    private long size;
    /** The parts this was joined from, and the index of each part's first row; null when not joined. */
    private RowOffsets[] parts;
    private long[] partStarts;

    void add(long offset) {
        if (parts != null) {
            throw new IllegalStateException("joined offsets take no more rows");
        }
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
        if (parts != null) {
            int part = parts.length - 1;
            while (partStarts[part] > index) {
                part--;
            }
            return parts[part].get(index - partStarts[part]);
        }
        return blocks.get((int) (index >>> BLOCK_BITS))[(int) (index & (BLOCK_SIZE - 1))];
    }

    long size() {
        return size;
    }

    /** The offsets of {@code parts} one after the other, sharing their blocks. */
    static RowOffsets concat(List<RowOffsets> parts) {
        List<RowOffsets> kept = parts.stream().filter(p -> p.size > 0).toList();
        if (kept.size() <= 1) {
            return kept.isEmpty() ? parts.get(0) : kept.get(0);
        }
        RowOffsets joined = new RowOffsets();
        joined.parts = kept.toArray(new RowOffsets[0]);
        joined.partStarts = new long[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            joined.partStarts[i] = joined.size;
            joined.size += kept.get(i).size;
        }
        return joined;
    }
}
