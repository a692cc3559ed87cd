package io.github.csvsampling.connect.config;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * A task's configuration: the connector's keys plus the task's place among its siblings, which the
 * connector sets in {@code taskConfigs()} and users never write.
 */
public final class CsvSamplingSourceTaskConfig extends CsvSamplingSourceConfig {

    public static final String TASK_ID = "task.id";
    public static final String TASK_COUNT = "task.count";

    private static final ConfigDef TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
            .define(TASK_ID, Type.INT, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Range.atLeast(0), Importance.HIGH,
                    "This task's number, from 0; set by the connector.")
            .define(TASK_COUNT, Type.INT, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Range.atLeast(1), Importance.HIGH,
                    "How many tasks share the rate and max.records; set by the connector.");

    public CsvSamplingSourceTaskConfig(Map<String, String> props) {
        super(TASK_CONFIG_DEF, props);
    }

    /** The properties of task {@code taskId} of {@code taskCount}. */
    public static Map<String, String> forTask(Map<String, String> connectorProps, int taskId, int taskCount) {
        Map<String, String> props = new HashMap<>(connectorProps);
        props.put(TASK_ID, Integer.toString(taskId));
        props.put(TASK_COUNT, Integer.toString(taskCount));
        return props;
    }

    public int taskId() {
        return getInt(TASK_ID);
    }

    public int taskCount() {
        return getInt(TASK_COUNT);
    }

    /** This task's share of records.per.second. */
    public double taskRecordsPerSecond() {
        return recordsPerSecond() / taskCount();
    }

    /**
     * This task's share of max.records ({@link Long#MAX_VALUE} when unbounded); the remainder of the
     * division goes to the first tasks, so a task's share may be 0.
     */
    public long taskMaxRecords() {
        long total = maxRecords();
        if (total == 0) {
            return Long.MAX_VALUE;
        }
        return total / taskCount() + (taskId() < total % taskCount() ? 1 : 0);
    }
}
