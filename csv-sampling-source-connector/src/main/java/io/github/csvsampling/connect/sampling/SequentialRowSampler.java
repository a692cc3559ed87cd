package io.github.csvsampling.connect.sampling;

/** The rows of a range in file order, starting over after the last one. */
public final class SequentialRowSampler implements RowSampler {

    private final long firstRow;
    private final long size;

    /** Samples rows {@code firstRow} to {@code firstRow + size - 1}. */
    public SequentialRowSampler(long firstRow, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
        this.firstRow = firstRow;
        this.size = size;
    }

    @Override
    public long rowAt(long sequence) {
        return firstRow + sequence % size;
    }
}
