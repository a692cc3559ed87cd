package io.github.csvsampling.connect.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;

/**
 * The metrics registered through the worker's plugin metrics (KIP-877, Kafka 4.1+).
 *
 * <p>The only class that names {@link PluginMetrics}, which Kafka before 4.1 lacks: the JVM loads
 * it on the first call of {@link #register}, so on an older worker that call fails with a
 * {@link LinkageError} the caller catches, and nothing else of the connector is affected.
 */
final class PluginMetricsRegistration implements TaskMetrics.Registration {

    private final PluginMetrics pluginMetrics;
    private final List<MetricName> names;

    private PluginMetricsRegistration(PluginMetrics pluginMetrics, List<MetricName> names) {
        this.pluginMetrics = pluginMetrics;
        this.names = names;
    }

    /**
     * Adds the metrics, without tags of their own: the worker tags them with the connector and task.
     *
     * @throws LinkageError                  on a worker before Kafka 4.1
     * @throws UnsupportedOperationException when the context offers no plugin metrics
     */
    static TaskMetrics.Registration register(SourceTaskContext context, List<TaskMetrics.Definition> definitions) {
        PluginMetrics pluginMetrics = context.pluginMetrics();
        if (pluginMetrics == null) {
            throw new UnsupportedOperationException("The task context offers no plugin metrics");
        }
        List<MetricName> names = new ArrayList<>(definitions.size());
        try {
            for (TaskMetrics.Definition definition : definitions) {
                MetricName name = pluginMetrics.metricName(definition.name(), definition.description(),
                        new LinkedHashMap<>());
                pluginMetrics.addMetric(name, (Gauge<Object>) (config, now) -> definition.value().get());
                names.add(name);
            }
        } catch (RuntimeException e) {
            new PluginMetricsRegistration(pluginMetrics, names).close();
            throw e;
        }
        return new PluginMetricsRegistration(pluginMetrics, names);
    }

    @Override
    public void close() {
        for (MetricName name : names) {
            try {
                pluginMetrics.removeMetric(name);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // The worker closed its plugin metrics first (which removed ours) or removed this one.
            }
        }
        names.clear();
    }
}
