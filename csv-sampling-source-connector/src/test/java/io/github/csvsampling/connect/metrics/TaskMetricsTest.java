package io.github.csvsampling.connect.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Both ways of publishing the metrics, against a real Kafka metrics registry and the platform MBean server. */
class TaskMetricsTest {

    private static final List<String> NAMES = List.of("records-emitted-total", "target-rate", "achieved-rate",
            "schedule-lag-ms", "malformed-rows-skipped-total", "completed", "next-sequence");

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Metrics registry = new Metrics();
    private long nanos = 5_000_000_000L;

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void onAWorkerWithPluginMetricsEveryMetricIsAddedWithItsDescriptionAndRemovedOnClose() throws Exception {
        Map<String, String> workerTags = new LinkedHashMap<>(Map.of("connector", "quotes", "task", "1"));
        PluginMetricsImpl pluginMetrics = new PluginMetricsImpl(registry, workerTags);
        TaskMetrics metrics = TaskMetrics.register(context(() -> pluginMetrics), "quotes", 1, () -> nanos);
        assertThat(metrics.backend()).isEqualTo(TaskMetrics.Backend.PLUGIN_METRICS);
        assertThat(server.isRegistered(TaskMetrics.objectName("quotes", 1))).isFalse();

        update(metrics);

        Map<String, KafkaMetric> plugin = pluginMetricsOf(registry);
        assertThat(plugin.keySet()).containsExactlyInAnyOrderElementsOf(NAMES);
        for (KafkaMetric metric : plugin.values()) {
            assertThat(metric.metricName().group()).isEqualTo("plugins");
            assertThat(metric.metricName().tags()).as("tags come from the worker only").isEqualTo(workerTags);
            assertThat(metric.metricName().description()).as(metric.metricName().name()).isNotBlank();
        }
        assertThat(values(name -> plugin.get(name).metricValue())).isEqualTo(expectedValues());

        metrics.close();
        assertThat(pluginMetricsOf(registry)).isEmpty();
        metrics.close();
        pluginMetrics.close();
    }

    @Test
    void closeAfterTheWorkerClosedItsPluginMetricsIsQuiet() throws Exception {
        PluginMetricsImpl pluginMetrics = new PluginMetricsImpl(registry, Map.of("connector", "quotes", "task", "0"));
        TaskMetrics metrics = TaskMetrics.register(context(() -> pluginMetrics), "quotes", 0, () -> nanos);
        pluginMetrics.close();

        metrics.close();
        assertThat(pluginMetricsOf(registry)).isEmpty();
    }

    @Test
    void onAWorkerWithoutPluginMetricsAnMBeanCarriesTheSameAttributes() throws Exception {
        TaskMetrics metrics = TaskMetrics.register(context(() -> {
            throw new UnsupportedOperationException();
        }), "quotes", 2, () -> nanos);
        assertJmx(metrics, TaskMetrics.objectName("quotes", 2));
    }

    @Test
    void aWorkerBeforeKafka41FailsWithALinkageErrorAndGetsTheMBean() throws Exception {
        TaskMetrics metrics = TaskMetrics.register(context(() -> {
            throw new AbstractMethodError("pluginMetrics");
        }), "quotes", 3, () -> nanos);
        assertJmx(metrics, TaskMetrics.objectName("quotes", 3));
    }

    @Test
    void aContextWithoutPluginMetricsGetsTheMBean() throws Exception {
        TaskMetrics metrics = TaskMetrics.register(context(() -> null), "quotes", 4, () -> nanos);
        assertJmx(metrics, TaskMetrics.objectName("quotes", 4));
    }

    @Test
    void aConnectorNameWithSpecialCharactersIsQuotedInTheObjectName() throws Exception {
        ObjectName name = TaskMetrics.objectName("quotes, \"daily\"=1", 0);
        assertThat(name.getDomain()).isEqualTo("io.github.csvsampling");
        assertThat(name.getKeyProperty("type")).isEqualTo("csv-sampling-source-task-metrics");
        assertThat(ObjectName.unquote(name.getKeyProperty("connector"))).isEqualTo("quotes, \"daily\"=1");
        assertThat(name.getKeyProperty("task")).isEqualTo("0");
        assertThat(TaskMetrics.objectName("stock-quotes", 7).toString())
                .isEqualTo("io.github.csvsampling:type=csv-sampling-source-task-metrics,connector=stock-quotes,task=7");
    }

