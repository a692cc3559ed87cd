package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin against the oldest Connect API it promises to support (Kafka 3.6): the
 * plugin's jars and the 3.6.2 {@code connect-api}, {@code kafka-clients} and SLF4J 1.7 jars in one
 * isolated class loader, and every entry point a worker calls (config, validate, start, task
 * configs, exactly-once support, offset alteration, task start, poll, stop) invoked through it. A
 * reference to an API added after 3.6 fails here with a {@link LinkageError}.
 */
class Kafka36CompatibilityIT {

    private static URLClassLoader loader;

    @BeforeAll
    static void loadPluginOnConnect36() throws Exception {
        List<URL> jars = new ArrayList<>();
        for (String dir : List.of(System.getProperty("connect.api.3.6.dir"), System.getProperty("plugin.dir"))) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    jars.add(jar.toUri().toURL());
                }
            }
        }
        loader = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        assertThat(loader.loadClass("org.apache.kafka.common.utils.AppInfoParser").getMethod("getVersion").invoke(null))
                .isEqualTo("3.6.2");
    }

    @AfterAll
    static void close() throws Exception {
        loader.close();
    }

    @Test
    void connectorAndTaskRunOnTheKafka36ConnectApi() throws Exception {
        Map<String, String> props = new HashMap<>(Map.of("name", "compat", "topic", "quotes",
                "records.per.second", "1000", "key.column", "Index", "field.names", "snake_case", "random.seed", "1"));
        Object connector = loader.loadClass(ConnectCluster.CONNECTOR_CLASS).getDeclaredConstructor().newInstance();

        assertThat(call(connector, "version")).isEqualTo(System.getProperty("project.version"));
        Object validation = call(connector, "validate", props);
        List<?> values = (List<?>) call(validation, "configValues");
        for (Object value : values) {
            assertThat((List<?>) call(value, "errorMessages")).as("errors of %s", call(value, "name")).isEmpty();
        }
        call(connector, "start", props);
        assertThat(call(connector, "exactlyOnceSupport", props).toString()).isEqualTo("SUPPORTED");
        Map<String, Object> partition = new java.util.LinkedHashMap<>();
        partition.put("file", "/data/a.csv");
        partition.put("task", 0);
        assertThat(call(connector, "alterOffsets", props, Map.of(partition, Map.of("sequence", 5L, "seed", 1L))))
                .isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<Map<String, String>> taskConfigs = (List<Map<String, String>>) call(connector, "taskConfigs", 2);
        assertThat(taskConfigs).hasSize(2);

        Class<?> taskClass = (Class<?>) call(connector, "taskClass");
        Object task = taskClass.getDeclaredConstructor().newInstance();
        call(task, "initialize", taskContext(taskConfigs.get(0)));
        call(task, "start", taskConfigs.get(0));
        List<?> records = null;
        for (int attempt = 0; attempt < 20 && records == null; attempt++) {
            records = (List<?>) call(task, "poll");
        }
        assertThat(records).isNotEmpty();
        Object value = call(records.get(0), "value");
        assertThat(call(value, "get", "index")).isInstanceOf(String.class);
        assertThat(call(value, "get", "volume")).isInstanceOf(Long.class);
        assertThat(call(records.get(0), "key")).isEqualTo(call(value, "get", "index"));
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName metrics = new javax.management.ObjectName(
                "io.github.csvsampling:type=csv-sampling-source-task-metrics,connector=compat,task=0");
        assertThat(((Number) server.getAttribute(metrics, "records-emitted-total")).longValue())
                .as("without plugin metrics (KIP-877) the task publishes its metrics as an MBean")
                .isEqualTo(records.size());
        call(task, "stop");
        assertThat(server.isRegistered(metrics)).isFalse();
        call(connector, "stop");
    }

    /** A SourceTaskContext of the 3.6 API with no stored offsets. */
    private static Object taskContext(Map<String, String> configs) throws ClassNotFoundException {
        Class<?> readerType = loader.loadClass("org.apache.kafka.connect.storage.OffsetStorageReader");
        Object reader = Proxy.newProxyInstance(loader, new Class<?>[] {readerType},
                (proxy, method, args) -> method.getName().equals("offsets") ? Map.of() : null);
        Class<?> contextType = loader.loadClass("org.apache.kafka.connect.source.SourceTaskContext");
        return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "configs":
                    return configs;
                case "offsetStorageReader":
                    return reader;
                default:
                    return null;
            }
        });
    }

    private static Object call(Object target, String name, Object... args) throws Exception {
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name) && accepts(method.getParameterTypes(), args)) {
                method.setAccessible(true);
                return method.invoke(target, args);
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + "." + name + " with " + args.length + " arguments");
    }

    private static boolean accepts(Class<?>[] types, Object[] args) {
        if (types.length != args.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            boolean boxedInt = types[i] == int.class && args[i] instanceof Integer;
            if (!boxedInt && !types[i].isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }
}
