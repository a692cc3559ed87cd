package io.github.csvsampling.pipeline.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.LocalKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the running pipeline and shows it: connector and task states, target and achieved rate,
 * records in the topic, objects and bytes in the bucket and the latest quote of each index, every
 * second (redrawn in place on a terminal, a line every 5 s otherwise), and the analysis queries
 * as tables at an interval and at the end.
 */
final class PipelineMonitor implements AutoCloseable {

    private static final int TABLE_ROWS = 15;
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    private final ConnectRestClient rest;
    private final Map<String, String> source;
    private final Map<String, String> sink;
    private final boolean sinkDeployed;
    private final Path bucket;
    private final AthenaDdl ddl;
    private final Path bucketsRoot;
    private final Map<String, String> queries;
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deque<Long> recentTimestamps = new ArrayDeque<>();
    private final Map<String, JsonNode> latestByIndex = new TreeMap<>();
    private long records;
    private boolean sourceRan;
    private Map<String, DuckDbLake.Table> lastQueries = Map.of();
    private String lastQueryNote = "";

    PipelineMonitor(LocalKafka kafka, ConnectRestClient rest, Map<String, String> source, Map<String, String> sink,
                    boolean sinkDeployed, Path bucket, AthenaDdl ddl, Path bucketsRoot, Map<String, String> queries,
                    PrintStream out) {
        this.rest = rest;
        this.source = source;
        this.sink = sink;
        this.sinkDeployed = sinkDeployed;
        this.bucket = bucket;
        this.ddl = ddl;
        this.bucketsRoot = bucketsRoot;
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
        String topic = source.get("topic");
        while (stop.getCount() > 0 && System.nanoTime() < deadline) {
            consume(topic);
            if (System.nanoTime() >= nextQueries) {
                runQueries();
                nextQueries = System.nanoTime() + queryInterval.toNanos();
            }
            if (terminal) {
                out.print("\033[H\033[2J");
                out.print(view());
                printQueries();
            } else if (System.nanoTime() >= nextLine) {
                out.println(statusLine());
                nextLine = System.nanoTime() + 5_000_000_000L;
            }
            out.flush();
        }
        consume(topic);
        out.println(statusLine());
        runQueries();
        printQueries();
        long[] bucketSize = bucketSize();
        return new LocalPipeline.Summary(sourceRan, sinkDeployed, records, achievedRate(), bucketSize[0],
                bucketSize[1], lastQueries, rest.baseUrl());
    }

    /** Reads what the topic gained, for about a second. */
    private void consume(String topic) {
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

    private double achievedRate() {
        return recentTimestamps.size() / (double) RATE_WINDOW.toSeconds();
    }

    private String view() {
        StringBuilder view = new StringBuilder();
        view.append("CSV sampling pipeline on 127.0.0.1   REST ").append(rest.baseUrl()).append("   Ctrl-C to stop\n\n");
        view.append(connectorLine(source.get("name")));
        view.append(sinkDeployed ? connectorLine(sink.get("name")) : "  " + sink.get("name") + ": not deployed (no S3 sink plugin)\n");
        long[] bucketSize = bucketSize();
        view.append(String.format(Locale.ROOT, "%n  target %s records/s   achieved %.1f records/s (last %d s)%n"
                        + "  records in topic %s: %,d   objects in bucket: %,d (%,d bytes)%n%n",
                source.getOrDefault("records.per.second", "1"), achievedRate(), RATE_WINDOW.toSeconds(),
                source.get("topic"), records, bucketSize[0], bucketSize[1]));
        view.append(String.format(Locale.ROOT, "  %-10s %-10s %14s %14s%n", "index", "date", "close", "close USD"));
        for (JsonNode quote : latestByIndex.values()) {
            view.append(String.format(Locale.ROOT, "  %-10s %-10s %,14.2f %,14.2f%n", quote.path("index").asText(),
                    quote.path("date").asText(), quote.path("close").asDouble(), quote.path("close_usd").asDouble()));
        }
        return view.toString();
    }

    private String connectorLine(String name) {
        try {
            JsonNode status = rest.status(name);
            StringBuilder line = new StringBuilder("  " + name + ": " + status.path("connector").path("state").asText());
            for (JsonNode task : status.path("tasks")) {
                line.append("   task ").append(task.path("id").asInt()).append(' ').append(task.path("state").asText());
                if (name.equals(source.get("name")) && "RUNNING".equals(task.path("state").asText())) {
                    sourceRan = true;
                }
            }
            return line.append('\n').toString();
        } catch (RuntimeException e) {
            return "  " + name + ": no status (" + e.getMessage() + ")\n";
        }
    }

    private String statusLine() {
        String states = connectorLine(source.get("name")).strip();
        long[] bucketSize = bucketSize();
        return String.format(Locale.ROOT, "%s | %.1f records/s | %,d records in topic | %,d objects (%,d bytes)",
                states, achievedRate(), records, bucketSize[0], bucketSize[1]);
    }

    private void runQueries() {
        if (bucketSize()[0] == 0) {
            lastQueryNote = "Analysis queries: no objects in the bucket yet"
                    + (sinkDeployed ? " (the S3 sink commits a file every rotate.interval.ms)." : " (no S3 sink).");
            return;
        }
        Map<String, DuckDbLake.Table> results = new LinkedHashMap<>();
        try (DuckDbLake lake = DuckDbLake.open(ddl, bucketsRoot)) {
            for (Map.Entry<String, String> query : queries.entrySet()) {
                results.put(query.getKey(), lake.query(query.getValue()));
            }
            lastQueries = results;
            lastQueryNote = "";
        } catch (SQLException e) {
            lastQueryNote = "Analysis queries failed: " + e.getMessage();
        }
    }

    private void printQueries() {
        if (!lastQueryNote.isEmpty()) {
            out.println(lastQueryNote);
        }
        for (Map.Entry<String, DuckDbLake.Table> result : lastQueries.entrySet()) {
            out.println();
            out.println("-- " + result.getKey());
            out.print(TextTable.render(result.getValue(), TABLE_ROWS));
        }
    }

    /** Objects and bytes under the bucket's folder. */
    private long[] bucketSize() {
        if (!Files.isDirectory(bucket)) {
            return new long[] {0, 0};
        }
        try (Stream<Path> files = Files.walk(bucket)) {
            long[] size = {0, 0};
            files.filter(Files::isRegularFile).forEach(f -> {
                size[0]++;
                try {
                    size[1] += Files.size(f);
                } catch (IOException e) {
                    // a file the sink replaced meanwhile
                }
            });
            return size;
        } catch (IOException | java.io.UncheckedIOException e) {
            return new long[] {0, 0};
        }
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
    }
}
