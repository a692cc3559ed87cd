package io.github.csvsampling.connect.sampling;

/**
 * Every row of the range exactly once per pass, in a random order that changes with each pass:
 * record {@code n} is in pass {@code n / size}, whose order is a {@link FeistelPermutation} keyed
 * by the seed and the pass number.
 */
public final class ShuffleRowSampler implements RowSampler {

    private final long seed;
    private final long firstRow;
    private final long size;

    /** Samples rows {@code firstRow} to {@code firstRow + size - 1}. */
    public ShuffleRowSampler(long seed, long firstRow, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
        this.seed = seed;
        this.firstRow = firstRow;
        this.size = size;
    }

    @Override
    public long rowAt(long sequence) {
        long pass = sequence / size;
        return firstRow + new FeistelPermutation(size, Seeds.draw(seed, pass)).apply(sequence % size);
    }
}
