package io.github.csvsampling.connect.sampling;

/**
 * A pseudo-random permutation of {@code [0, size)} computed one element at a time, without storing
 * it: a four-round Feistel network over the smallest even number of bits that covers {@code size},
 * with cycle walking to stay inside the range. Each key gives a different, reproducible order.
 *
 * <p>This is what lets shuffle mode emit every row once per pass in a random order with constant
 * memory, and lets record {@code n} be computed directly when a task resumes. Because the Feistel
 * domain is less than four times {@code size}, {@link #apply} takes fewer than four walks on average.
 */
public final class FeistelPermutation {

    private static final int ROUNDS = 4;

    private final long size;
    private final long key;
    private final int halfBits;
    private final long halfMask;

    public FeistelPermutation(long size, long key) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
        this.size = size;
        this.key = key;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(size - 1));
        this.halfBits = (bits + 1) / 2;
        this.halfMask = (1L << halfBits) - 1;
    }

    /** The element at position {@code index} of the permutation, for {@code 0 <= index < size}. */
    public long apply(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
        long value = index;
        do {
            value = encrypt(value);
        } while (value >= size);
        return value;
    }

    private long encrypt(long value) {
        long left = value >>> halfBits;
        long right = value & halfMask;
        for (int round = 0; round < ROUNDS; round++) {
            long next = left ^ (Seeds.mix64(right ^ Seeds.mix64(key + round)) & halfMask);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }
}
