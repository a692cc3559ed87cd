package io.github.csvsampling.connect.config;

/** How each record picks the row it carries ({@code sampling.mode}). */
public enum SamplingMode {
    /** Uniform with replacement: every record picks any row with equal probability. */
    RANDOM
}
