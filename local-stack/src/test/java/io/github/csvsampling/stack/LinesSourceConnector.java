package io.github.csvsampling.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * A small source connector that is not the project's own, for testing the in-JVM stack: each line
 * of {@code file} becomes a string record in {@code topic}, and lines appended later follow; the
 * source offset is the number of lines sent, so a restarted task goes on where it stopped. (Kafka's
 * FileStreamSourceConnector did this job until Kafka 4.4, whose clients no longer have the
 * {@code AppInfoParser} it calls, and whose connect-file is not on Maven Central.)
 */
public class LinesSourceConnector extends SourceConnector {

    static final ConfigDef CONFIG = new ConfigDef()
            .define("file", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "The file whose lines to send.")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "The topic to send them to.");

    private Map<String, String> props;

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LinesTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.singletonList(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    /** Supported: a record's offset is the count of lines up to it, so a replay resends nothing twice. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** Sends the lines not sent yet, then waits for more. */
    public static class LinesTask extends SourceTask {

        private Path file;
        private String topic;
        private Map<String, String> partition;
        private long sent;

        @Override
        public String version() {
            return "1.0.0";
        }

        @Override
        public void start(Map<String, String> props) {
            file = Path.of(props.get("file"));
            topic = props.get("topic");
            partition = Map.of("file", file.toString());
            Map<String, Object> offset = context.offsetStorageReader().offset(partition);
            sent = offset == null ? 0 : ((Number) offset.get("lines")).longValue();
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<SourceRecord> records = new ArrayList<>();
            while (sent < lines.size()) {
                String line = lines.get((int) sent++);
                records.add(new SourceRecord(partition, Map.of("lines", sent), topic, Schema.STRING_SCHEMA, line));
            }
            if (records.isEmpty()) {
                Thread.sleep(100);
                return null;
            }
            return records;
        }

        @Override
        public void stop() {
        }
    }
}
