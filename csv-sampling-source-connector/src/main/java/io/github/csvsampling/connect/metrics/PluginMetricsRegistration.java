package io.github.csvsampling.connect.metrics;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.connect.source.SourceTaskContext;

/**
 * The metrics registered through the worker's plugin metrics (KIP-877, Kafka 4.1+).
 *
 * <p>The plugin is compiled against the oldest Connect API it supports (Kafka 3.6), which has no
 * {@code SourceTaskContext.pluginMetrics()} and no {@code PluginMetrics}: they are reached by
 * reflection, through the types a 3.6 worker has too ({@link MetricName}, {@link Gauge}). On an
 * older worker {@link #register} fails with {@link UnsupportedOperationException}, which the caller
 * catches, and nothing else of the connector is affected.
 */
final class PluginMetricsRegistration implements TaskMetrics.Registration {

    private final Object pluginMetrics;
    private final Method removeMetric;
    private final List<MetricName> names;

    private PluginMetricsRegistration(Object pluginMetrics, Method removeMetric, List<MetricName> names) {
        this.pluginMetrics = pluginMetrics;
        this.removeMetric = removeMetric;
        this.names = names;
    }

    /**
     * Adds the metrics, without tags of their own: the worker tags them with the connector and task.
     *
     * @throws UnsupportedOperationException on a worker before Kafka 4.1, or when the context offers no plugin
     *                                       metrics
     * @throws LinkageError                  when the worker's context does not implement the method
     */
    static TaskMetrics.Registration register(SourceTaskContext context, List<TaskMetrics.Definition> definitions) {
        Method accessor;
        try {
            accessor = SourceTaskContext.class.getMethod("pluginMetrics");
        } catch (NoSuchMethodException e) {
            throw new UnsupportedOperationException("The worker's Connect API predates plugin metrics (Kafka 4.1)");
        }
        Object pluginMetrics = invoke(accessor, context);
        if (pluginMetrics == null) {
            throw new UnsupportedOperationException("The task context offers no plugin metrics");
        }
        Class<?> type = accessor.getReturnType();
        Method metricName = method(type, "metricName", String.class, String.class, LinkedHashMap.class);
        Method addMetric = method(type, "addMetric", MetricName.class, MetricValueProvider.class);
        Method removeMetric = method(type, "removeMetric", MetricName.class);
        List<MetricName> names = new ArrayList<>(definitions.size());
        try {
            for (TaskMetrics.Definition definition : definitions) {
                MetricName name = (MetricName) invoke(metricName, pluginMetrics, definition.name(),
                        definition.description(), new LinkedHashMap<String, String>());
                invoke(addMetric, pluginMetrics, name, (Gauge<Object>) (config, now) -> definition.value().get());
                names.add(name);
            }
        } catch (RuntimeException e) {
            new PluginMetricsRegistration(pluginMetrics, removeMetric, names).close();
            throw e;
        }
        return new PluginMetricsRegistration(pluginMetrics, removeMetric, names);
    }

    @Override
    public void close() {
        for (MetricName name : names) {
            try {
                invoke(removeMetric, pluginMetrics, name);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // The worker closed its plugin metrics first (which removed ours) or removed this one.
            }
        }
        names.clear();
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new UnsupportedOperationException("The worker's PluginMetrics has no " + name + " method", e);
        }
    }

    /** Calls {@code method}, rethrowing what it throws as it is. */
    private static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new UnsupportedOperationException("The worker's plugin metrics are not accessible", e);
        }
    }
}
