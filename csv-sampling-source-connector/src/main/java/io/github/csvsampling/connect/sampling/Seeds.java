package io.github.csvsampling.connect.sampling;

/**
 * Seed arithmetic shared by the samplers: a strong 64-bit mixer (SplitMix64's finaliser) used both to
 * derive one seed per task and to turn (seed, sequence) into a random draw without any state.
 *
 * <p>Being stateless is the point: record {@code n} of a task depends only on the task seed and
 * {@code n}, so a restarted task resumes at {@code n} without replaying what came before.
 */
public final class Seeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** SplitMix64's output function: a bijection on 64-bit values with good avalanche. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The seed of one task, derived from the connector seed so that tasks draw independent
     * sequences while the whole connector stays reproducible from one number.
     */
    public static long taskSeed(long connectorSeed, int taskId) {
        return mix64(connectorSeed ^ mix64(GOLDEN_GAMMA * (taskId + 1L)));
    }

    /** The {@code sequence}-th value of the random stream named by {@code seed}. */
    public static long draw(long seed, long sequence) {
        return mix64(seed + GOLDEN_GAMMA * (sequence + 1));
    }
}
