package io.github.csvsampling.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvSamplingSourceTaskConfigTest {

    private static Map<String, String> connectorProps(String... keysAndValues) {
        Map<String, String> props = new HashMap<>();
        props.put("topic", "prices");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return props;
    }

    private static CsvSamplingSourceTaskConfig task(Map<String, String> connectorProps, int taskId, int taskCount) {
        return new CsvSamplingSourceTaskConfig(CsvSamplingSourceTaskConfig.forTask(connectorProps, taskId, taskCount));
    }

    @Test
    void forTaskAddsThePlaceOfTheTaskAndKeepsEveryConnectorKey() {
        Map<String, String> connector = connectorProps("records.per.second", "10", "field.names", "snake_case");

        Map<String, String> props = CsvSamplingSourceTaskConfig.forTask(connector, 2, 3);

        assertThat(props).containsAllEntriesOf(connector)
                .containsEntry("task.id", "2")
                .containsEntry("task.count", "3");
        assertThat(connector).doesNotContainKeys("task.id", "task.count");
        CsvSamplingSourceTaskConfig config = new CsvSamplingSourceTaskConfig(props);
        assertThat(config.taskId()).isEqualTo(2);
        assertThat(config.taskCount()).isEqualTo(3);
        assertThat(config.topic()).isEqualTo("prices");
        assertThat(config.fieldNaming()).isEqualTo(io.github.csvsampling.connect.schema.FieldNaming.SNAKE_CASE);
    }

    @Test
    void taskKeysAreNotConnectorKeys() {
        assertThat(CsvSamplingSourceConfig.CONFIG_DEF.names()).doesNotContain("task.id", "task.count");
    }

    @Test
    void theTaskKeysAreRequired() {
        assertThatThrownBy(() -> new CsvSamplingSourceTaskConfig(connectorProps()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.");
    }

    @Test
    void theTaskKeysAreChecked() {
        assertThatThrownBy(() -> task(connectorProps(), -1, 2))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.id");
        assertThatThrownBy(() -> task(connectorProps(), 0, 0))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.count");
    }

    @Test
    void eachTaskTakesItsShareOfTheRate() {
        Map<String, String> props = connectorProps("records.per.second", "10");

        assertThat(task(props, 0, 4).taskRecordsPerSecond()).isEqualTo(2.5);
        assertThat(task(props, 3, 4).taskRecordsPerSecond()).isEqualTo(2.5);
        assertThat(task(props, 0, 1).taskRecordsPerSecond()).isEqualTo(10);
        assertThat(task(connectorProps("records.per.second", "0.2"), 1, 2).taskRecordsPerSecond()).isEqualTo(0.1);
    }

    @ParameterizedTest(name = "max.records={0} over {1} tasks -> {2}")
    @CsvSource({
            "5, 2, '3,2'",
            "1, 3, '1,0,0'",
            "6, 3, '2,2,2'",
            "7, 3, '3,2,2'",
            "8, 3, '3,3,2'",
            "2, 5, '1,1,0,0,0'",
            "1, 1, '1'",
    })
    void theRemainderOfMaxRecordsGoesToTheFirstTasks(long maxRecords, int tasks, String shares) {
        Map<String, String> props = connectorProps("max.records", Long.toString(maxRecords));
        StringBuilder actual = new StringBuilder();
        for (int task = 0; task < tasks; task++) {
            actual.append(task == 0 ? "" : ",").append(task(props, task, tasks).taskMaxRecords());
        }

        assertThat(actual).hasToString(shares);
    }

    @Test
    void sharesAlwaysAddUpToMaxRecords() {
        for (long total : new long[] {1, 2, 9, 10, 11, 1_000_003, Long.MAX_VALUE}) {
            for (int tasks = 1; tasks <= 12; tasks++) {
                Map<String, String> props = connectorProps("max.records", Long.toString(total));
                long sum = 0;
                long min = Long.MAX_VALUE;
                long max = 0;
                for (int task = 0; task < tasks; task++) {
                    long share = task(props, task, tasks).taskMaxRecords();
                    sum += share;
                    min = Math.min(min, share);
                    max = Math.max(max, share);
                }
                assertThat(sum).as("%d over %d tasks", total, tasks).isEqualTo(total);
                assertThat(max - min).as("%d over %d tasks", total, tasks).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void zeroMaxRecordsIsUnboundedForEveryTask() {
        Map<String, String> props = connectorProps("max.records", "0");

        for (int task = 0; task < 3; task++) {
            assertThat(task(props, task, 3).taskMaxRecords()).isEqualTo(Long.MAX_VALUE);
        }
        assertThat(task(connectorProps(), 0, 1).taskMaxRecords()).isEqualTo(Long.MAX_VALUE);
    }
}
