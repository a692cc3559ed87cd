package io.github.csvsampling.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The main job: a Kafka broker and a Connect worker on 127.0.0.1 with the built plugin, the
 * quickstart connector deployed from {@code connect-configs/}, and its records printed as they
 * arrive, until Ctrl-C or {@code --duration}.
 *
 * <p>Options: {@code --duration 30s|5m} (default: until Ctrl-C), {@code --rate N} (overrides
 * records.per.second), {@code --config FILE} (a POST body for /connectors), {@code --plugin-path DIR},
 * {@code --kafka-port N} (default 9092), {@code --rest-port N} (default 8083), {@code --data-dir DIR}
 * (kept between runs, so a restart continues the stream; default: a temporary directory),
 * {@code --allowed-dirs DIRS} (where csv.path may point, default the repository's {@code data/}).
 */
public final class LocalPipeline {

    private static final ObjectMapper JSON = ConnectRestClient.json();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    /** Counted down once the worker and the broker are closed, so Ctrl-C waits for a clean stop. */
    private static final CountDownLatch CLOSED = new CountDownLatch(1);

    private LocalPipeline() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path pluginPath = Path.of(options.getOrDefault("plugin-path", "csv-sampling-source-connector/target/plugin"));
        Path configFile = Path.of(options.getOrDefault("config", "connect-configs/quickstart-source.json"));
        requireExists(pluginPath.resolve("csv-sampling-source-connector"), "the built plugin");
        requireExists(configFile, "the connector config");
        Duration duration = options.containsKey("duration") ? parseDuration(options.get("duration")) : null;
        // The worker runs in this JVM: this is the operator's setting that limits which files csv.path may name.
        System.setProperty("csv.sampling.allowed.dirs",
                options.getOrDefault("allowed-dirs", Path.of("data").toAbsolutePath().toString()));

        JsonNode body = JSON.readTree(Files.readString(configFile, StandardCharsets.UTF_8));
        String name = body.path("name").asText();
        Map<String, String> config = new LinkedHashMap<>();
        body.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        if (options.containsKey("rate")) {
            config.put("records.per.second", options.get("rate"));
        }
        String topic = config.get("topic");

        LocalKafka.Builder kafkaBuilder = LocalKafka.builder()
                .brokerPort(Integer.parseInt(options.getOrDefault("kafka-port", "9092")));
        if (options.containsKey("data-dir")) {
            kafkaBuilder.dataDir(Path.of(options.get("data-dir")).toAbsolutePath());
        }
        System.out.println("Starting Kafka (KRaft) on 127.0.0.1 ...");
        try {
            run(kafkaBuilder, Integer.parseInt(options.getOrDefault("rest-port", "8083")), pluginPath, name, config, topic,
                    duration);
        } finally {
            CLOSED.countDown();
        }
        System.out.println("Stopped cleanly.");
    }

    private static void run(LocalKafka.Builder kafkaBuilder, int restPort, Path pluginPath, String name, Map<String, String> config,
                            String topic, Duration duration) throws InterruptedException {
        try (LocalKafka kafka = kafkaBuilder.start()) {
            System.out.println("Starting a Connect worker with plugin.path " + pluginPath.toAbsolutePath() + " ...");
            try (LocalConnectWorker worker = LocalConnectWorker.builder(kafka.bootstrapServers())
                    .restPort(restPort)
                    .pluginPath(List.of(pluginPath.toAbsolutePath()))
                    .exactlyOnceSourceSupport(true)
                    .start()) {
                worker.restClient().putConnectorConfig(name, config);
                worker.restClient().awaitConnectorRunning(name, Integer.parseInt(config.getOrDefault("tasks.max", "1")),
                        Duration.ofSeconds(60));
                System.out.printf("%nKafka:        %s%nConnect REST: %s (try: curl %s/connectors/%s/status)%n"
                                + "Connector %s is RUNNING, sampling into topic '%s'. Ctrl-C to stop.%n%n",
                        kafka.bootstrapServers(), worker.restUrl(), worker.restUrl(), name, name, topic);
                printRecords(kafka, topic, duration);
                System.out.println("Stopping the worker and the broker ...");
            }
        }
    }

    /** Prints each record of the topic on one line until the duration elapses or the JVM is asked to stop. */
    private static void printRecords(LocalKafka kafka, String topic, Duration duration) throws InterruptedException {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Map.of("isolation.level", "read_committed"));
        Thread hook = new Thread(() -> {
            consumer.wakeup();
            try {
                CLOSED.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "local-pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        try (consumer) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            consumer.assign(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    System.out.println(describe(record));
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: fall through to a clean shutdown of the worker and the broker
        } finally {
            if (duration != null) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    private static String describe(ConsumerRecord<byte[], byte[]> record) {
        String time = LocalTime.ofInstant(Instant.ofEpochMilli(record.timestamp()), ZoneId.systemDefault()).format(TIME);
        try {
            JsonNode key = record.key() == null ? null : JSON.readTree(record.key()).path("payload");
            JsonNode value = JSON.readTree(record.value()).path("payload");
            return time + "  " + (key == null ? "" : key.asText() + "  ") + value;
        } catch (IOException e) {
            return time + "  " + new String(record.value(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("Expected --option value pairs, got '" + args[i] + "'. Options:"
                        + " --duration, --rate, --config, --plugin-path, --kafka-port, --rest-port, --data-dir, --allowed-dirs");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long amount = Long.parseLong(t.replaceAll("[a-z]+$", ""));
        if (t.endsWith("ms")) {
            return Duration.ofMillis(amount);
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(amount);
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(amount);
        }
        return Duration.ofSeconds(amount);
    }

    private static void requireExists(Path path, String what) {
        if (!Files.exists(path)) {
            System.err.println("Cannot find " + what + " at " + path.toAbsolutePath() + ". Run from the repository"
                    + " root after building: ./mvnw -q install -DskipTests");
            System.exit(2);
        }
    }
}
