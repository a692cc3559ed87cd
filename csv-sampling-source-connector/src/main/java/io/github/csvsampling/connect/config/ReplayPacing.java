package io.github.csvsampling.connect.config;

/** How replay maps data time to wall time ({@code replay.pacing}). */
public enum ReplayPacing {
    /** Each distinct time is one step; {@code replay.speed} steps per second (gaps such as weekends vanish). */
    STEPS,
    /** Data time runs {@code replay.speed} times faster than wall time (gaps are kept, shortened). */
    TIME
}
