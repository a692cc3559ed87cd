package io.github.csvsampling.connect;

import java.util.Locale;

import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;
import io.github.csvsampling.connect.config.ReplayEnd;
import io.github.csvsampling.connect.config.ReplayPacing;
import io.github.csvsampling.connect.config.SamplingMode;
import io.github.csvsampling.connect.csv.CsvDataset;
import io.github.csvsampling.connect.pacing.Pacer;
import io.github.csvsampling.connect.sampling.RandomRowSampler;
import io.github.csvsampling.connect.sampling.ReplayPlan;
import io.github.csvsampling.connect.sampling.RowSampler;
import io.github.csvsampling.connect.sampling.Seeds;
import io.github.csvsampling.connect.sampling.SequentialRowSampler;
import io.github.csvsampling.connect.sampling.ShuffleRowSampler;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * What one task emits and when, per {@code sampling.mode}: which row record {@code n} carries, when
 * it is due, the sequence number at which the task stops (its share of {@code max.records}, the
 * end of a non-looping replay, or 0 when the task got no rows), and its average target rate.
 *
 * <p>random: all rows, with the task's own seed. shuffle and sequential: the task's contiguous
 * share of the rows ({@code [id * rows / tasks, (id + 1) * rows / tasks)}), so tasks never emit
 * the same row in a pass. replay: the rows whose key hashes to the task, in time order.
 */
record SamplingPlan(RowSampler sampler, Pacer.Schedule schedule, long endSequence, double targetRate,
                    String description) {

    /**
     * @param replay for {@code sampling.mode=replay}: what the dataset handed every row's time and key to while
     *               loading (see {@link #replayRows}); null in other modes
     */
    static SamplingPlan forTask(CsvSamplingSourceTaskConfig config, CsvDataset dataset, long connectorSeed,
                                ReplayRows replay) {
        long taskSeed = Seeds.taskSeed(connectorSeed, config.taskId());
        long rows = dataset.rowCount();
        long first = rows * config.taskId() / config.taskCount();
        long share = rows * (config.taskId() + 1) / config.taskCount() - first;
        long maxRecords = config.taskMaxRecords();
        double perSecond = config.taskRecordsPerSecond();
        Pacer.Schedule rate = Pacer.fixedRate(perSecond);
        String ratePart = String.format(Locale.ROOT, "at %s records/s", config.taskRecordsPerSecond());
        switch (config.samplingMode()) {
            case SHUFFLE:
                return share == 0 ? idle("no rows (more tasks than rows)")
                        : new SamplingPlan(new ShuffleRowSampler(taskSeed, first, share), rate, maxRecords, perSecond,
                        "shuffle of rows " + (first + 1) + "-" + (first + share) + " " + ratePart);
            case SEQUENTIAL:
                return share == 0 ? idle("no rows (more tasks than rows)")
                        : new SamplingPlan(new SequentialRowSampler(first, share), rate, maxRecords, perSecond,
                        "rows " + (first + 1) + "-" + (first + share) + " in order " + ratePart);
            case REPLAY:
                return replay(config, dataset, replay, maxRecords);
            default:
                return new SamplingPlan(new RandomRowSampler(taskSeed, rows), rate, maxRecords, perSecond,
                        "random rows of " + rows + " " + ratePart);
        }
    }

    /**
     * What the dataset is to hand rows to while loading, for {@code sampling.mode=replay}: a builder of this task's
     * replay order, or null in other modes.
     */
    static ReplayRows replayRows(CsvSamplingSourceTaskConfig config) {
        return config.samplingMode() == SamplingMode.REPLAY ? new ReplayRows(config.taskId(), config.taskCount())
                : null;
    }

    /** A task's replay order as the dataset hands it the rows, in stretches when it loads with several threads. */
    static final class ReplayRows implements CsvDataset.ReplayRows {
        private final int taskId;
        private final int taskCount;
        private final ReplayPlan.Builder builder;

        ReplayRows(int taskId, int taskCount) {
            this.taskId = taskId;
            this.taskCount = taskCount;
            this.builder = new ReplayPlan.Builder(taskId, taskCount);
        }

        @Override
        public void row(long epochMillis, CharSequence key) {
            builder.add(epochMillis, key);
        }

        @Override
        public CsvDataset.ReplayRows forLaterRows() {
            return new ReplayRows(taskId, taskCount);
        }

        @Override
        public void append(CsvDataset.ReplayRows later) {
            builder.append(((ReplayRows) later).builder);
        }
    }

    private static SamplingPlan replay(CsvSamplingSourceTaskConfig config, CsvDataset dataset,
                                       ReplayRows replay, long maxRecords) {
        if (config.taskCount() > 1 && dataset.keyColumn().isEmpty()) {
            throw new ConnectException("sampling.mode=replay with several tasks needs key.column; set it or"
                    + " tasks.max=1");
        }
        ReplayPlan plan = replay.builder.build();
        if (plan.rowsPerPass() == 0) {
            return idle("no rows (no key hashed to this task)");
        }
        boolean steps = config.replayPacing() == ReplayPacing.STEPS;
        long end = config.replayEnd() == ReplayEnd.STOP ? Math.min(maxRecords, plan.rowsPerPass()) : maxRecords;
        Pacer.Schedule schedule = plan.schedule(steps, config.replaySpeed());
        double averageRate = plan.rowsPerPass() * 1e9 / Math.max(1, schedule.applyAsLong(plan.rowsPerPass()));
        return new SamplingPlan(plan, schedule, end, averageRate, String.format(Locale.ROOT,
                "replay of %d rows by %s, %s %s per second, %s at the end", plan.rowsPerPass(),
                config.replayTimeColumn().get(), config.replaySpeed(), steps ? "time steps" : "data seconds",
                config.replayEnd().name().toLowerCase(Locale.ROOT)));
    }

    private static SamplingPlan idle(String why) {
        return new SamplingPlan(sequence -> 0, Pacer.fixedRate(1), 0, 0, why);
    }
}
