package io.github.csvsampling.connect.config;

/** What replay does after the last row ({@code replay.end}). */
public enum ReplayEnd {
    /** Start again from the first time, shifted to continue after the last, so time keeps moving forward. */
    LOOP,
    /** Stay RUNNING and idle, like a task that reached its share of max.records. */
    STOP
}
