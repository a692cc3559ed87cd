package io.github.csvsampling.connect.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RandomRowSamplerTest {

    @Test
    void theSameSeedAndSequenceGiveTheSameRow() {
        RandomRowSampler first = new RandomRowSampler(42, 14_616);
        RandomRowSampler second = new RandomRowSampler(42, 14_616);

        for (long sequence = 0; sequence < 10_000; sequence++) {
            assertThat(second.rowAt(sequence)).isEqualTo(first.rowAt(sequence));
        }
    }

    @Test
    void aRestartedSamplerResumesTheSameStream() {
        RandomRowSampler sampler = new RandomRowSampler(7, 1000);
        long[] firstRun = LongStream.range(0, 500).map(sampler::rowAt).toArray();

        RandomRowSampler restarted = new RandomRowSampler(7, 1000);
        long[] resumed = LongStream.range(250, 500).map(restarted::rowAt).toArray();

        assertThat(resumed).containsExactly(java.util.Arrays.copyOfRange(firstRun, 250, 500));
    }

    @Test
    void differentTaskSeedsGiveDifferentSequences() {
        long rows = 14_616;
        RandomRowSampler task0 = new RandomRowSampler(Seeds.taskSeed(42, 0), rows);
        RandomRowSampler task1 = new RandomRowSampler(Seeds.taskSeed(42, 1), rows);
        RandomRowSampler otherSeed = new RandomRowSampler(Seeds.taskSeed(43, 0), rows);

        int sameAsTask1 = 0;
        int sameAsOtherSeed = 0;
        int draws = 100_000;
        for (long sequence = 0; sequence < draws; sequence++) {
            long row = task0.rowAt(sequence);
            sameAsTask1 += row == task1.rowAt(sequence) ? 1 : 0;
            sameAsOtherSeed += row == otherSeed.rowAt(sequence) ? 1 : 0;
        }
        // Independent streams agree by chance about draws / rows = 6.8 times.
        assertThat(sameAsTask1).isLessThan(30);
        assertThat(sameAsOtherSeed).isLessThan(30);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 10, 14_616, 1L << 40, Long.MAX_VALUE})
    void rowsAreWithinTheFile(long rowCount) {
        RandomRowSampler sampler = new RandomRowSampler(-1, rowCount);

        for (long sequence = 0; sequence < 20_000; sequence++) {
            assertThat(sampler.rowAt(sequence)).isBetween(0L, rowCount - 1);
        }
    }

    @Test
    void aOneRowFileAlwaysGivesThatRow() {
        RandomRowSampler sampler = new RandomRowSampler(Long.MIN_VALUE, 1);

        assertThat(LongStream.range(0, 1000).map(sampler::rowAt)).containsOnly(0L);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 42L, -7L, Long.MAX_VALUE})
    void rowsAreUniform(long seed) {
        int buckets = 10;
        int draws = 100_000;
        RandomRowSampler sampler = new RandomRowSampler(seed, buckets);
        long[] counts = new long[buckets];
        for (long sequence = 0; sequence < draws; sequence++) {
            counts[(int) sampler.rowAt(sequence)]++;
        }

        double expected = (double) draws / buckets;
        double chiSquare = 0;
        for (long count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // 9 degrees of freedom: P(chi-square > 40) is about 7e-6.
        assertThat(chiSquare).isLessThan(40);
    }

    @Test
    void rowsOfALargeFileAreUniformAcrossItsRange() {
        // Large row counts must not favour the start of the file (no modulo or sign bias).
        long rowCount = 3_000_000_000L;
        RandomRowSampler sampler = new RandomRowSampler(5, rowCount);
        int buckets = 10;
        long[] counts = new long[buckets];
        int draws = 100_000;
        for (long sequence = 0; sequence < draws; sequence++) {
            counts[(int) (sampler.rowAt(sequence) / (rowCount / buckets))]++;
        }
        double expected = (double) draws / buckets;
        double chiSquare = 0;
        for (long count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        assertThat(chiSquare).isLessThan(40);
    }

    @Test
    void consecutiveRowsAreIndependent() {
        // Serial test: pairs (row n, row n+1) over 4 x 4 cells are uniform as well.
        RandomRowSampler sampler = new RandomRowSampler(2024, 4);
        long[][] counts = new long[4][4];
        int pairs = 100_000;
        long previous = sampler.rowAt(0);
        for (long sequence = 1; sequence <= pairs; sequence++) {
            long row = sampler.rowAt(sequence);
            counts[(int) previous][(int) row]++;
            previous = row;
        }
        double expected = pairs / 16.0;
        double chiSquare = 0;
        for (long[] line : counts) {
            for (long count : line) {
                chiSquare += (count - expected) * (count - expected) / expected;
            }
        }
        // 15 degrees of freedom (conservatively): P(chi-square > 50) is below 1e-5.
        assertThat(chiSquare).isLessThan(50);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void rowCountMustBePositive(long rowCount) {
        assertThatThrownBy(() -> new RandomRowSampler(1, rowCount))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowCount")
                .hasMessageContaining(Long.toString(rowCount));
    }
}
