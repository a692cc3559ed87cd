package io.github.csvsampling.benchmarks.trivial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * The Connect framework ceiling of the benchmarks: a source connector whose task builds, before it starts, the
 * records of the first rows of a CSV file in the reference layout, with the schema, values, headers and offsets
 * our connector gives them, and then returns them over and over, as fast as the worker takes them. The converter
 * and the producer do exactly the work they do for our records (their cost depends on the values: JSON text of a
 * double costs more the more digits it has), and the task does none. Whatever throughput it reaches is what the
 * worker, the converter and the producer allow for those records; our connector can only be slower by the cost of
 * sampling, reading, parsing and typing rows.
 *
 * <p>Found by {@code plugin.discovery=service_load} on the worker's class path (the benchmarks module declares it
 * in {@code META-INF/services}). Not for production use.
 */
public class PrebuiltRecordSourceConnector extends SourceConnector {

    /** Topic to write to. */
    public static final String TOPIC = "topic";
    /** CSV file with the reference header ({@code Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD}). */
    public static final String CSV_PATH = "csv.path";
    /** Data rows to pre-build from the start of the file; default 100000. */
    public static final String ROWS = "rows";
    /** Records returned by one {@code poll()}; default 10000. */
    public static final String BATCH_SIZE = "batch.size";
    /** Optional pace in records per second; 0 (default) for as fast as possible. */
    public static final String RECORDS_PER_SECOND = "records.per.second";

    static final ConfigDef CONFIG = new ConfigDef()
            .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic to write to.")
            .define(CSV_PATH, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
                    "CSV file in the reference layout whose first rows become the records.")
            .define(ROWS, ConfigDef.Type.INT, 100_000, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
                    "Data rows to pre-build from the start of the file.")
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
        return PrebuiltRecordSourceTask.class;
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
