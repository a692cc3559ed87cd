package io.github.csvsampling.connect.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FeistelPermutationTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 7, 8, 13, 100, 1023, 1024, 1025, 14_616, 104_224})
    void isABijectionOnItsRange(long size) {
        FeistelPermutation permutation = new FeistelPermutation(size, 42);
        BitSet seen = new BitSet((int) size);
        for (long i = 0; i < size; i++) {
            long value = permutation.apply(i);
            assertThat(value).isBetween(0L, size - 1);
            assertThat(seen.get((int) value)).as("value %d appears twice", value).isFalse();
            seen.set((int) value);
        }
        assertThat(seen.cardinality()).isEqualTo((int) size);
    }

    @Test
    void differentKeysGiveDifferentOrdersAndTheSameKeyTheSameOrder() {
        long[] a = order(1000, 1);
        long[] b = order(1000, 2);
        assertThat(a).isNotEqualTo(b).isEqualTo(order(1000, 1));
    }

    @Test
    void looksShuffled() {
        long[] order = order(10_000, 7);
        int fixedPoints = 0;
        int ascendingPairs = 0;
        for (int i = 0; i < order.length; i++) {
            fixedPoints += order[i] == i ? 1 : 0;
            ascendingPairs += i > 0 && order[i] == order[i - 1] + 1 ? 1 : 0;
        }
        assertThat(fixedPoints).as("a random permutation has about 1 fixed point").isLessThan(10);
        assertThat(ascendingPairs).as("few consecutive runs").isLessThan(10);
    }

    @Test
    void rejectsIndexesOutsideTheRange() {
        FeistelPermutation permutation = new FeistelPermutation(10, 1);
        assertThatThrownBy(() -> permutation.apply(10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> permutation.apply(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new FeistelPermutation(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static long[] order(int size, long key) {
        FeistelPermutation permutation = new FeistelPermutation(size, key);
        long[] order = new long[size];
        for (int i = 0; i < size; i++) {
            order[i] = permutation.apply(i);
        }
        return order;
    }
}
