package io.github.csvsampling.connect.pacing;

import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * When each record of a task is due. A {@link Schedule} says how many nanoseconds after the start
 * of the stream record {@code k} is due ({@code k / rate} for a fixed rate, data time over speed for
 * a replay); the pacer anchors it to the clock when the task starts or resumes.
 *
 * <p>Times are derived from the sequence number, never accumulated, so the long-run rate does not
 * drift however long the task runs. Precision in practice is bounded by how promptly the caller
 * wakes up, which it learns from {@link #nanosUntilDue(long)}.
 *
 * <p>After a stall (a slow broker, a paused task, a long GC) the schedule would demand a burst of
 * every missed record. The pacer bounds that: when the next record is more than
 * {@code maxCatchUpNanos} late, the schedule is moved forward so that only records within
 * {@code maxCatchUpNanos} of schedule time remain due at once (at a fixed rate, at most
 * {@code 1 + rate * maxCatchUpNanos / 1e9}); the rest are not skipped, they are emitted later.
 *
 * <p>Not thread-safe: it belongs to the task thread.
 */
public final class Pacer {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    /** Nanoseconds from the start of the stream to when record {@code k} is due; never decreasing in {@code k}. */
    @FunctionalInterface
    public interface Schedule extends LongUnaryOperator {
    }

    private final Schedule schedule;
    private final LongSupplier nanoClock;
    private final long maxCatchUpNanos;
    private long anchorNanos;
    private long anchorOffset;

    /** A fixed rate: record {@code k} due {@code ceil(k / rate)} seconds after the start. */
    public Pacer(double recordsPerSecond, long maxCatchUpNanos, LongSupplier nanoClock, long firstSequence) {
        this(fixedRate(recordsPerSecond), maxCatchUpNanos, nanoClock, firstSequence);
    }

    /**
     * @param schedule        when each record is due, relative to the stream's start
     * @param maxCatchUpNanos the largest schedule lag made up by emitting faster than the schedule
     * @param nanoClock       a monotonic clock, {@code System::nanoTime} outside tests
     * @param firstSequence   the sequence number due right now
     */
    public Pacer(Schedule schedule, long maxCatchUpNanos, LongSupplier nanoClock, long firstSequence) {
        if (maxCatchUpNanos < 0) {
            throw new IllegalArgumentException("maxCatchUpNanos must not be negative, was " + maxCatchUpNanos);
        }
        this.schedule = schedule;
        this.nanoClock = nanoClock;
        this.maxCatchUpNanos = maxCatchUpNanos;
        this.anchorNanos = nanoClock.getAsLong();
        this.anchorOffset = schedule.applyAsLong(firstSequence);
    }

    /** The schedule of a fixed rate in records per second, positive and finite. */
    public static Schedule fixedRate(double recordsPerSecond) {
        if (!(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond)) {
            throw new IllegalArgumentException("recordsPerSecond must be positive and finite, was " + recordsPerSecond);
        }
        double periodNanos = NANOS_PER_SECOND / recordsPerSecond;
        return k -> (long) Math.ceil(k * periodNanos);
    }

    /** How many records, starting at {@code nextSequence}, are due now (after applying the catch-up bound). */
    public long dueCount(long nextSequence) {
        return dueCount(nextSequence, Long.MAX_VALUE);
    }

    /** Like {@link #dueCount(long)}, counting no further than {@code limit}. */
    public long dueCount(long nextSequence, long limit) {
        long now = nanoClock.getAsLong();
        if (now - scheduledNanos(nextSequence) > maxCatchUpNanos) {
            anchorOffset = schedule.applyAsLong(nextSequence);
            anchorNanos = now - maxCatchUpNanos;
        }
        long count = 0;
        while (count < limit && scheduledNanos(nextSequence + count) <= now) {
            count++;
        }
        return count;
    }

    /** Nanoseconds from now until {@code nextSequence} is due; zero or negative when it already is. */
    public long nanosUntilDue(long nextSequence) {
        return scheduledNanos(nextSequence) - nanoClock.getAsLong();
    }

    private long scheduledNanos(long sequence) {
        return anchorNanos + (schedule.applyAsLong(sequence) - anchorOffset);
    }
}
