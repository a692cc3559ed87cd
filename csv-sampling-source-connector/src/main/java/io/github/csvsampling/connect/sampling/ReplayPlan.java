package io.github.csvsampling.connect.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.csvsampling.connect.pacing.Pacer;

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
 * <p>Memory: the file's rows are grouped by time with a counting sort, so building holds an
 * {@code int} per row of the file and a few words per distinct time; the plan keeps an {@code int}
 * per row of the task, and a {@code long} and an {@code int} per distinct time. (Sorting the rows'
 * times directly took five {@code long}s a row, too much for 10 million rows in a 256 MB heap.)
 */
public final class ReplayPlan implements RowSampler {

    private final int[] order;
    /** Step {@code s} (the s-th distinct time) covers {@code order[stepStart[s]] .. order[stepStart[s + 1] - 1]}. */
    private final int[] stepStart;
    private final long[] distinctTimes;

    private ReplayPlan(int[] order, int[] stepStart, long[] distinctTimes) {
        this.order = order;
        this.stepStart = stepStart;
        this.distinctTimes = distinctTimes;
    }

    /**
     * Collects the time and key of every row, in file order, and then keeps this task's rows in time order. Holds
     * an {@code int} per row of the file while collecting.
     */
    public static final class Builder {
        private final int taskId;
        private final int taskCount;
        private final TimeIds ids = new TimeIds();
        /** Each row's time as an id in order of first appearance; -1 for rows of other tasks. */
        private final IntBlocks timeIdOfRow = new IntBlocks();

        /**
         * @param taskCount with 1, every row is the task's; with more, rows go to tasks by a hash of their key
         */
        public Builder(int taskId, int taskCount) {
            this.taskId = taskId;
            this.taskCount = taskCount;
        }

        /**
         * Adds the next row of the file. Every row's time counts, so that all tasks step through the same distinct
         * times.
         *
         * @param epochMillis the row's time
         * @param key         the row's key text (read during the call only); unused with a single task
         */
        public void add(long epochMillis, CharSequence key) {
            int id = ids.idOf(epochMillis);
            boolean mine = taskCount == 1 ? taskId == 0 : taskOf(key, taskCount) == taskId;
            timeIdOfRow.add(mine ? id : -1);
        }

        /**
         * Adds the rows of {@code later}, a builder of the same task given the rows that follow this one's in the
         * file, after this one's; {@code later} is not to be used afterwards.
         */
        public void append(Builder later) {
            int[] idHere = new int[later.ids.size];
            for (int id = 0; id < later.ids.size; id++) {
                idHere[id] = ids.idOf(later.ids.times[id]);
            }
            later.timeIdOfRow.remap(idHere);
            timeIdOfRow.append(later.timeIdOfRow);
        }

        public ReplayPlan build() {
            long rowCount = timeIdOfRow.size();
            if (rowCount > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("replay supports up to " + Integer.MAX_VALUE + " rows, the file has "
                        + rowCount);
            }
            long[] distinct = Arrays.copyOf(ids.times, ids.size);
            Arrays.sort(distinct);
            int[] stepOfId = new int[ids.size];
            for (int id = 0; id < ids.size; id++) {
                stepOfId[id] = Arrays.binarySearch(distinct, ids.times[id]);
            }
            // Counting sort by step, stable, so rows of one time stay in file order.
            int[] stepStart = new int[distinct.length + 1];
            timeIdOfRow.forEach((row, id) -> {
                if (id >= 0) {
                    stepStart[stepOfId[id] + 1]++;
                }
            });
            for (int step = 0; step < distinct.length; step++) {
                stepStart[step + 1] += stepStart[step];
            }
            int[] order = new int[stepStart[distinct.length]];
            int[] next = Arrays.copyOf(stepStart, distinct.length);
            timeIdOfRow.forEach((row, id) -> {
                if (id >= 0) {
                    order[next[stepOfId[id]]++] = (int) row;
                }
            });
            return new ReplayPlan(order, stepStart, distinct);
        }
    }

