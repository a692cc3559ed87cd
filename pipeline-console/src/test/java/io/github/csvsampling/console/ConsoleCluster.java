package io.github.csvsampling.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.LocalConnectWorker;
import io.github.csvsampling.stack.LocalKafka;

/**
 * A real KRaft broker and a real Connect worker on 127.0.0.1 (from {@code local-stack}), with our connector loaded
 * from its packaged plugin directory (as users install it) and {@code local-stack}'s {@code LinesSinkConnector}
 * (a file sink) from the class path: a plugin that is not ours, so that nothing in the console can be per plugin.
 * (Kafka's FileStreamSinkConnector no longer runs on a Kafka 4.4 worker.) One per test class.
 */
final class ConsoleCluster implements AutoCloseable {

    static final String OUR_CONNECTOR = "io.github.csvsampling.connect.CsvSamplingSourceConnector";
    static final String FILE_SINK = "io.github.csvsampling.stack.LinesSinkConnector";
    static final ObjectMapper JSON = ConnectRestClient.json();
    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    final LocalKafka kafka;
    final LocalConnectWorker worker;
    final ConnectRestClient rest;

    private ConsoleCluster(LocalKafka kafka, LocalConnectWorker worker) {
        this.kafka = kafka;
        this.worker = worker;
        this.rest = worker.restClient();
    }

    static ConsoleCluster start() {
        Path plugins = Path.of(System.getProperty("plugin.dir",
                REPO.resolve("csv-sampling-source-connector/target/plugin").toString()));
        if (!Files.isDirectory(plugins.resolve("csv-sampling-source-connector"))) {
            throw new IllegalStateException("No packaged plugin in " + plugins + ": run the tests through Maven from"
                    + " the repository root (./mvnw -pl pipeline-console -am verify), which packages it first.");
        }
        LocalKafka kafka = LocalKafka.builder().start();
        try {
            LocalConnectWorker worker = LocalConnectWorker.builder(kafka.bootstrapServers())
                    .pluginPath(List.of(plugins))
                    .exactlyOnceSourceSupport(true)
                    .offsetFlushInterval(Duration.ofSeconds(1))
                    .start();
            return new ConsoleCluster(kafka, worker);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** The project's stock-quotes source config, at a rate and into a topic. */
    static Map<String, String> sourceConfig(String topic, String rate) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", OUR_CONNECTOR);
        config.put("tasks.max", "1");
        config.put("topic", topic);
        config.put("records.per.second", rate);
        config.put("key.column", "Index");
        config.put("field.names", "snake_case");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    @Override
    public void close() {
        worker.close();
        kafka.close();
    }
}
