package io.github.csvsampling.connect;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;
import io.github.csvsampling.connect.csv.CsvDataset;
import io.github.csvsampling.connect.offsets.TaskOffsets;
import io.github.csvsampling.connect.pacing.Pacer;
import io.github.csvsampling.connect.sampling.RandomRowSampler;
import io.github.csvsampling.connect.sampling.RowSampler;
import io.github.csvsampling.connect.sampling.Seeds;
import io.github.csvsampling.connect.schema.RowSchema.Column;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits sampled rows of the CSV file on the pacer's schedule. The task only wires the parts
 * together: {@link CsvDataset} reads and types rows, a {@link RowSampler} picks them, the
 * {@link Pacer} says how many are due, {@link TaskOffsets} records where to resume.
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
    private RowSampler sampler;
    private Pacer pacer;
    private Map<String, Object> partition;
    private Schema keySchema;
    private Column keyColumn;
    private long seed;
    private long nextSequence;
    private long lastSequence;
    private boolean completionLogged;

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
        dataset = CsvDataset.load(config, Long.MAX_VALUE);
        partition = TaskOffsets.partition(dataset.name(), config.taskId());

        Optional<TaskOffsets.Position> stored = storedPosition();
        seed = config.randomSeed()
                .or(() -> stored.map(TaskOffsets.Position::seed))
                .orElseGet(() -> new SecureRandom().nextLong());
        nextSequence = stored.map(TaskOffsets.Position::nextSequence).orElse(0L);
        lastSequence = config.taskMaxRecords();
        sampler = new RandomRowSampler(Seeds.taskSeed(seed, config.taskId()), dataset.rowCount());
        keyColumn = dataset.keyColumn().orElse(null);
        keySchema = keyColumn == null ? null : dataset.schema().fieldSchema(keyColumn);
        pacer = new Pacer(config.taskRecordsPerSecond(), TimeUnit.MILLISECONDS.toNanos(config.maxCatchUpMillis()),
                nanoClock, nextSequence);

        log.info("Task {} of {}: sampling {} rows of {} ({} columns) into topic '{}' at {} records/s, mode {},"
                        + " seed {}, {} at record {}", config.taskId(), config.taskCount(), dataset.rowCount(),
                dataset.name(), dataset.schema().columns().size(), config.topic(), config.taskRecordsPerSecond(),
                config.samplingMode().name().toLowerCase(java.util.Locale.ROOT), seed,
                stored.isPresent() ? "resuming" : "starting", nextSequence);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (nextSequence >= lastSequence) {
            logCompletionOnce();
            stopRequested.await(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
            return null;
        }
        long due = pacer.dueCount(nextSequence);
        if (due == 0) {
            long wait = Math.min(pacer.nanosUntilDue(nextSequence), MAX_WAIT_NANOS);
            if (stopRequested.await(wait, TimeUnit.NANOSECONDS)) {
                return null;
            }
            due = pacer.dueCount(nextSequence);
            if (due == 0) {
                return null;
            }
        }
        int count = (int) Math.min(Math.min(due, config.batchSize()), lastSequence - nextSequence);
        List<SourceRecord> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(record(nextSequence++));
        }
        return batch;
    }

    private SourceRecord record(long sequence) {
        long rowIndex = sampler.rowAt(sequence);
        String[] row = dataset.row(rowIndex);
        Struct value = dataset.schema().toStruct(row);
        Object key = keyColumn == null ? null : value.get(keyColumn.field());
        long timestamp = dataset.timestamp(row).map(Instant::toEpochMilli).orElseGet(wallClock::millis);
        ConnectHeaders headers = new ConnectHeaders();
        headers.addInt(HEADER_TASK, config.taskId());
        headers.addLong(HEADER_SEQUENCE, sequence);
        headers.addLong(HEADER_ROW, rowIndex + 1);
        return new SourceRecord(partition, TaskOffsets.offset(sequence + 1, seed), config.topic(), null,
                keySchema, key, value.schema(), value, timestamp, headers);
    }

    private Optional<TaskOffsets.Position> storedPosition() {
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        if (offset == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TaskOffsets.position(offset));
        } catch (IllegalArgumentException e) {
            throw new org.apache.kafka.connect.errors.ConnectException("The stored source offset of task "
                    + config.taskId() + " for " + dataset.name() + " is not valid: " + e.getMessage()
                    + ". Reset it with DELETE /connectors/<name>/offsets or set it with PATCH.", e);
        }
    }

    private void logCompletionOnce() {
        if (!completionLogged) {
            completionLogged = true;
            log.info("Task {} of {} has emitted its {} records of max.records={}; it stays idle until stopped"
                    + " or reconfigured.", config.taskId(), config.taskCount(), lastSequence, config.maxRecords());
        }
    }

    @Override
    public void stop() {
        stopRequested.countDown();
        if (dataset != null) {
            try {
                dataset.close();
            } catch (IOException e) {
                log.warn("Closing {} failed", dataset.name(), e);
            }
        }
    }
}
