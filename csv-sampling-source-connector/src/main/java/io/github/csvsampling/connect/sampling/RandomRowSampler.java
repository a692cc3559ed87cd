package io.github.csvsampling.connect.sampling;

/**
 * Uniform sampling with replacement, the streaming equivalent of {@code df.sample(1)} in a loop:
 * every record independently picks any of the {@code rowCount} rows with equal probability.
 *
 * <p>The draw is {@code mix64(seed + gamma * (sequence + 1))} reduced modulo {@code rowCount}; the
 * modulo bias is at most {@code rowCount / 2^64}, far below anything observable.
 */
public final class RandomRowSampler implements RowSampler {

    private final long seed;
    private final long rowCount;

    public RandomRowSampler(long seed, long rowCount) {
        if (rowCount <= 0) {
            throw new IllegalArgumentException("rowCount must be positive, was " + rowCount);
        }
        this.seed = seed;
        this.rowCount = rowCount;
    }

    @Override
    public long rowAt(long sequence) {
        return Long.remainderUnsigned(Seeds.draw(seed, sequence), rowCount);
    }
}
