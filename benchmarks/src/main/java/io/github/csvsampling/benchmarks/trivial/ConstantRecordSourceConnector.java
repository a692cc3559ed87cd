package io.github.csvsampling.benchmarks.trivial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * The Connect framework ceiling of the benchmarks: a source connector whose task emits one constant, pre-built
 * record, shaped like a row of the bundled sample, as fast as the worker takes it. Whatever throughput it reaches
 * is what the worker, the converter and the producer allow; our connector can only be slower by the cost of
 * sampling, reading, parsing and typing rows.
 *
 * <p>Found by {@code plugin.discovery=service_load} on the worker's class path (the benchmarks module declares it
 * in {@code META-INF/services}). Not for production use.
 */
public class ConstantRecordSourceConnector extends SourceConnector {

    /** Topic to write to. */
    public static final String TOPIC = "topic";
    /** Records returned by one {@code poll()}; default 10000. */
    public static final String BATCH_SIZE = "batch.size";
    /** Optional pace in records per second; 0 (default) for as fast as possible. */
    public static final String RECORDS_PER_SECOND = "records.per.second";

    static final ConfigDef CONFIG = new ConfigDef()
            .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic to write to.")
            .define(BATCH_SIZE, ConfigDef.Type.INT, 10_000, ConfigDef.Range.between(1, 1_000_000),
                    ConfigDef.Importance.LOW, "Records returned by one poll().")
            .define(RECORDS_PER_SECOND, ConfigDef.Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW, "Pace in records per second; 0 for as fast as possible.");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        CONFIG.parse(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ConstantRecordSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "benchmark";
    }
}