    @Test
    void aStaleMBeanIsReplacedAndItsOwnerNoLongerRemovesTheNewOne() throws Exception {
        ObjectName name = TaskMetrics.objectName("stale", 0);
        TaskMetrics stale = TaskMetrics.register(context(() -> null), "stale", 0, () -> nanos);
        TaskMetrics fresh = TaskMetrics.register(context(() -> null), "stale", 0, () -> nanos);
        fresh.position(42);

        stale.close();
        assertThat(server.getAttribute(name, "next-sequence")).isEqualTo(42L);
        fresh.close();
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void achievedRateCountsTheCurrentSecondAndTheNineBefore() {
        TaskMetrics metrics = TaskMetrics.unregistered(() -> nanos);
        assertThat(metrics.backend()).isEqualTo(TaskMetrics.Backend.NONE);
        assertThat(metrics.achievedRate()).isZero();

        metrics.recordsEmitted(3);
        assertThat(metrics.achievedRate()).as("within the first second: the count so far").isEqualTo(3.0);

        for (int second = 0; second < 30; second++) {
            advanceMillis(500);
            metrics.recordsEmitted(10);
            advanceMillis(500);
        }
        assertThat(metrics.achievedRate()).as("10 records in each of the last 9 whole seconds").isEqualTo(10.0);

        for (int second = 0; second < 5; second++) {
            advanceMillis(500);
            metrics.recordsEmitted(100);
            advanceMillis(500);
        }
        assertThat(metrics.achievedRate()).as("4 s at 10/s and 5 s at 100/s").isCloseTo(540 / 9.0, within(1e-9));

        advanceMillis(5_000);
        assertThat(metrics.achievedRate()).as("4 s at 100/s, then 5 s idle").isCloseTo(400 / 9.0, within(1e-9));
        advanceMillis(5_000);
        assertThat(metrics.achievedRate()).as("idle for 10 s").isZero();
        assertThat(metrics.recordsEmittedTotal()).isEqualTo(3 + 300 + 500);
    }

    @Test
    void updatesAreReadableWithoutPublishing() {
        TaskMetrics metrics = TaskMetrics.unregistered(() -> nanos);
        update(metrics);
        assertThat(metrics.progress()).isEqualTo(new ProgressLog.Progress(500, 1_500, 60.0, 3_999_999, 2, true));
        metrics.scheduleLag(-5);
        assertThat(metrics.scheduleLagNanos()).isZero();
        metrics.close();
    }

    private void assertJmx(TaskMetrics metrics, ObjectName name) throws Exception {
        try {
            assertThat(metrics.backend()).isEqualTo(TaskMetrics.Backend.JMX);
            assertThat(server.isRegistered(name)).isTrue();
            update(metrics);

            MBeanAttributeInfo[] attributes = server.getMBeanInfo(name).getAttributes();
            assertThat(Arrays.stream(attributes).map(MBeanAttributeInfo::getName)).containsExactlyElementsOf(NAMES);
            assertThat(attributes).allSatisfy(a -> assertThat(a.getDescription()).as(a.getName()).isNotBlank());
            assertThat(values(attribute -> get(name, attribute))).isEqualTo(expectedValues());
        } finally {
            metrics.close();
        }
        assertThat(server.isRegistered(name)).isFalse();
        metrics.close();
    }

    /** 50 records at the start of each of 10 s: the window ends with 9 of those seconds. */
    private void update(TaskMetrics metrics) {
        metrics.targetRate(60.0);
        for (int second = 0; second < 10; second++) {
            metrics.recordsEmitted(50);
            advanceMillis(1_000);
        }
        metrics.position(1_500);
        metrics.scheduleLag(TimeUnit.MILLISECONDS.toNanos(3) + 999_999);
        metrics.malformedRowsSkipped(2);
        metrics.completed(true);
    }

    private static Map<String, Object> expectedValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("records-emitted-total", 500L);
        values.put("target-rate", 60.0);
        values.put("achieved-rate", 50.0);
        values.put("schedule-lag-ms", 3L);
        values.put("malformed-rows-skipped-total", 2L);
        values.put("completed", 1);
        values.put("next-sequence", 1_500L);
        return values;
    }

    private static Map<String, Object> values(Function<String, Object> reader) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            values.put(name, reader.apply(name));
        }
        return values;
    }

    private Object get(ObjectName name, String attribute) {
        try {
            return server.getAttribute(name, attribute);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, KafkaMetric> pluginMetricsOf(Metrics registry) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("plugins"))
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    private void advanceMillis(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static SourceTaskContext context(Supplier<PluginMetrics> pluginMetrics) {
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return Map.of();
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return null;
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return pluginMetrics.get();
            }
        };
    }
}
