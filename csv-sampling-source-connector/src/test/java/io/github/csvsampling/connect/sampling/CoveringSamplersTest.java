package io.github.csvsampling.connect.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** Shuffle and sequential: every row once per pass, passes that follow each other, restarts that resume exactly. */
class CoveringSamplersTest {

    @Test
    void sequentialEmitsTheRangeInFileOrderAndLoops() {
        SequentialRowSampler sampler = new SequentialRowSampler(10, 3);

        assertThat(LongStream.range(0, 7).map(sampler::rowAt).toArray()).containsExactly(10, 11, 12, 10, 11, 12, 10);
    }

    @Test
    void shuffleEmitsEveryRowOncePerPassInANewOrderEachPass() {
        long size = 1000;
        ShuffleRowSampler sampler = new ShuffleRowSampler(99, 500, size);
        List<List<Long>> passes = new ArrayList<>();
        for (long pass = 0; pass < 3; pass++) {
            List<Long> rows = new ArrayList<>();
            for (long i = 0; i < size; i++) {
                rows.add(sampler.rowAt(pass * size + i));
            }
            passes.add(rows);
        }

        for (List<Long> pass : passes) {
            assertThat(new HashSet<>(pass)).hasSize((int) size);
            assertThat(pass).allSatisfy(row -> assertThat(row).isBetween(500L, 1499L));
            assertThat(pass).isNotEqualTo(LongStream.range(500, 1500).boxed().toList());
        }
        assertThat(passes.get(0)).isNotEqualTo(passes.get(1));
        assertThat(passes.get(1)).isNotEqualTo(passes.get(2));
    }

    @Test
    void shuffleIsAPureFunctionOfSeedAndSequence() {
        ShuffleRowSampler a = new ShuffleRowSampler(5, 0, 777);
        ShuffleRowSampler b = new ShuffleRowSampler(5, 0, 777);
        ShuffleRowSampler otherSeed = new ShuffleRowSampler(6, 0, 777);

        long[] fromStart = LongStream.range(0, 2000).map(a::rowAt).toArray();
        long[] resumedAt1234 = LongStream.range(1234, 2000).map(b::rowAt).toArray();
        assertThat(resumedAt1234).containsExactly(java.util.Arrays.copyOfRange(fromStart, 1234, 2000));
        assertThat(LongStream.range(0, 777).map(otherSeed::rowAt).toArray())
                .isNotEqualTo(java.util.Arrays.copyOf(fromStart, 777));
    }

    @Test
    void taskSharesOfAShuffleCoverTheFileWithoutOverlap() {
        long rows = 14_616;
        int tasks = 3;
        Set<Long> all = new HashSet<>();
        for (int task = 0; task < tasks; task++) {
            long first = rows * task / tasks;
            long share = rows * (task + 1) / tasks - first;
            ShuffleRowSampler sampler = new ShuffleRowSampler(Seeds.taskSeed(1, task), first, share);
            for (long i = 0; i < share; i++) {
                assertThat(all.add(sampler.rowAt(i))).isTrue();
            }
        }
        assertThat(all).hasSize((int) rows);
    }
}
