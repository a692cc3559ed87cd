package io.github.csvsampling.stack;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The context of a source task run without a worker (unit tests, data generation, heap probes): its
 * configuration, the source offsets stored so far (a live view of the given map, so callers can
 * change them between starts), and no plugin metrics, as on workers before Kafka 4.1.
 */
public final class StandaloneTaskContext implements SourceTaskContext {

    private final Map<String, String> configs;
    private final Map<? extends Map<String, ?>, Map<String, Object>> storedOffsets;

    /** A first start: no stored offsets. */
    public StandaloneTaskContext(Map<String, String> configs) {
        this(configs, Map.of());
    }

    public StandaloneTaskContext(Map<String, String> configs,
                                 Map<? extends Map<String, ?>, Map<String, Object>> storedOffsets) {
        this.configs = configs;
        this.storedOffsets = storedOffsets;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return storedOffsets.get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
                partitions.forEach(p -> result.put(p, offset(p)));
                return result;
            }
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        throw new UnsupportedOperationException("no plugin metrics outside a worker, as on workers before Kafka 4.1");
    }
}