    /** The task a key's rows go to: a stable hash of the key's text ({@link String#hashCode()} of it). */
    public static int taskOf(CharSequence key, int taskCount) {
        int hash = 0;
        if (key != null) {
            for (int i = 0; i < key.length(); i++) {
                hash = 31 * hash + key.charAt(i);
            }
        }
        return (int) Math.floorMod(Seeds.mix64(hash), (long) taskCount);
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
            return k -> (long) Math.ceil(((k / rows) * stepsPerPass + stepOf((int) (k % rows))) * nanosPerStep);
        }
        long first = distinctTimes[0];
        long passMillis = distinctTimes[distinctTimes.length - 1] - first + smallestGapMillis();
        double nanosPerDataMilli = 1e6 / speed;
        return k -> (long) Math.ceil(((k / rows) * passMillis
                + distinctTimes[stepOf((int) (k % rows))] - first) * nanosPerDataMilli);
    }

    /** The step of {@code order[i]}: the last step starting at or before {@code i} (empty steps start where the next does). */
    private int stepOf(int i) {
        int low = 0;
        int high = stepStart.length - 2;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (stepStart[middle] <= i) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    private long smallestGapMillis() {
        long gap = Long.MAX_VALUE;
        for (int i = 1; i < distinctTimes.length; i++) {
            gap = Math.min(gap, distinctTimes[i] - distinctTimes[i - 1]);
        }
        return gap == Long.MAX_VALUE ? 86_400_000L : gap;
    }

    /**
     * Growable {@code int}s in blocks of up to 128 KiB: no copy of everything when growing, no humongous G1
     * objects, and the blocks of another one joined without copying.
     */
    private static final class IntBlocks {
        private static final int BLOCK_SIZE = 1 << 15;
        private final List<int[]> blocks = new ArrayList<>();
        /** How many values each block holds: all full but the last of each joined part. */
        private int[] used = new int[16];
        private int[] last;
        private int lastUsed = BLOCK_SIZE;
        private long size;

        void add(int value) {
            if (lastUsed == BLOCK_SIZE) {
                last = new int[BLOCK_SIZE];
                lastUsed = 0;
                addBlock(last, 0);
            }
            last[lastUsed++] = value;
            used[blocks.size() - 1] = lastUsed;
            size++;
        }

        private void addBlock(int[] block, int count) {
            if (blocks.size() == used.length) {
                used = Arrays.copyOf(used, used.length * 2);
            }
            used[blocks.size()] = count;
            blocks.add(block);
        }

        long size() {
            return size;
        }

        /** Replaces each value v at least 0 by {@code map[v]}. */
        void remap(int[] map) {
            for (int b = 0; b < blocks.size(); b++) {
                int[] block = blocks.get(b);
                for (int i = 0, n = used[b]; i < n; i++) {
                    if (block[i] >= 0) {
                        block[i] = map[block[i]];
                    }
                }
            }
        }

        void append(IntBlocks later) {
            for (int b = 0; b < later.blocks.size(); b++) {
                addBlock(later.blocks.get(b), later.used[b]);
            }
            size += later.size;
            last = later.last;
            lastUsed = later.lastUsed;
        }

        /** Each value with its index, in order. */
        void forEach(IndexedInt action) {
            long index = 0;
            for (int b = 0; b < blocks.size(); b++) {
                int[] block = blocks.get(b);
                for (int i = 0, n = used[b]; i < n; i++) {
                    action.accept(index++, block[i]);
                }
            }
        }

        @FunctionalInterface
        interface IndexedInt {
            void accept(long index, int value);
        }
    }

    /** Distinct times with an id each, in order of first appearance: an open-addressing hash of primitive longs. */
    private static final class TimeIds {
        private long[] times = new long[64];
        private int size;
        private int[] slots = new int[128]; // id + 1, 0 = empty
        /** The last time asked for and its id: rows of a time series often come several to a time. */
        private long lastTime;
        private int lastId = -1;

        int idOf(long time) {
            if (lastId >= 0 && time == lastTime) {
                return lastId;
            }
            lastTime = time;
            lastId = lookUp(time);
            return lastId;
        }

        private int lookUp(long time) {
            int mask = slots.length - 1;
            for (int slot = (int) Seeds.mix64(time) & mask; ; slot = (slot + 1) & mask) {
                int entry = slots[slot];
                if (entry == 0) {
                    return add(time, slot);
                }
                if (times[entry - 1] == time) {
                    return entry - 1;
                }
            }
        }

        private int add(long time, int slot) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
            }
            times[size] = time;
            slots[slot] = ++size;
            if (size * 2 > slots.length) {
                rehash();
            }
            return size - 1;
        }

        private void rehash() {
            slots = new int[slots.length * 2];
            int mask = slots.length - 1;
            for (int id = 0; id < size; id++) {
                int slot = (int) Seeds.mix64(times[id]) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = id + 1;
            }
        }
    }
}
