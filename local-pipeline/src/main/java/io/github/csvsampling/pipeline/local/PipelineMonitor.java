package io.github.csvsampling.pipeline.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.lake.AthenaDdl;
import io.github.csvsampling.lake.DuckDbLake;
import io.github.csvsampling.lake.S3Server;
import io.github.csvsampling.lake.SinkLayoutWriter;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.LocalKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the running pipeline and shows it: connector and task states (and what is wrong with the
 * sink, when something is), the running config's target rate and the achieved rate, records in the
 * topic, objects and bytes in the bucket as an S3 client lists them, and the latest quote of each
 * index, every second, and the analysis queries as tables at an interval and at the end: over the
 * bucket's objects, or, while the bucket has none (no S3 sink, or none committed yet), over the
 * records read from the topic written as the sink would write them, and labelled so. On a
 * terminal the view is redrawn in place on the terminal's alternate screen, under a header with the
 * endpoints, so the scrollback keeps the start-up lines and gets only the final state when the job
 * stops; without a terminal (CI, a pipe) it prints a status line every 5 s.
 */
final class PipelineMonitor implements AutoCloseable {

    private static final int TABLE_ROWS = 15;
    /** The most the lake built from the topic keeps on disk: its newest records. */
    private static final long TOPIC_LAKE_BYTES = 256L << 20;
    private static final String ALTERNATE_SCREEN = "\033[?1049h\033[?25l";
    private static final String MAIN_SCREEN = "\033[?25h\033[?1049l";
    private static final String HOME = "\033[H";
    private static final String CLEAR_LINE_END = "\033[K";
    private static final String CLEAR_SCREEN_END = "\033[J";
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    /** The sink as the job set it up: deployed, or the problem that kept it out (with its fix above). */
    record Sink(String name, boolean deployed, String problem) {
    }

    private final ConnectRestClient rest;
    private final String sourceName;
    private final String topic;
    private final Sink sink;
    private final S3Server s3;
    private final String bucket;
    private final AthenaDdl ddl;
    private final Path topicLake;
    private final SinkLayoutWriter topicLakeWriter;
    private final Map<String, String> queries;
    private final PrintStream out;
    private final String header;
    private final boolean terminal = System.console() != null;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deque<Long> recentTimestamps = new ArrayDeque<>();
    private final Map<String, JsonNode> latestByIndex = new TreeMap<>();
    private long records;
    private boolean sourceRan;
    private boolean sinkRan;
    private S3Server.Listing listing = S3Server.Listing.EMPTY;
    private Map<String, DuckDbLake.Table> lastQueries = Map.of();
    private String lastQueryNote = "";

    PipelineMonitor(LocalKafka kafka, ConnectRestClient rest, Map<String, String> source, Sink sink, S3Server s3,
                    String bucket, AthenaDdl ddl, Map<String, String> queries, Map<String, String> sinkConfig, Path topicLake,
                    String header, PrintStream out) throws IOException {
        this.header = header;
        this.topicLake = topicLake;
        this.topicLakeWriter = new SinkLayoutWriter(topicLake.resolve(bucket),
                SinkLayoutWriter.Layout.fromSinkConfig(sinkConfig), TOPIC_LAKE_BYTES);
        this.rest = rest;
        this.sourceName = source.get("name");
        this.topic = source.get("topic");
        this.sink = sink;
        this.s3 = s3;
        this.bucket = bucket;
        this.ddl = ddl;
        this.queries = queries;
        this.out = out;
        this.consumer = kafka.consumer(Map.of("isolation.level", "read_committed"));
    }

