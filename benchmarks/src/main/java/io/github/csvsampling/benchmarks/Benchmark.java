package io.github.csvsampling.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.LocalConnectWorker;
import io.github.csvsampling.stack.LocalKafka;
import io.github.csvsampling.stack.StandaloneTaskContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * The measurements, against one broker and one Connect worker. Throughput is always read at the broker (the
 * topic's end offset over a steady window), rates and gaps from record timestamps (the emission time our task
 * stamps on each record).
 */
final class Benchmark {

    static final String OUR_CONNECTOR = "io.github.csvsampling.connect.CsvSamplingSourceConnector";
    static final String TRIVIAL_CONNECTOR = "io.github.csvsampling.benchmarks.trivial.PrebuiltRecordSourceConnector";
    static final String UNTHROTTLED_RATE = "10000000";
    static final String UNTHROTTLED_BATCH = "10000";
    private static final Duration CONNECTOR_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FIRST_RECORD_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration HEAP_PROBE_TIMEOUT = Duration.ofSeconds(300);

    private final LocalKafka kafka;
    private final ConnectRestClient rest;
    private final Admin admin;
    private int sequence;

    Benchmark(LocalKafka kafka, LocalConnectWorker worker) {
        this.kafka = kafka;
        this.rest = worker.restClient();
        this.admin = kafka.admin();
    }

    void close() {
        admin.close();
    }

    // ----------------------------------------------------------------------------------------------------------
    // Connector configurations

