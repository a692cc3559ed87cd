package io.github.csvsampling.connect.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SeedsTest {

    /**
     * Record n of a task must stay the same row across connector versions, or a task restarted after
     * an upgrade would continue a different stream. These are SplitMix64's published first outputs for
     * seed 0, which {@code draw} reproduces.
     */
    @Test
    void drawIsSplitMix64AndPinned() {
        assertThat(Seeds.draw(0, 0)).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(Seeds.draw(0, 1)).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(Seeds.draw(0, 2)).isEqualTo(0x06C45D188009454FL);
    }

    /** Likewise, a task's seed must stay what it was, or resumed tasks would switch streams. */
    @Test
    void taskSeedsArePinned() {
        assertThat(Seeds.taskSeed(42, 0)).isEqualTo(0x4579B960BB007F46L);
        assertThat(Seeds.taskSeed(42, 1)).isEqualTo(0xDB6685C74BCFF7FDL);
    }

    @Test
    void mix64IsABijectionOnASample() {
        Set<Long> outputs = new HashSet<>();
        for (long z = -50_000; z < 50_000; z++) {
            outputs.add(Seeds.mix64(z));
        }
        assertThat(outputs).hasSize(100_000);
        assertThat(Seeds.mix64(0)).isZero();
    }

    @Test
    void mix64Avalanches() {
        // Flipping one input bit flips about half of the output bits.
        long totalFlipped = 0;
        int samples = 0;
        for (long z = 1; z < 2_000; z += 7) {
            for (int bit = 0; bit < 64; bit++) {
                totalFlipped += Long.bitCount(Seeds.mix64(z) ^ Seeds.mix64(z ^ (1L << bit)));
                samples++;
            }
        }
        assertThat((double) totalFlipped / samples).isBetween(31.0, 33.0);
    }

    @Test
    void drawsAreDeterministicAndStateless() {
        long seed = 123_456_789L;
        long[] forward = new long[1000];
        for (int i = 0; i < forward.length; i++) {
            forward[i] = Seeds.draw(seed, i);
        }
        for (int i = forward.length - 1; i >= 0; i--) {
            assertThat(Seeds.draw(seed, i)).isEqualTo(forward[i]);
        }
    }

    @Test
    void tasksOfOneConnectorGetDistinctSeeds() {
        Set<Long> seeds = new HashSet<>();
        for (int task = 0; task < 1000; task++) {
            seeds.add(Seeds.taskSeed(7, task));
        }
        assertThat(seeds).hasSize(1000);
    }

    @Test
    void connectorSeedsGiveDistinctTaskSeeds() {
        Set<Long> seeds = new HashSet<>();
        for (long connectorSeed = 0; connectorSeed < 1000; connectorSeed++) {
            seeds.add(Seeds.taskSeed(connectorSeed, 0));
        }
        assertThat(seeds).hasSize(1000);
        assertThat(Seeds.taskSeed(1, 0)).isNotEqualTo(Seeds.taskSeed(0, 1));
    }

    @Test
    void neighbouringTaskStreamsDoNotOverlap() {
        // A task's stream must not be a shifted copy of another's.
        Set<Long> task0 = new HashSet<>();
        long seed0 = Seeds.taskSeed(99, 0);
        long seed1 = Seeds.taskSeed(99, 1);
        for (int i = 0; i < 10_000; i++) {
            task0.add(Seeds.draw(seed0, i));
        }
        int shared = 0;
        for (int i = 0; i < 10_000; i++) {
            shared += task0.contains(Seeds.draw(seed1, i)) ? 1 : 0;
        }
        assertThat(shared).isZero();
    }
}
