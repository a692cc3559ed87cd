package io.github.csvsampling.connect.sampling;

import java.util.Arrays;
import java.util.function.LongFunction;

import io.github.csvsampling.connect.pacing.Pacer;
import io.github.csvsampling.connect.schema.TemporalFormat;

/**
 * Replay: a task's rows in order of their time, and when each is due, so that the historical file
 * plays back as a live feed in which every series moves forward together.
 *
 * <p>Rows are assigned to tasks by a hash of their key (all rows of one key, such as one stock
 * index, go to one task, keeping each series ordered) and sorted by (time, file position). Record
 * {@code n} is row {@code order[n % rows]} of pass {@code n / rows}. Times are placed on the
 * distinct times of the whole file, not only the task's rows, so tasks stay aligned with each
 * other. Pass {@code p} is scheduled after pass {@code p - 1}, as if the data continued: in steps,
 * {@code p * distinctTimes}; in time, {@code p * (span + smallest gap)}.
 *
 * <p>Memory: a transient {@code long} per row of the file while building, then an {@code int} per
 * row of the task and a {@code long} per distinct time.
 */
public final class ReplayPlan implements RowSampler {

    private final int[] order;
    private final int[] stepOfOrder;
    private final long[] distinctTimes;

    private ReplayPlan(int[] order, int[] stepOfOrder, long[] distinctTimes) {
        this.order = order;
        this.stepOfOrder = stepOfOrder;
        this.distinctTimes = distinctTimes;
    }

    /**
     * Reads the time (and key) of every row and keeps this task's rows in time order.
     *
     * @param rows     reads data row {@code i} (0-based) as parsed fields
     * @param keyIndex the key column, or -1 when there is a single task
     */
    public static ReplayPlan build(long rowCount, LongFunction<String[]> rows, int timeIndex, TemporalFormat format,
                                   int keyIndex, int taskId, int taskCount) {
        if (rowCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("replay supports up to " + Integer.MAX_VALUE + " rows, the file has "
                    + rowCount);
        }
        long[] times = new long[(int) rowCount];
        boolean[] mine = new boolean[(int) rowCount];
        int count = 0;
        for (int row = 0; row < rowCount; row++) {
            String[] fields = rows.apply(row);
            times[row] = format.parseInstant(fields[timeIndex]).toEpochMilli();
            mine[row] = keyIndex < 0 ? taskId == 0 : taskOf(fields[keyIndex], taskCount) == taskId;
            count += mine[row] ? 1 : 0;
        }
        long[] distinct = Arrays.stream(times).sorted().distinct().toArray();
        long[] sortKeys = new long[count];
        int next = 0;
        for (int row = 0; row < rowCount; row++) {
            if (mine[row]) {
                sortKeys[next++] = ((long) Arrays.binarySearch(distinct, times[row]) << 32) | row;
            }
        }
        Arrays.sort(sortKeys);
        int[] order = new int[count];
        int[] stepOfOrder = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = (int) sortKeys[i];
            stepOfOrder[i] = (int) (sortKeys[i] >>> 32);
        }
        return new ReplayPlan(order, stepOfOrder, distinct);
    }

    /** The task a key's rows go to: a stable hash of the key's text. */
    public static int taskOf(String key, int taskCount) {
        return (int) Math.floorMod(Seeds.mix64(key == null ? 0 : key.hashCode()), (long) taskCount);
    }

    /** How many rows this task replays per pass; 0 when no key hashed to it. */
    public long rowsPerPass() {
        return order.length;
    }

    @Override
    public long rowAt(long sequence) {
        return order[(int) (sequence % order.length)];
    }

    /**
     * When each record is due.
     *
     * @param steps  true for one distinct time per {@code 1 / speed} seconds, false for data time
     *               running {@code speed} times faster than wall time
     */
    public Pacer.Schedule schedule(boolean steps, double speed) {
        int rows = order.length;
        if (steps) {
            long stepsPerPass = distinctTimes.length;
            double nanosPerStep = 1e9 / speed;
            return k -> (long) Math.ceil(((k / rows) * stepsPerPass + stepOfOrder[(int) (k % rows)]) * nanosPerStep);
        }
        long first = distinctTimes[0];
        long passMillis = distinctTimes[distinctTimes.length - 1] - first + smallestGapMillis();
        double nanosPerDataMilli = 1e6 / speed;
        return k -> (long) Math.ceil(((k / rows) * passMillis
                + distinctTimes[stepOfOrder[(int) (k % rows)]] - first) * nanosPerDataMilli);
    }

    private long smallestGapMillis() {
        long gap = Long.MAX_VALUE;
        for (int i = 1; i < distinctTimes.length; i++) {
            gap = Math.min(gap, distinctTimes[i] - distinctTimes[i - 1]);
        }
        return gap == Long.MAX_VALUE ? 86_400_000L : gap;
    }
}
