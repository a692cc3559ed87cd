package io.github.csvsampling.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;
import io.github.csvsampling.connect.config.SamplingMode;
import io.github.csvsampling.connect.config.Validators;
import io.github.csvsampling.connect.csv.CsvDataset;
import io.github.csvsampling.connect.csv.DatasetException;
import io.github.csvsampling.connect.offsets.TaskOffsets;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Samples rows of a CSV file into a Kafka topic as typed records at a set rate.
 *
 * <p>The connector splits the rate and {@code max.records} between its tasks and checks
 * configurations before anything runs: beyond each key's own validator, {@link #validate} opens the
 * file and checks the header, the key and timestamp columns and the type overrides against the
 * first {@value #VALIDATE_ROW_LIMIT} rows, attaching each problem to the key that fixes it.
 */
public class CsvSamplingSourceConnector extends SourceConnector {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CsvSamplingSourceConnector.class);

    /** Rows {@link #validate} reads; tasks read and check the whole file when they start. */
    static final long VALIDATE_ROW_LIMIT = 100_000;

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new CsvSamplingSourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CsvSamplingSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int task = 0; task < maxTasks; task++) {
            configs.add(CsvSamplingSourceTaskConfig.forTask(props, task, maxTasks));
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CsvSamplingSourceConfig.CONFIG_DEF;
    }

    @Override
    public org.apache.kafka.common.config.Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = new HashMap<>();
        result.configValues().forEach(v -> values.put(v.name(), v));
        CsvSamplingSourceConfig.whitespaceLostToTrimming(connectorConfigs)
                .forEach((key, message) -> values.get(key).addErrorMessage(message));
        if (values.values().stream().anyMatch(v -> !v.errorMessages().isEmpty())) {
            return result;
        }
        CsvSamplingSourceConfig config = new CsvSamplingSourceConfig(connectorConfigs);
        checkDistinctCharacters(config, values);
        checkReplay(config, connectorConfigs.get("tasks.max"), values);
        if (values.values().stream().anyMatch(v -> !v.errorMessages().isEmpty())) {
            return result;
        }
        try (CsvDataset ignored = CsvDataset.load(config, VALIDATE_ROW_LIMIT)) {
            return result;
        } catch (DatasetException e) {
            values.get(e.configKey()).addErrorMessage(e.getMessage());
        } catch (java.io.IOException | RuntimeException e) {
            // Unexpected: the stack trace goes to the worker's log, the REST answer gets a message without it.
            String path = connectorConfigs.getOrDefault(CsvSamplingSourceConfig.CSV_PATH, "").trim();
            String what = path.isEmpty() ? "the bundled sample" : "csv.path '" + path + "'";
            log.warn("Validation could not check {}", what, e);
            values.get(CsvSamplingSourceConfig.CSV_PATH).addErrorMessage("Cannot check " + what + ": "
                    + (e.getMessage() == null ? "unexpected error, see the worker's log" : e.getMessage()));
        }
        return result;
    }

    /** Replay needs a time column, and with several tasks a key that keeps each series in one task. */
    private static void checkReplay(CsvSamplingSourceConfig config, String tasksMax, Map<String, ConfigValue> values) {
        if (config.samplingMode() != SamplingMode.REPLAY) {
            return;
        }
        if (config.replayTimeColumn().isEmpty()) {
            values.get(CsvSamplingSourceConfig.REPLAY_TIME_COLUMN).addErrorMessage("sampling.mode=replay needs"
                    + " replay.time.column, the column that orders and paces the rows (such as Date).");
        }
        // Connect reports a tasks.max that is not an int itself; only a valid one matters here.
        boolean severalTasks = tasksMax != null && tasksMax.trim().matches("\\d{1,9}")
                && Integer.parseInt(tasksMax.trim()) > 1;
        if (severalTasks && config.keyColumn().isEmpty()) {
            values.get(CsvSamplingSourceConfig.KEY_COLUMN).addErrorMessage("sampling.mode=replay with tasks.max="
                    + tasksMax.trim() + " needs key.column: each key's rows go to one task so every series stays"
                    + " in order. Set key.column (such as Index) or tasks.max=1.");
        }
    }

    /** opencsv needs separator, quote and escape to differ; say so on the key that collides. */
    private static void checkDistinctCharacters(CsvSamplingSourceConfig config, Map<String, ConfigValue> values) {
        char separator = config.dialect().separator();
        char quote = config.dialect().quote();
        Optional<Character> escape = Optional.ofNullable(
                Validators.unescapeCharacter(config.getString(CsvSamplingSourceConfig.CSV_ESCAPE)));
        if (quote == separator) {
            values.get(CsvSamplingSourceConfig.CSV_QUOTE).addErrorMessage("csv.quote '" + quote
                    + "' is also csv.separator; the quote character must differ from the separator.");
        }
        escape.filter(e -> e == separator || e == quote).ifPresent(e ->
                values.get(CsvSamplingSourceConfig.CSV_ESCAPE).addErrorMessage("csv.escape '" + e
                        + "' is also csv.separator or csv.quote; choose another character, or leave it empty"
                        + " for doubled quotes."));
    }

    /**
     * Supported: record {@code n} of a task is a pure function of the file, the configuration, the
     * seed (kept in the offset) and {@code n}, so a task restarted from a committed offset continues
     * the stream exactly, and the worker's transactions make each record appear once.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Accepts offsets of the shape the tasks write (see {@link TaskOffsets}); a null offset resets
     * that partition, so the task starts again from record 0.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> entry : offsets.entrySet()) {
            try {
                TaskOffsets.checkPartition(entry.getKey());
                if (entry.getValue() != null) {
                    TaskOffsets.position(entry.getValue());
                }
            } catch (IllegalArgumentException e) {
                throw new ConnectException("Invalid offset for partition " + entry.getKey() + ": " + e.getMessage());
            }
        }
        return true;
    }
}