    static Map<String, String> ourConfig(String topic, String mode, Path csv, double rate, String batchSize) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", OUR_CONNECTOR);
        config.put("tasks.max", "1");
        config.put("topic", topic);
        config.put("sampling.mode", mode);
        config.put("random.seed", "42");
        config.put("records.per.second", rate == 0 ? UNTHROTTLED_RATE : Double.toString(rate));
        if (batchSize != null) {
            config.put("batch.size", batchSize);
        }
        if (csv != null) {
            config.put("csv.path", csv.toAbsolutePath().toString());
        }
        if ("replay".equals(mode)) {
            config.put("replay.time.column", "Date");
            config.put("replay.speed", "1000000000000"); // steps per second: unthrottled
        }
        return config;
    }

    /** The trivial connector, emitting the pre-built records of the first 100,000 rows of {@code csv}. */
    static Map<String, String> trivialConfig(String topic, Path csv, double rate) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", TRIVIAL_CONNECTOR);
        config.put("tasks.max", "1");
        config.put("topic", topic);
        config.put("csv.path", csv.toAbsolutePath().toString());
        config.put("batch.size", UNTHROTTLED_BATCH);
        config.put("records.per.second", Double.toString(rate));
        return config;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Throughput

    /** One throughput measurement: records/s in the steady window, time to the first record, average sizes. */
    record Throughput(double recordsPerSecond, double firstRecordMillis, double valueBytes, double headerBytes,
                      String note) {
    }

    /** Runs a connector unthrottled on a fresh topic and measures the rate at which its topic grows. */
    Throughput connectorThroughput(Map<String, String> config, int warmupSeconds, int windowSeconds) {
        System.gc(); // each subject starts on a clean heap, not collecting what the one before left (10M-row offsets)
        try (FreshConnector connector = new FreshConnector("tp", config)) {
            long first = connector.awaitFirstRecord();
            double firstMillis = (first - connector.createdNanos) / 1e6;
            Window window = measureWindow(connector.topic, first, warmupSeconds, windowSeconds, () -> false);
            double[] sizes = recordSizes(connector.topic, 1_000);
            return new Throughput(window.rate(), firstMillis, sizes[0], sizes[1], "");
        }
    }

    /** A connector created on a fresh topic, and when; closing it deletes both. */
    private final class FreshConnector implements AutoCloseable {
        final String topic;
        final String name;
        final long createdNanos;

        FreshConnector(String prefix, Map<String, String> config) {
            topic = newTopic(prefix);
            name = topic;
            Map<String, String> withTopic = new LinkedHashMap<>(config);
            withTopic.put("topic", topic);
            createdNanos = System.nanoTime();
            rest.createConnector(name, withTopic);
        }

        long awaitFirstRecord() {
            return awaitFirstOffset(topic, createdNanos, name);
        }

        @Override
        public void close() {
            deleteConnector(name);
            deleteTopic(topic);
        }
    }

    /** Runs Kafka's ProducerPerformance (in this JVM) with payloads of {@code recordSize} bytes. */
    Throughput producerPerformance(int recordSize, long numRecords, int warmupSeconds, int windowSeconds) {
        String topic = newTopic("pp");
        String[] args = {
            "--topic", topic, "--num-records", Long.toString(numRecords), "--record-size", Integer.toString(recordSize),
            "--throughput", "-1", "--producer-props", "bootstrap.servers=" + kafka.bootstrapServers(), "acks=all"
        };
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                ProducerPerformance.main(args);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "producer-performance");
        long t0 = System.nanoTime();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            thread.start();
            long first = awaitFirstOffset(topic, t0, null);
            Window window = measureWindow(topic, first, warmupSeconds, windowSeconds, () -> !thread.isAlive());
            thread.join(TimeUnit.MINUTES.toMillis(5));
            String output = captured.toString(StandardCharsets.UTF_8);
            Matcher total = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec").matcher(output);
            String note = "";
            double toolRate = Double.NaN;
            while (total.find()) {
                if (Long.parseLong(total.group(1)) == numRecords) {
                    toolRate = Double.parseDouble(total.group(2));
                }
            }
            double rate = window.rate();
            if (window.truncated()) {
                note = "finished before the window ended; tool's own figure " + Stats.fmt(toolRate, 0);
                if (window.seconds() < 1) {
                    rate = toolRate;
                }
            }
            if (failure.get() != null) {
                throw new IllegalStateException("ProducerPerformance failed", failure.get());
            }
            return new Throughput(rate, (first - t0) / 1e6, recordSize, 0, note);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            System.setOut(originalOut);
            deleteTopic(topic);
        }
    }

    private record Window(double rate, double seconds, boolean truncated) {
    }

    /**
     * Samples the topic's end offset every 100 ms from {@code first + warmup} to {@code + window}; the rate is the
     * offset growth over that time. Stops early when {@code done} (the producer finished), keeping the part of the
     * window in which the offset still grew.
     */
    private Window measureWindow(String topic, long first, int warmupSeconds, int windowSeconds,
                                 java.util.function.BooleanSupplier done) {
        sleepUntil(first + TimeUnit.SECONDS.toNanos(warmupSeconds));
        long t1 = System.nanoTime();
        long o1 = endOffset(topic);
        long end = t1 + TimeUnit.SECONDS.toNanos(windowSeconds);
        long lastGrowthTime = t1;
        long lastOffset = o1;
        boolean truncated = false;
        while (System.nanoTime() < end) {
            sleepMillis(100);
            long now = System.nanoTime();
            long offset = endOffset(topic);
            if (offset > lastOffset) {
                lastOffset = offset;
                lastGrowthTime = now;
            } else if (done.getAsBoolean()) {
                truncated = true;
                break;
            }
        }
        if (!truncated) {
            lastGrowthTime = System.nanoTime();
            lastOffset = endOffset(topic);
        }
        double seconds = (lastGrowthTime - t1) / 1e9;
        return new Window(seconds > 0 ? (lastOffset - o1) / seconds : Double.NaN, seconds, truncated);
    }

    /** Average serialized value size and header size of the first {@code count} records of the topic. */
    double[] recordSizes(String topic, int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, count))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long value = 0;
            long headers = 0;
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    value += record.serializedValueSize() + Math.max(0, record.serializedKeySize());
                    for (var header : record.headers()) {
                        headers += header.key().length() + (header.value() == null ? 0 : header.value().length);
                    }
                    if (++seen == count) {
                        break;
                    }
                }
            }
            return new double[] {seen == 0 ? Double.NaN : (double) value / seen,
                seen == 0 ? Double.NaN : (double) headers / seen};
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Rate precision

    /** One rate-precision measurement at {@code target} records/s. */
    record RateResult(double target, double achieved, long recordsInWindow, double spanMillis, double gapP50,
                      double gapP99, double gapMax, double deviationP50, double deviationP99, double deviationMax,
                      double countRate, double[] idealDeviations) {

        double error() {
            return achieved / target - 1;
        }
    }

    /**
     * Runs our connector (random mode, bundled sample, default batch size) at each rate of the group at the same
     * time, each on its own topic, and measures from record timestamps over a window of {@code seconds} after a
     * 3 s warm-up.
     */
    List<RateResult> ratePrecision(List<Double> rates, int seconds, Map<String, String> overrides) {
        IdealPacer ideal = rates.contains(100.0) ? new IdealPacer(100) : null;
        List<String> topics = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        try {
            for (double rate : rates) {
                String topic = newTopic("rate");
                String name = "rate-" + sequence;
                topics.add(topic);
                names.add(name);
                starts.add(System.nanoTime());
                Map<String, String> config = ourConfig(topic, "random", null, rate, null);
                config.putAll(overrides);
                rest.createConnector(name, config);
            }
            for (int i = 0; i < rates.size(); i++) {
                awaitFirstOffset(topics.get(i), starts.get(i), names.get(i));
            }
            sleepMillis(3_000);
            long w0 = System.currentTimeMillis();
            long n0 = System.nanoTime();
            long[] o0 = new long[rates.size()];
            for (int i = 0; i < rates.size(); i++) {
                o0[i] = endOffset(topics.get(i));
            }
            sleepUntil(n0 + TimeUnit.SECONDS.toNanos(seconds));
            long w1 = System.currentTimeMillis();
            long n1 = System.nanoTime();
            long[] o1 = new long[rates.size()];
            for (int i = 0; i < rates.size(); i++) {
                o1[i] = endOffset(topics.get(i));
            }
            for (String name : names) {
                deleteConnector(name);
            }
            List<RateResult> results = new ArrayList<>();
            for (int i = 0; i < rates.size(); i++) {
                double rate = rates.get(i);
                double countRate = (o1[i] - o0[i]) / ((n1 - n0) / 1e9);
                if (rate <= 1_000) {
                    long[] ts = timestamps(topics.get(i), 0, o1[i]);
                    results.add(fromTimestamps(rate, ts, w0, w1, countRate,
                            rate == 100 && ideal != null ? ideal.deviations(w0, w1) : null));
                } else {
                    long first = timestamps(topics.get(i), o0[i], o0[i] + 1)[0];
                    long last = timestamps(topics.get(i), o1[i] - 1, o1[i])[0];
                    long span = last - first;
                    double achieved = (o1[i] - 1 - o0[i]) * 1000.0 / span;
                    results.add(new RateResult(rate, achieved, o1[i] - o0[i], span, Double.NaN, Double.NaN,
                            Double.NaN, Double.NaN, Double.NaN, Double.NaN, countRate, null));
                }
            }
            return results;
        } finally {
            if (ideal != null) {
                ideal.close();
            }
            for (String name : names) {
                deleteConnector(name);
            }
            for (String topic : topics) {
                deleteTopic(topic);
            }
        }
    }

    private static RateResult fromTimestamps(double rate, long[] ts, long w0, long w1, double countRate,
                                             double[] idealDeviations) {
        int from = 0;
        while (from < ts.length && ts[from] < w0) {
            from++;
        }
        int to = from;
        while (to < ts.length && ts[to] <= w1) {
            to++;
        }
        int n = to - from;
        double ideal = 1000.0 / rate;
        double[] gaps = new double[Math.max(0, n - 1)];
        double[] deviations = new double[gaps.length];
        for (int k = 0; k < gaps.length; k++) {
            gaps[k] = ts[from + k + 1] - ts[from + k];
            deviations[k] = Math.abs(gaps[k] - ideal);
        }
        double span = n >= 2 ? ts[to - 1] - ts[from] : Double.NaN;
        double achieved = n >= 2 ? (n - 1) * 1000.0 / span : Double.NaN;
        return new RateResult(rate, achieved, n, span,
                Stats.percentile(gaps.clone(), gaps.length, 50), Stats.percentile(gaps.clone(), gaps.length, 99),
                Stats.percentile(gaps.clone(), gaps.length, 100),
                Stats.percentile(deviations.clone(), deviations.length, 50),
                Stats.percentile(deviations.clone(), deviations.length, 99),
                Stats.percentile(deviations.clone(), deviations.length, 100), countRate, idealDeviations);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Stall and catch-up

    /** The catch-up after a forced stall: the burst above the steady rate, and the rate afterwards. */
    record StallResult(double rate, double stallMillis, double burstRecords, double boundRecords,
                       double burstMillis, double rateAfter) {
    }

    /**
     * Runs our connector at {@code rate}, pauses it through the REST API for 2 s (the task is not stopped: its
     * {@code poll()} is simply not called, as in a long GC or a blocked producer), resumes it, and measures from
     * record timestamps how many records came faster than the rate once it resumed.
     */
    StallResult stall(double rate) {
        try (FreshConnector connector = new FreshConnector("stall", ourConfig("t", "random", null, rate, null))) {
            String name = connector.name;
            String topic = connector.topic;
            sleepUntil(connector.awaitFirstRecord() + TimeUnit.SECONDS.toNanos(4));
            rest.pause(name);
            rest.awaitState(name, "PAUSED", 1, CONNECTOR_TIMEOUT);
            sleepMillis(2_000);
            rest.resume(name);
            rest.awaitConnectorRunning(name, 1, CONNECTOR_TIMEOUT);
            sleepMillis(6_000);
            deleteConnector(name);
            long[] ts = timestamps(topic, 0, endOffset(topic));
            int gapEnd = 1;
            for (int k = 1; k < ts.length; k++) {
                if (ts[k] - ts[k - 1] > ts[gapEnd] - ts[gapEnd - 1]) {
                    gapEnd = k;
                }
            }
            double stallMillis = ts[gapEnd] - ts[gapEnd - 1];
            double burst = 0;
            double burstMillis = 0;
            for (int k = gapEnd; k < ts.length; k++) {
                double excess = (k - gapEnd + 1) - rate * (ts[k] - ts[gapEnd]) / 1000.0;
                if (excess > burst) {
                    burst = excess;
                    burstMillis = ts[k] - ts[gapEnd];
                }
            }
            int after = gapEnd;
            while (after < ts.length && ts[after] < ts[gapEnd] + burstMillis + 1_000) {
                after++;
            }
            double rateAfter = after < ts.length - 1
                    ? (ts.length - 1 - after) * 1000.0 / (ts[ts.length - 1] - ts[after]) : Double.NaN;
            return new StallResult(rate, stallMillis, burst, 1 + rate * 1.0, burstMillis, rateAfter);
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Start-up and CPU

    /** Milliseconds from POST /connectors to the first record read by a consumer, and to its timestamp. */
    double[] firstRecord(Map<String, String> config) {
        String topic = newTopic("first");
        String name = "first-" + sequence;
        Map<String, String> withTopic = new LinkedHashMap<>(config);
        withTopic.put("topic", topic);
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            consumer.poll(Duration.ofMillis(50));
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            rest.createConnector(name, withTopic);
            long deadline = t0 + FIRST_RECORD_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(5));
                if (!records.isEmpty()) {
                    long arrival = System.nanoTime();
                    long timestamp = records.iterator().next().timestamp();
                    return new double[] {(arrival - t0) / 1e6, timestamp - wall0};
                }
            }
            throw new IllegalStateException("No record within " + FIRST_RECORD_TIMEOUT + ": " + rest.status(name));
        } finally {
            deleteConnector(name);
            deleteTopic(topic);
        }
    }

    /**
     * CPU of the whole JVM (broker, worker, task; minus an idle baseline of the same length) and of the
     * connector's own threads (task thread and its producer's network thread), per 1,000 records/s, as a
     * percentage of one core.
     */
    double[] cpuPer1000(Map<String, String> config, double rate, int seconds, double idleCpuPerSecond) {
        try (FreshConnector connector = new FreshConnector("cpu", config)) {
            String name = connector.name;
            String topic = connector.topic;
            sleepUntil(connector.awaitFirstRecord() + TimeUnit.SECONDS.toNanos(3));
            long p0 = processCpuNanos();
            long c0 = threadCpuNanos(name);
            long n0 = System.nanoTime();
            long o0 = endOffset(topic);
            sleepMillis(seconds * 1000L);
            long p1 = processCpuNanos();
            long c1 = threadCpuNanos(name);
            long n1 = System.nanoTime();
            long o1 = endOffset(topic);
            double elapsed = (n1 - n0) / 1e9;
            double achieved = (o1 - o0) / elapsed;
            double process = ((p1 - p0) / elapsed / 1e9 - idleCpuPerSecond) * 100 / (achieved / 1000);
            double threads = (c1 - c0) / elapsed / 1e9 * 100 / (achieved / 1000);
            return new double[] {process, threads, achieved};
        }
    }

    /** CPU seconds per second of the whole JVM while nothing runs. */
    double idleCpuPerSecond(int seconds) {
        long p0 = processCpuNanos();
        long n0 = System.nanoTime();
        sleepMillis(seconds * 1000L);
        return (processCpuNanos() - p0) / ((System.nanoTime() - n0) / 1e9) / 1e9;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static long threadCpuNanos(String connectorName) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(connectorName + "-")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Heap probe (child JVM)

    /** The jars of the packaged plugin directory: the connector and its dependencies. */
    static List<Path> pluginJars(Path pluginDir) throws IOException {
        try (Stream<Path> files = Files.walk(pluginDir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
    }

    /** Runs {@link HeapProbe} in a child JVM with {@code -Xmx<heapMb>m}; returns its key=value output. */
    static Map<String, String> heapProbe(Path pluginDir, String csv, String mode, long records, int heapMb)
            throws IOException, InterruptedException {
        return heapProbe(pluginDir, csv, mode, records, heapMb, 1, List.of());
    }

    /**
     * Runs {@link HeapProbe} with {@code tasks} tasks started together, and {@code jvmOptions} (such as system
     * properties) for the child JVM.
     */
    static Map<String, String> heapProbe(Path pluginDir, String csv, String mode, long records, int heapMb, int tasks,
                                         List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> classPath = new ArrayList<>();
        try {
            for (Class<?> type : List.of(HeapProbe.class, StandaloneTaskContext.class)) {
                classPath.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.startsWith("connect-api-") || file.startsWith("kafka-clients-") || file.startsWith("slf4j-api-")) {
                classPath.add(entry);
            }
        }
        pluginJars(pluginDir).forEach(jar -> classPath.add(jar.toString()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heapMb + "m", "-XX:+UseG1GC",
                "-D" + BenchmarkMain.ALLOWED_DIRS + "=" + System.getProperty(BenchmarkMain.ALLOWED_DIRS, "")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), HeapProbe.class.getName(), csv, mode,
                Long.toString(records), Integer.toString(tasks)));
        Path log = Files.createTempFile("heap-probe-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(HEAP_PROBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        int code = finished ? process.exitValue() : -1;
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.contains(" ")) {
                result.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        result.put("exitCode", Integer.toString(code));
        if (!finished) {
            result.put("error", "not finished after " + HEAP_PROBE_TIMEOUT.toSeconds() + " s");
        } else if (code != 0) {
            result.put("error", output.lines().filter(l -> l.contains("Error") || l.contains("Exception"))
                    .limit(3).collect(Collectors.joining(" | ")));
        }
        return result;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Helpers

    String newTopic(String prefix) {
        String topic = prefix + "-" + (++sequence);
        kafka.createTopic(topic, 1);
        return topic;
    }

    long endOffset(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(30, TimeUnit.SECONDS)
                    .offset();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the end offset of " + topic, e);
        }
    }

    /** Polls the end offset every 20 ms until the first record is in; returns that {@code nanoTime}. */
    private long awaitFirstOffset(String topic, long t0, String connector) {
        long deadline = t0 + FIRST_RECORD_TIMEOUT.toNanos();
        long polls = 0;
        while (endOffset(topic) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No record in " + topic + " after " + FIRST_RECORD_TIMEOUT
                        + (connector == null ? "" : ": " + rest.status(connector)));
            }
            if (connector != null && ++polls % 50 == 0) {
                String state = rest.status(connector).toString();
                if (state.contains("FAILED")) {
                    throw new IllegalStateException("Connector " + connector + " failed: " + state);
                }
            }
            sleepMillis(20);
        }
        return System.nanoTime();
    }

    /** The timestamps of the records at offsets {@code [from, to)}. */
    long[] timestamps(String topic, long from, long to) {
        long[] result = new long[(int) Math.max(0, to - from)];
        if (result.length == 0) {
            return result;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen < result.length && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    long index = record.offset() - from;
                    if (index >= 0 && index < result.length) {
                        result[(int) index] = record.timestamp();
                        seen++;
                    }
                }
            }
            if (seen < result.length) {
                return Arrays.copyOf(result, seen);
            }
            return result;
        }
    }

    void deleteConnector(String name) {
        try {
            if (rest.request("GET", "/connectors/" + ConnectRestClient.segment(name), null).status() == 404) {
                return;
            }
            rest.delete(name);
            rest.awaitConnectorDeleted(name, CONNECTOR_TIMEOUT);
        } catch (RuntimeException e) {
            System.err.println("Deleting connector " + name + " failed: " + e);
        }
    }

    void deleteTopic(String topic) {
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("Deleting topic " + topic + " failed: " + e);
        }
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            sleepMillis(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
        }
    }
}
