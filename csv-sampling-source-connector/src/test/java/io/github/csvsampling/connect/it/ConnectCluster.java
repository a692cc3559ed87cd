package io.github.csvsampling.connect.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.LocalConnectWorker;
import io.github.csvsampling.stack.LocalKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One KRaft broker and one distributed Connect worker on 127.0.0.1, with the packaged plugin (the
 * directory the build produced, found through the {@code plugin.dir} system property) on the
 * worker's {@code plugin.path}, as users install it. One per test class.
 */
final class ConnectCluster implements AutoCloseable {

    static final String CONNECTOR_CLASS = "io.github.csvsampling.connect.CsvSamplingSourceConnector";
    static final ObjectMapper JSON = ConnectRestClient.json();

    final LocalKafka kafka;
    final LocalConnectWorker worker;
    final ConnectRestClient rest;

    private ConnectCluster(LocalKafka kafka, LocalConnectWorker worker) {
        this.kafka = kafka;
        this.worker = worker;
        this.rest = worker.restClient();
    }

    static ConnectCluster start(boolean exactlyOnce) {
        Path pluginDir = Path.of(System.getProperty("plugin.dir", "target/plugin/csv-sampling-source-connector"));
        if (!Files.isDirectory(pluginDir)) {
            throw new IllegalStateException("No packaged plugin at " + pluginDir.toAbsolutePath()
                    + ": run the integration tests through Maven (./mvnw verify), which packages it first.");
        }
        LocalKafka kafka = LocalKafka.builder().start();
        try {
            LocalConnectWorker worker = LocalConnectWorker.builder(kafka.bootstrapServers())
                    .pluginPath(List.of(pluginDir.getParent()))
                    .exactlyOnceSourceSupport(exactlyOnce)
                    .offsetFlushInterval(Duration.ofSeconds(1))
                    .start();
            return new ConnectCluster(kafka, worker);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** A connector config with the class, a topic created by Connect, and the given settings. */
    static Map<String, String> sourceConfig(String topic, Map<String, String> settings) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", CONNECTOR_CLASS);
        config.put("tasks.max", "1");
        config.put("topic", topic);
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.putAll(settings);
        return config;
    }

    /** Creates the connector and waits until it and its tasks run. */
    void run(String name, Map<String, String> config, int tasks) {
        rest.createConnector(name, config);
        rest.awaitConnectorRunning(name, tasks, Duration.ofSeconds(60));
    }

    /** Reads the topic from the start, waiting first for Connect to create it on the first record. */
    List<Sampled> read(String topic, int atLeast, Duration timeout) {
        return read(topic, atLeast, timeout, false);
    }

    /** Like {@link #read}, with {@code isolation.level=read_committed}: only committed transactions. */
    List<Sampled> readCommitted(String topic, int atLeast, Duration timeout) {
        return read(topic, atLeast, timeout, true);
    }

    private List<Sampled> read(String topic, int atLeast, Duration timeout, boolean readCommitted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
            while (!admin.listTopics().names().get().contains(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topic " + topic + " was not created within " + timeout);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return kafka.readRecords(topic, atLeast, left, readCommitted).stream().map(Sampled::of).toList();
    }

    @Override
    public void close() {
        worker.close();
        kafka.close();
    }

    /** A consumed record: its key and value (JsonConverter envelopes), timestamp, our headers and its offset. */
    record Sampled(JsonNode key, JsonNode value, long timestamp, int task, long sequence, long row, long offset) {

        static Sampled of(ConsumerRecord<byte[], byte[]> record) {
            try {
                JsonNode key = record.key() == null ? null : JSON.readTree(record.key());
                JsonNode value = JSON.readTree(record.value());
                return new Sampled(key, value, record.timestamp(),
                        Integer.parseInt(header(record, "csv.task")),
                        Long.parseLong(header(record, "csv.sequence")),
                        Long.parseLong(header(record, "csv.row")), record.offset());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        JsonNode payload() {
            return value.get("payload");
        }

        private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
            org.apache.kafka.common.header.Header header = record.headers().lastHeader(name);
            if (header == null) {
                throw new AssertionError("record has no header " + name + ": " + record);
            }
            return new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