    /** Shows the pipeline until {@code stop} or the duration, then runs the queries a last time. */
    LocalPipeline.Summary runUntil(CountDownLatch stop, Optional<Duration> duration, Duration queryInterval)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = duration.map(d -> start + d.toNanos()).orElse(Long.MAX_VALUE);
        long nextQueries = start + queryInterval.toNanos();
        long nextLine = start;
        if (terminal) {
            out.print(ALTERNATE_SCREEN);
        }
        try {
            while (stop.getCount() > 0 && System.nanoTime() < deadline) {
                consume();
                listBucket();
                if (System.nanoTime() >= nextQueries) {
                    runQueries();
                    nextQueries = System.nanoTime() + queryInterval.toNanos();
                }
                if (terminal) {
                    String frame = view() + "\n" + queries();
                    out.print(HOME + frame.replace("\n", CLEAR_LINE_END + "\n") + CLEAR_SCREEN_END);
                } else if (System.nanoTime() >= nextLine) {
                    out.println(statusLine());
                    nextLine = System.nanoTime() + 5_000_000_000L;
                }
                out.flush();
            }
        } finally {
            if (terminal) {
                out.print(MAIN_SCREEN);
                out.flush();
            }
        }
        consume();
        listBucket();
        out.println(statusLine());
        runQueries();
        out.print(queries());
        return new LocalPipeline.Summary(sourceRan, sink.deployed(), sinkRan, sink.problem(), records, achievedRate(),
                listing.objects(), listing.bytes(), lastQueries, rest.baseUrl());
    }

    /** Reads what the topic gained, for about a second. */
    private void consume() {
        if (consumer.assignment().isEmpty()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(1)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                sleepQuietly(1000);
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        long until = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < until) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                records++;
                recentTimestamps.addLast(record.timestamp());
                topicLakeWriter.write(record.topic(), record.partition(), record.offset(), record.timestamp(),
                        record.value());
                try {
                    JsonNode value = ConnectRestClient.json().readTree(record.value()).path("payload");
                    String index = value.path("index").asText(null);
                    if (index != null) {
                        latestByIndex.put(index, value);
                    }
                } catch (IOException e) {
                    // not a JSON record: counted, not shown
                }
            }
        }
        long cutoff = System.currentTimeMillis() - RATE_WINDOW.toMillis();
        while (!recentTimestamps.isEmpty() && recentTimestamps.peekFirst() < cutoff) {
            recentTimestamps.removeFirst();
        }
    }

    private void listBucket() {
        try {
            listing = s3.list(bucket);
        } catch (RuntimeException e) {
            // the S3 server is stopping: keep the last listing
        }
    }

    private double achievedRate() {
        return recentTimestamps.size() / (double) RATE_WINDOW.toSeconds();
    }

    private String view() {
        StringBuilder view = new StringBuilder();
        view.append("CSV sampling pipeline on 127.0.0.1 (Ctrl-C to stop)\n").append(header).append('\n');
        if (!sink.deployed()) {
            view.append("S3 sink: not running (").append(sink.problem())
                    .append("); add it with --s3-sink-dir PATH, see the lines above this view\n");
        }
        view.append('\n');
        view.append("  ").append(connectorLine(sourceName)).append('\n');
        view.append("  ").append(sinkLine()).append('\n');
        view.append(String.format(Locale.ROOT, "%n  target %s   achieved %.1f records/s (last %d s)%n"
                        + "  records in topic %s: %,d   objects in bucket: %,d (%,d bytes)%s%n%n",
                targetRate(), achievedRate(), RATE_WINDOW.toSeconds(), topic, records, listing.objects(),
                listing.bytes(), listing.newest().map(t -> ", newest " + age(t) + " ago").orElse("")));
        view.append(String.format(Locale.ROOT, "  %-10s %-10s %14s %14s%n", "index", "date", "close", "close USD"));
        for (JsonNode quote : latestByIndex.values()) {
            view.append(String.format(Locale.ROOT, "  %-10s %-10s %,14.2f %,14.2f%n", quote.path("index").asText(),
                    quote.path("date").asText(), quote.path("close").asDouble(), quote.path("close_usd").asDouble()));
        }
        return view.toString();
    }

    /** The target of the connector's running config (a REST PUT may have changed it since the start). */
    private String targetRate() {
        try {
            JsonNode config = rest.connectorConfig(sourceName);
            if ("replay".equalsIgnoreCase(config.path("sampling.mode").asText())) {
                return "replay at " + config.path("replay.speed").asText("1") + " steps/s";
            }
            return config.path("records.per.second").asText("1") + " records/s";
        } catch (RuntimeException e) {
            return "? records/s";
        }
    }

    /** {@code name: STATE   task 0 STATE ...}, with the first line of the trace of what FAILED. */
    private String connectorLine(String name) {
        try {
            JsonNode status = rest.status(name);
            StringBuilder line = new StringBuilder(name + ": " + status.path("connector").path("state").asText());
            String failure = trace(status.path("connector"));
            boolean tasksRunning = status.path("tasks").size() > 0;
            for (JsonNode task : status.path("tasks")) {
                String state = task.path("state").asText();
                line.append("   task ").append(task.path("id").asInt()).append(' ').append(state);
                tasksRunning &= "RUNNING".equals(state);
                failure = failure.isEmpty() ? trace(task) : failure;
            }
            if (tasksRunning && name.equals(sourceName)) {
                sourceRan = true;
            } else if (tasksRunning) {
                sinkRan = true;
            }
            return line + (failure.isEmpty() ? "" : "\n    " + failure + "\n    details: curl " + rest.baseUrl()
                    + "/connectors/" + name + "/status");
        } catch (RuntimeException e) {
            return name + ": no status (" + e.getMessage() + ")";
        }
    }

    private static String trace(JsonNode state) {
        String trace = state.path("trace").asText("");
        return trace.isEmpty() ? "" : trace.lines().findFirst().orElse("");
    }

    private String sinkLine() {
        if (sink.deployed()) {
            return connectorLine(sink.name());
        }
        return sink.name() + ": not running: " + sink.problem()
                + "\n    to add it: --s3-sink-dir PATH (the Hub zip, its unzipped folder or its jars); see the start-up lines";
    }

    private String statusLine() {
        String sinkState = sink.deployed() ? connectorLine(sink.name()) : sink.name() + ": not running";
        return String.format(Locale.ROOT, "%s | %s | target %s | %.1f records/s | %,d records in topic | %,d objects"
                        + " (%,d bytes)", connectorLine(sourceName).lines().findFirst().orElse(""),
                sinkState.lines().findFirst().orElse(""), targetRate(), achievedRate(), records, listing.objects(),
                listing.bytes());
    }

    /**
     * Runs the named queries over the bucket's objects, or, while it has none, over the records read
     * from the topic as the sink would have written them, saying which.
     */
    private void runQueries() {
        Path root = s3.root();
        String over = "";
        if (listing.objects() == 0) {
            topicLakeWriter.commit();
            if (topicLakeWriter.objects() == 0) {
                lastQueryNote = "Analysis queries: no records yet.";
                return;
            }
            root = topicLake;
            over = String.format(Locale.ROOT, "Analysis queries over the %,d records read from the topic, written as"
                            + " the S3 sink would write them, not over the bucket (%s).", topicLakeWriter.records(),
                    sink.deployed() ? "the S3 sink has committed no object yet; it commits one every rotate.interval.ms"
                            : "no S3 sink: " + sink.problem());
        }
        Map<String, DuckDbLake.Table> results = new LinkedHashMap<>();
        try (DuckDbLake lake = DuckDbLake.open(ddl, root)) {
            for (Map.Entry<String, String> query : queries.entrySet()) {
                results.put(query.getKey(), lake.query(query.getValue()));
            }
            lastQueries = results;
            lastQueryNote = over;
        } catch (SQLException e) {
            lastQueryNote = "Analysis queries failed: " + e.getMessage();
        }
    }

    /** The last query results as text tables, or why there are none. */
    private String queries() {
        StringBuilder text = new StringBuilder();
        if (!lastQueryNote.isEmpty()) {
            text.append(lastQueryNote).append('\n');
        }
        for (Map.Entry<String, DuckDbLake.Table> result : lastQueries.entrySet()) {
            text.append("\n-- ").append(result.getKey()).append('\n');
            text.append(TextTable.render(result.getValue(), TABLE_ROWS));
        }
        return text.toString();
    }

    private static String age(Instant time) {
        long seconds = Math.max(0, Duration.between(time, Instant.now()).toSeconds());
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        consumer.close();
        topicLakeWriter.close();
    }
}
