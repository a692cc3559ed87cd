package io.github.csvsampling.connect.pacing;

import java.util.function.LongSupplier;

/**
 * The emission schedule of one task: record {@code k} is due at {@code anchor + (k - anchorSequence) / rate}.
 *
 * <p>Times are derived from the sequence number, never accumulated, so the long-run rate does not
 * drift however long the task runs (the schedule error stays below one nanosecond per record plus
 * double rounding, about 1e-16 of the elapsed time). Precision in practice is bounded by how
 * promptly the caller wakes up, which it learns from {@link #nanosUntilDue(long)}.
 *
 * <p>After a stall (a slow broker, a paused task, a long GC) the schedule would demand a burst of
 * every missed record. The pacer bounds that: when the next record is more than
 * {@code maxCatchUpNanos} late, the schedule is moved forward so that only {@code maxCatchUpNanos}
 * worth of records (at most {@code 1 + rate * maxCatchUpNanos / 1e9} records) remain due at once; the
 * rest are not skipped, they are simply emitted later.
 *
 * <p>Not thread-safe: it belongs to the task thread.
 */
public final class Pacer {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final LongSupplier nanoClock;
    private final long maxCatchUpNanos;
    private final double periodNanos;
    private long anchorNanos;
    private long anchorSequence;

    /**
     * @param recordsPerSecond target rate of this task, positive, fractional allowed
     * @param maxCatchUpNanos  the largest schedule lag made up by emitting faster than the rate
     * @param nanoClock        a monotonic clock, {@code System::nanoTime} outside tests
     * @param firstSequence    the sequence number due right now
     */
    public Pacer(double recordsPerSecond, long maxCatchUpNanos, LongSupplier nanoClock, long firstSequence) {
        if (maxCatchUpNanos < 0) {
            throw new IllegalArgumentException("maxCatchUpNanos must not be negative, was " + maxCatchUpNanos);
        }
        this.nanoClock = nanoClock;
        this.maxCatchUpNanos = maxCatchUpNanos;
        this.periodNanos = periodNanos(recordsPerSecond);
        this.anchorNanos = nanoClock.getAsLong();
        this.anchorSequence = firstSequence;
    }

    /**
     * How many records, starting at {@code nextSequence}, are due now. Applies the catch-up bound
     * first, so the answer never exceeds {@code 1 + maxCatchUp * rate}.
     */
    public long dueCount(long nextSequence) {
        long now = nanoClock.getAsLong();
        long lateBy = now - scheduledNanos(nextSequence);
        if (lateBy > maxCatchUpNanos) {
            anchorSequence = nextSequence;
            anchorNanos = now - maxCatchUpNanos;
        }
        long lastDue = anchorSequence + (long) Math.floor((now - anchorNanos) / periodNanos);
        // The division above and the multiplication in scheduledNanos round differently, which could
        // leave a record due by nanosUntilDue but not counted here; settle on scheduledNanos.
        while (scheduledNanos(lastDue + 1) <= now) {
            lastDue++;
        }
        while (lastDue >= anchorSequence && scheduledNanos(lastDue) > now) {
            lastDue--;
        }
        return Math.max(0, lastDue - nextSequence + 1);
    }

    /** Nanoseconds from now until {@code nextSequence} is due; zero or negative when it already is. */
    public long nanosUntilDue(long nextSequence) {
        return scheduledNanos(nextSequence) - nanoClock.getAsLong();
    }

    private long scheduledNanos(long sequence) {
        return anchorNanos + (long) Math.ceil((sequence - anchorSequence) * periodNanos);
    }

    private static double periodNanos(double recordsPerSecond) {
        if (!(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond)) {
            throw new IllegalArgumentException("recordsPerSecond must be positive and finite, was " + recordsPerSecond);
        }
        return NANOS_PER_SECOND / recordsPerSecond;
    }
}
