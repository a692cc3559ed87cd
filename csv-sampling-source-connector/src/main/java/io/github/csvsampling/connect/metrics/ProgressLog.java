package io.github.csvsampling.connect.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The task's periodic INFO line, so that a worker log alone shows whether a task keeps its rate:
 *
 * <pre>
 * Task 0 of 2 [stock-quotes]: 12,345 records (next sequence 12345), 10.0/s of 10.0/s target, 3 ms behind schedule
 * </pre>
 *
 * <p>The rate is the average since the previous line, so consecutive lines account for every
 * record. One final line, with the average over the whole run, reports completing
 * {@code max.records} or stopping, whichever comes first; nothing is written after it. Numbers are
 * formatted the same in every locale.
 *
 * <p>Not thread-safe: it belongs to the task thread.
 */
public final class ProgressLog {

    /** How often a running task reports, unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    /** The numbers a line reports; {@link TaskMetrics#progress()} provides them. */
    public record Progress(long recordsEmitted, long nextSequence, double targetRate, long scheduleLagNanos,
            long malformedRowsSkipped, boolean completed) {
    }

    private final String label;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastNanos;
    private long lastRecords;
    private boolean finished;

    /**
     * @param nanoClock a monotonic clock, {@code System::nanoTime} outside tests; the first line is
     *                  due {@code interval} after construction
     */
    public ProgressLog(String connectorName, int taskId, int taskCount, Duration interval, LongSupplier nanoClock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("The progress log interval must be positive, was " + interval);
        }
        this.label = "Task " + taskId + " of " + taskCount + " [" + connectorName + "]";
        this.intervalNanos = interval.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.startNanos = nanoClock.getAsLong();
        this.lastNanos = startNanos;
    }

    /**
     * Writes a progress line if an interval has passed since the previous one; cheap otherwise (one
     * clock read), so it can be called on every poll.
     *
     * @return whether a line was written
     */
    public boolean maybeLog(Consumer<String> sink, Supplier<Progress> progress) {
        if (finished) {
            return false;
        }
        long now = nanoClock.getAsLong();
        if (now - lastNanos < intervalNanos) {
            return false;
        }
        Progress p = progress.get();
        double rate = rate(p.recordsEmitted() - lastRecords, now - lastNanos);
        sink.accept(label + ": " + counts(p) + ", " + rates(rate, p.targetRate()) + ", " + lag(p.scheduleLagNanos())
                + malformed(p));
        lastNanos = now;
        lastRecords = p.recordsEmitted();
        return true;
    }

    /**
     * Writes the final line, once: "completed max.records" when {@link Progress#completed()}, else
     * "stopping". Call it when the task completes and again in {@code stop()}; only the first call writes.
     *
     * @return whether a line was written
     */
    public boolean logFinal(Consumer<String> sink, Progress p) {
        if (finished) {
            return false;
        }
        finished = true;
        long elapsed = nanoClock.getAsLong() - startNanos;
        sink.accept(label + (p.completed() ? " completed max.records: " : " stopping: ") + counts(p) + " in "
                + duration(elapsed) + ", " + rates(rate(p.recordsEmitted(), elapsed), p.targetRate()) + malformed(p)
                + (p.completed() ? "; idle until stopped or reconfigured" : ""));
        return true;
    }

    private static String counts(Progress p) {
        return String.format(Locale.ROOT, "%,d records (next sequence %d)", p.recordsEmitted(), p.nextSequence());
    }

    private static String rates(double rate, double target) {
        return rate(rate) + " of " + rate(target) + " target";
    }

    private static String malformed(Progress p) {
        long skipped = p.malformedRowsSkipped();
        return skipped == 0 ? "" : String.format(Locale.ROOT, ", %,d malformed %s skipped", skipped,
                skipped == 1 ? "row" : "rows");
    }

    private static double rate(long records, long nanos) {
        return nanos <= 0 ? 0 : records * 1e9 / nanos;
    }

    /** Two to four significant digits: 12,345/s, 10.0/s, 0.500/s. */
    static String rate(double perSecond) {
        if (perSecond == 0) {
            return "0/s";
        }
        String pattern = perSecond >= 100 ? "%,.0f/s" : perSecond >= 1 ? "%.1f/s" : "%.3f/s";
        return String.format(Locale.ROOT, pattern, perSecond);
    }

    static String lag(long nanos) {
        long millis = nanos / 1_000_000;
        if (millis < 1) {
            return "on schedule";
        }
        if (millis < 1_000) {
            return millis + " ms behind schedule";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s behind schedule", millis / 1000.0);
        }
        return duration(nanos) + " behind schedule";
    }

    /** 45s, 1m40s, 2h03m, 3d04h. */
    static String duration(long nanos) {
        long seconds = Math.max(0, nanos) / 1_000_000_000L;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3_600, seconds % 3_600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", seconds / 86_400, seconds % 86_400 / 3_600);
    }
}
