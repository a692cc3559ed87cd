package io.github.csvsampling.connect.config;

/** How each record picks the row it carries ({@code sampling.mode}). */
public enum SamplingMode {
    /** Uniform with replacement: every record picks any row with equal probability. */
    RANDOM,
    /** Every row exactly once per pass, in a seeded random order that changes with each pass. */
    SHUFFLE,
    /** Rows in file order, starting over after the last. */
    SEQUENTIAL,
    /** Rows in order of a time column, paced by data time, rows of equal time together. */
    REPLAY
}
