package io.github.csvsampling.connect.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's metrics: records emitted, target and achieved rate, how far behind schedule, malformed
 * rows skipped, whether {@code max.records} is reached, and the next sequence number.
 *
 * <p>Workers of Kafka 4.1 and later offer plugins their own metrics (KIP-877) through
 * {@code SourceTaskContext.pluginMetrics()}; they appear beside the worker's metrics in every
 * configured reporter, as group {@code plugins} tagged with the connector and task (in JMX
 * {@code kafka.connect:type=plugins,connector=<name>,task=<id>}). Older workers (3.6 to 4.0) lack
 * that method, so the same metrics, under the same attribute names, are registered as an MBean
 * named by {@link #objectName(String, int)} on the platform MBean server instead. If neither works
 * the task runs without published metrics: metrics never stop a task.
 *
 * <p>Updates come from the task thread and are cheap (a clock read and an uncontended lock per
 * {@link #recordsEmitted(long)} call); reporters read from their own threads. Close it in
 * {@code stop()}: that removes the metrics or unregisters the MBean.
 */
public final class TaskMetrics implements AutoCloseable {

    /** Where the metrics are published. */
    public enum Backend {
        /** The worker's plugin metrics (KIP-877, Kafka 4.1+). */
        PLUGIN_METRICS,
        /** An MBean of this connector's own on the platform MBean server, for older workers. */
        JMX,
        /** Nowhere: kept for the progress log and tests only. */
        NONE
    }

    /** The JMX domain of the MBean registered on workers without plugin metrics. */
    public static final String JMX_DOMAIN = "io.github.csvsampling";
    /** The {@code type} key of that MBean's name. */
    public static final String JMX_TYPE = "csv-sampling-source-task-metrics";

    /**
     * The span of {@code achieved-rate}: it counts the records of the current second so far and
     * of the nine whole seconds before it (so 9 to 10 s of history; less, but at least 1 s, while
     * the task is younger than that).
     */
    public static final Duration ACHIEVED_RATE_WINDOW = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(TaskMetrics.class);
    private static final Pattern JMX_PLAIN_VALUE = Pattern.compile("[\\w\\-%. \t]*");
    private static final long BUCKET_NANOS = 1_000_000_000L;
    private static final int BUCKETS = (int) (ACHIEVED_RATE_WINDOW.toNanos() / BUCKET_NANOS);

    /** A published metric: its name (kebab-case, as Kafka names metrics), description, value type and value. */
    record Definition(String name, String description, Class<?> type, Supplier<Object> value) {
    }

    /** What {@link #close()} undoes. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final LongSupplier nanoClock;
    private final long startNanos;
    private final Object windowLock = new Object();
    private final long[] bucketEpochs = new long[BUCKETS];
    private final long[] bucketCounts = new long[BUCKETS];
    private final AtomicLong malformedRowsSkipped = new AtomicLong();
    private volatile long recordsEmitted;
    private volatile double targetRate;
    private volatile long scheduleLagNanos;
    private volatile boolean completed;
    private volatile long nextSequence;

    private Backend backend = Backend.NONE;
    private Registration registration = () -> { };
    private boolean closed;

    private TaskMetrics(LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.startNanos = nanoClock.getAsLong();
        Arrays.fill(bucketEpochs, -1);
    }

    /**
     * Publishes the metrics of task {@code taskId} of {@code connectorName}: through the worker's
     * plugin metrics when it offers them, else as an MBean; never throws for want of either.
     *
     * @param nanoClock a monotonic clock for the achieved rate, {@code System::nanoTime} outside tests
     */
    public static TaskMetrics register(SourceTaskContext context, String connectorName, int taskId,
            LongSupplier nanoClock) {
        TaskMetrics metrics = new TaskMetrics(nanoClock);
        String connector = connectorName == null ? "unnamed" : connectorName;
        List<Definition> definitions = metrics.definitions();
        try {
            metrics.registration = PluginMetricsRegistration.register(context, definitions);
            metrics.backend = Backend.PLUGIN_METRICS;
            log.debug("Task {}-{}: metrics published through the worker's plugin metrics", connector, taskId);
            return metrics;
        } catch (LinkageError | UnsupportedOperationException e) {
            // A worker before Kafka 4.1: SourceTaskContext.pluginMetrics() or PluginMetrics is missing.
            log.debug("Task {}-{}: the worker offers no plugin metrics (KIP-877, Kafka 4.1+): {}", connector,
                    taskId, e.toString());
        } catch (RuntimeException e) {
            log.warn("Task {}-{}: registering plugin metrics failed; falling back to JMX", connector, taskId, e);
        }
        ObjectName name = objectName(connector, taskId);
        try {
            metrics.registration = JmxTaskMetrics.register(name, definitions);
            metrics.backend = Backend.JMX;
            log.info("Task {}-{}: the worker offers no plugin metrics (Kafka 4.1+); task metrics are in JMX as {}",
                    connector, taskId, name);
        } catch (RuntimeException e) {
            log.warn("Task {}-{}: registering the metrics MBean {} failed; the task runs without metrics", connector,
                    taskId, name, e);
        }
        return metrics;
    }

    /** Metrics published nowhere, for tests of the task and for callers that only want the progress log. */
    public static TaskMetrics unregistered(LongSupplier nanoClock) {
        return new TaskMetrics(nanoClock);
    }

    /**
     * The name of the MBean used on workers without plugin metrics:
     * {@code io.github.csvsampling:type=csv-sampling-source-task-metrics,connector=<name>,task=<id>},
     * the connector name quoted as Kafka's own JMX reporter quotes it when it holds special characters.
     */
    public static ObjectName objectName(String connectorName, int taskId) {
        try {
            // As Kafka names its own MBeans: the name as it is when JMX allows it, else quoted.
            String connector = JMX_PLAIN_VALUE.matcher(connectorName).matches() && !connectorName.isEmpty()
                    ? connectorName : ObjectName.quote(connectorName);
            return new ObjectName(JMX_DOMAIN + ":type=" + JMX_TYPE + ",connector=" + connector + ",task=" + taskId);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("No valid MBean name for connector '" + connectorName + "'", e);
        }
    }

    /** Where the metrics went. */
    public Backend backend() {
        return backend;
    }

    /** Adds {@code count} records returned to the worker by {@code poll()}. */
    public void recordsEmitted(long count) {
        if (count <= 0) {
            return;
        }
        long epoch = Math.max(0, nanoClock.getAsLong() - startNanos) / BUCKET_NANOS;
        int bucket = (int) (epoch % BUCKETS);
        synchronized (windowLock) {
            recordsEmitted += count;
            if (bucketEpochs[bucket] != epoch) {
                bucketEpochs[bucket] = epoch;
                bucketCounts[bucket] = 0;
            }
            bucketCounts[bucket] += count;
        }
    }

    /** The rate the task is configured to emit at, in records per second. */
    public void targetRate(double recordsPerSecond) {
        targetRate = recordsPerSecond;
    }

    /** How long ago the next record was due; a record not yet due (a negative value) counts as on time, 0. */
    public void scheduleLag(long nanos) {
        scheduleLagNanos = Math.max(0, nanos);
    }

    /** Counts CSV rows skipped because they could not be parsed or typed. */
    public void malformedRowsSkipped(long count) {
        malformedRowsSkipped.addAndGet(count);
    }

    /** Whether the task has emitted its share of {@code max.records}. */
    public void completed(boolean completed) {
        this.completed = completed;
    }

    /** The sequence number of the next record the task will emit. */
    public void position(long nextSequence) {
        this.nextSequence = nextSequence;
    }

    /** Records returned by {@code poll()} since this task instance started (not since the stream began). */
    public long recordsEmittedTotal() {
        return recordsEmitted;
    }

    public double targetRate() {
        return targetRate;
    }

    /** Records per second over {@link #ACHIEVED_RATE_WINDOW}. */
    public double achievedRate() {
        long elapsed = nanoClock.getAsLong() - startNanos;
        if (elapsed < 0) {
            return 0;
        }
        long epoch = elapsed / BUCKET_NANOS;
        long oldest = Math.max(0, epoch - BUCKETS + 1);
        long sum = 0;
        synchronized (windowLock) {
            for (int i = 0; i < BUCKETS; i++) {
                if (bucketEpochs[i] >= oldest && bucketEpochs[i] <= epoch) {
                    sum += bucketCounts[i];
                }
            }
        }
        long span = Math.max(BUCKET_NANOS, elapsed - oldest * BUCKET_NANOS);
        return sum * 1e9 / span;
    }

    public long scheduleLagNanos() {
        return scheduleLagNanos;
    }

    public long malformedRowsSkippedTotal() {
        return malformedRowsSkipped.get();
    }

    public boolean isCompleted() {
        return completed;
    }

    public long nextSequence() {
        return nextSequence;
    }

    /** The numbers the progress log reports. */
    public ProgressLog.Progress progress() {
        return new ProgressLog.Progress(recordsEmitted, nextSequence, targetRate, scheduleLagNanos,
                malformedRowsSkipped.get(), completed);
    }

    /** Removes the metrics or unregisters the MBean; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                registration.close();
            } catch (RuntimeException e) {
                log.warn("Removing task metrics failed", e);
            }
        }
    }

    List<Definition> definitions() {
        return List.of(
                new Definition("records-emitted-total",
                        "Records the task returned to the worker since it started (delivery is counted by the"
                                + " worker's source-record-write-total).",
                        Long.class, this::recordsEmittedTotal),
                new Definition("target-rate", "The rate the task paces itself to, in records per second.",
                        Double.class, this::targetRate),
                new Definition("achieved-rate",
                        "Records per second the task emitted over the last " + ACHIEVED_RATE_WINDOW.toSeconds()
                                + " seconds.",
                        Double.class, this::achievedRate),
                new Definition("schedule-lag-ms",
                        "How many milliseconds the task is behind its schedule; 0 when on time.",
                        Long.class, () -> scheduleLagNanos / 1_000_000),
                new Definition("malformed-rows-skipped-total",
                        "CSV rows skipped since the task started because they could not be parsed or typed.",
                        Long.class, this::malformedRowsSkippedTotal),
                new Definition("completed",
                        "1 when the task has emitted its share of max.records and is idle, else 0.",
                        Integer.class, () -> completed ? 1 : 0),
                new Definition("next-sequence",
                        "The sequence number (csv.sequence header) of the next record the task will emit.",
                        Long.class, this::nextSequence));
    }
}
