package io.github.csvsampling.connect;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.github.csvsampling.connect.config.ChangePolicy;
import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;
import io.github.csvsampling.connect.csv.CsvDataset;
import io.github.csvsampling.connect.metrics.ProgressLog;
import io.github.csvsampling.connect.metrics.TaskMetrics;
import io.github.csvsampling.connect.offsets.TaskOffsets;
import io.github.csvsampling.connect.pacing.Pacer;
import io.github.csvsampling.connect.schema.RowSchema.Column;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits sampled rows of the CSV file on schedule. The task only wires the parts together:
 * {@link CsvDataset} reads and types rows, the {@link SamplingPlan} says which row each record
 * carries and when it is due, the {@link Pacer} says how many are due now, {@link TaskOffsets}
 * records where to resume.
 *
 * <p>{@link #poll()} never blocks longer than {@link #MAX_WAIT_NANOS}, so the worker can stop the
 * task promptly at any rate, and returns {@code null} when nothing is due yet.
 *
 * <p>Each record carries headers {@code csv.task} (task number), {@code csv.sequence} (the task's
 * record number, from 0, without gaps) and {@code csv.row} (the 1-based data row of the file), so
 * consumers can check for gaps and duplicates and trace every record to its row.
 */
public class CsvSamplingSourceTask extends SourceTask {

    public static final String HEADER_TASK = "csv.task";
    public static final String HEADER_SEQUENCE = "csv.sequence";
    public static final String HEADER_ROW = "csv.row";

    private static final Logger log = LoggerFactory.getLogger(CsvSamplingSourceTask.class);
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private CsvSamplingSourceTaskConfig config;
    private CsvDataset dataset;
    private SamplingPlan plan;
    private Pacer pacer;
    private Map<String, Object> partition;
    private String topic;
    private int taskId;
    private String fingerprint;
    private Schema keySchema;
    private Column keyColumn;
    private long seed;
    private long nextSequence;
    private TaskMetrics metrics;
    private ProgressLog progressLog;

    public CsvSamplingSourceTask() {
        this(System::nanoTime, Clock.systemUTC());
    }

    /** For tests: a fake monotonic clock for pacing and a fixed wall clock for record timestamps. */
    CsvSamplingSourceTask(LongSupplier nanoClock, Clock wallClock) {
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new CsvSamplingSourceTaskConfig(props);
        // Replay's order is built in the same pass over the file as the row offsets.
        SamplingPlan.ReplayRows replay = SamplingPlan.replayRows(config);
        dataset = CsvDataset.load(config, Long.MAX_VALUE, replay);
        // Read once: config getters look the key up (and mark it used) on every call.
        topic = config.topic();
        taskId = config.taskId();
        fingerprint = dataset.fingerprint();
        partition = TaskOffsets.partition(dataset.name(), taskId);

        Optional<TaskOffsets.Position> stored = storedPosition();
        seed = config.randomSeed()
                .or(() -> stored.map(TaskOffsets.Position::seed))
                .orElseGet(() -> new SecureRandom().nextLong());
        nextSequence = stored.filter(this::sameContent).map(TaskOffsets.Position::nextSequence).orElse(0L);
        plan = SamplingPlan.forTask(config, dataset, seed, replay);
        keyColumn = dataset.keyColumn().orElse(null);
        keySchema = keyColumn == null ? null : dataset.schema().fieldSchema(keyColumn);
        pacer = new Pacer(plan.schedule(), TimeUnit.MILLISECONDS.toNanos(config.maxCatchUpMillis()), nanoClock,
                nextSequence);

        String connector = props.getOrDefault("name", "unnamed");
        metrics = TaskMetrics.register(context, connector, config.taskId(), nanoClock);
        metrics.targetRate(plan.targetRate());
        metrics.position(nextSequence);
        metrics.malformedRowsSkipped(dataset.skippedRows());
        progressLog = new ProgressLog(connector, config.taskId(), config.taskCount(), ProgressLog.DEFAULT_INTERVAL,
                nanoClock);
        log.info("Task {} of {}: {} rows of {} ({} columns) into topic '{}': {}, seed {}, {} at record {}",
                config.taskId(), config.taskCount(), dataset.rowCount(), dataset.name(),
                dataset.schema().columns().size(), config.topic(), plan.description(), seed,
                nextSequence > 0 ? "resuming" : "starting", nextSequence);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long remaining = plan.endSequence() - nextSequence;
        if (remaining <= 0) {
            if (!metrics.isCompleted()) {
                metrics.completed(true);
                progressLog.logFinal(log::info, metrics.progress());
            }
            stopRequested.await(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
            return null;
        }
        progressLog.maybeLog(log::info, metrics::progress);
        dataset.checkUnchanged(log::warn);
        long limit = Math.min(config.batchSize(), remaining);
        long due = pacer.dueCount(nextSequence, limit);
        if (due == 0) {
            long wait = Math.min(pacer.nanosUntilDue(nextSequence), MAX_WAIT_NANOS);
            if (stopRequested.await(wait, TimeUnit.NANOSECONDS)) {
                return null;
            }
            due = pacer.dueCount(nextSequence, limit);
            if (due == 0) {
                return null;
            }
        }
        metrics.scheduleLag(-pacer.nanosUntilDue(nextSequence));
        List<SourceRecord> batch = new ArrayList<>((int) due);
        for (long i = 0; i < due; i++) {
            batch.add(record(nextSequence++));
        }
        metrics.recordsEmitted(due);
        metrics.position(nextSequence);
        return batch;
    }

    private SourceRecord record(long sequence) {
        long rowIndex = plan.sampler().rowAt(sequence);
        CsvDataset.TypedRow row = dataset.typedRow(rowIndex);
        Struct value = row.value();
        Object key = keyColumn == null ? null : value.get(keyColumn.field());
        long timestamp = row.timestampMillis() != null ? row.timestampMillis() : wallClock.millis();
        ConnectHeaders headers = new ConnectHeaders();
        headers.addInt(HEADER_TASK, taskId);
        headers.addLong(HEADER_SEQUENCE, sequence);
        headers.addLong(HEADER_ROW, rowIndex + 1);
        return new SourceRecord(partition, TaskOffsets.offset(sequence + 1, seed, fingerprint),
                topic, null, keySchema, key, value.schema(), value, timestamp, headers);
    }

    private Optional<TaskOffsets.Position> storedPosition() {
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        if (offset == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TaskOffsets.position(offset));
        } catch (IllegalArgumentException e) {
            throw new ConnectException("The stored source offset of task " + config.taskId() + " for "
                    + dataset.name() + " is not valid: " + e.getMessage()
                    + ". Reset it with DELETE /connectors/<name>/offsets or set it with PATCH.", e);
        }
    }

    /**
     * Whether a stored position was made from the file as it is now. A position without fingerprint
     * (set by a user) is trusted; a different fingerprint restarts the stream or fails the task,
     * per {@code csv.change.policy}, so that a changed file never continues from a stale position.
     */
    private boolean sameContent(TaskOffsets.Position stored) {
        if (stored.fingerprint() == null || stored.fingerprint().equals(dataset.fingerprint())) {
            return true;
        }
        String change = dataset.name() + " has changed since task " + config.taskId() + " stored its position"
                + " (record " + stored.nextSequence() + ", content " + stored.fingerprint() + ", now "
                + dataset.fingerprint() + ")";
        if (config.changePolicy() == ChangePolicy.FAIL) {
            throw new ConnectException(change + ". To start over on the new content, stop the connector and"
                    + " reset its offsets (PUT /connectors/<name>/stop, then DELETE /connectors/<name>/offsets),"
                    + " or set csv.change.policy=restart.");
        }
        log.warn("{}: starting again from record 0 (csv.change.policy=restart).", change);
        return false;
    }

    @Override
    public void stop() {
        stopRequested.countDown();
        if (metrics != null) {
            progressLog.logFinal(log::info, metrics.progress());
            metrics.close();
        }
        if (dataset != null) {
            try {
                dataset.close();
            } catch (IOException e) {
                log.warn("Closing {} failed", dataset.name(), e);
            }
        }
    }
}
