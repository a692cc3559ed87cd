package io.github.csvsampling.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.csvsampling.connect.CsvSamplingSourceConnector;
import io.github.csvsampling.stack.StandaloneTaskContext;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** Records from the real connector, started as a worker would start it, with the shipped source config. */
final class SampledRecords {

    private SampledRecords() {
    }

    /** {@code count} records of the config's stream, as fast as the connector allows, with a fixed seed. */
    static List<SourceRecord> take(Map<String, String> sourceConfig, int count, long seed) throws InterruptedException {
        Map<String, String> props = new java.util.HashMap<>(sourceConfig);
        props.put("random.seed", Long.toString(seed));
        props.put("records.per.second", "10000000");
        props.put("max.records", Integer.toString(count));
        props.put("tasks.max", "1");
        CsvSamplingSourceConnector connector = new CsvSamplingSourceConnector();
        connector.start(props);
        Map<String, String> taskProps = connector.taskConfigs(1).get(0);
        SourceTask task;
        try {
            task = (SourceTask) connector.taskClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        task.initialize(new StandaloneTaskContext(taskProps));
        List<SourceRecord> records = new ArrayList<>();
        task.start(taskProps);
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (records.size() < count && System.nanoTime() < deadline) {
                List<SourceRecord> batch = task.poll();
                if (batch != null) {
                    records.addAll(batch);
                }
            }
        } finally {
            task.stop();
            connector.stop();
        }
        if (records.size() != count) {
            throw new IllegalStateException("the connector emitted " + records.size() + " records, not " + count);
        }
        return records;
    }
}
