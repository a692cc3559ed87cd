package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code docker-compose.yml}, checked structurally (it cannot run here: no Docker). */
class DockerComposeTest {

    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        compose = new ObjectMapper(new YAMLFactory()).readTree(Repo.COMPOSE.toFile());
        services = compose.path("services");
    }

    private static String env(String service, String name) {
        return services.path(service).path("environment").path(name).asText(null);
    }

    @Test
    void hasTheWholePipeline() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("kafka", "connect", "minio", "minio-init", "kafka-ui");
    }

    @Test
    void everyImageIsPinnedToAnExactVersion() {
        services.fields().forEachRemaining(s -> {
            String image = s.getValue().path("image").asText();
            assertThat(image).as(s.getKey()).isNotEmpty().doesNotEndWith(":latest").doesNotEndWith(":main")
                    .matches(".+:(v?\\d+\\.\\d+\\.\\d+|RELEASE\\.\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z)(@sha256:[0-9a-f]{64})?");
        });
    }

    @Test
    void everyPublishedPortIsOnLoopbackOnly() {
        services.fields().forEachRemaining(s -> s.getValue().path("ports").forEach(port -> {
            assertThat(port.isTextual()).as("%s: short syntax HOST_IP:HOST:CONTAINER", s.getKey()).isTrue();
            assertThat(port.asText()).as(s.getKey()).matches("127\\.0\\.0\\.1:\\d+:\\d+");
        }));
    }

    @Test
    void longRunningServicesHaveHealthChecksAndStartInOrder() {
        for (String service : List.of("kafka", "connect", "minio", "kafka-ui")) {
            JsonNode health = services.path(service).path("healthcheck");
            assertThat(health.path("test").isMissingNode()).as("%s has a healthcheck", service).isFalse();
            assertThat(health.path("disable").asBoolean(false)).isFalse();
        }
        assertThat(services.at("/connect/depends_on/kafka/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/connect/depends_on/minio-init/condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(services.at("/minio-init/depends_on/minio/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/kafka-ui/depends_on/connect/condition").asText()).isEqualTo("service_healthy");
    }

    @Test
    void kafkaRunsInKraftModeWithTransactionsOnOneBroker() {
        assertThat(env("kafka", "KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(env("kafka", "KAFKA_CONTROLLER_QUORUM_VOTERS")).isNotBlank();
        assertThat(env("kafka", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(env("kafka", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo("1");
        assertThat(env("kafka", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(env("kafka", "KAFKA_ADVERTISED_LISTENERS")).contains("127.0.0.1:9092");
    }

    @Test
    void connectHasBothPluginsExactlyOnceAndJsonWithSchemas() {
        // Our plugin: the build output directory that holds csv-sampling-source-connector/.
        JsonNode volumes = services.path("connect").path("volumes");
        String pluginMount = null;
        for (JsonNode volume : volumes) {
            if (volume.asText().startsWith("./csv-sampling-source-connector/target/plugin:")) {
                pluginMount = volume.asText().split(":")[1];
            }
        }
        assertThat(pluginMount).as("the plugin directory is mounted from the build output").isNotNull();
        assertThat(Repo.ROOT.relativize(Repo.PLUGIN_DIR).toString().replace('\\', '/'))
                .isEqualTo("csv-sampling-source-connector/target/plugin");
        assertThat(List.of(env("connect", "CONNECT_PLUGIN_PATH").split(",")))
                .contains(pluginMount, "/usr/share/confluent-hub-components");
        // The S3 sink from Confluent Hub at start, a pinned 10.6.x (10.6.0+ works on Kafka 4.x workers).
        String command = String.join(" ", iterable(services.path("connect").path("command")));
        assertThat(command).containsPattern("confluent-hub install --no-prompt confluentinc/kafka-connect-s3:10\\.6\\.\\d+\\s");
        assertThat(env("connect", "CONNECT_EXACTLY_ONCE_SOURCE_SUPPORT")).isEqualTo("enabled");
        for (String topic : List.of("CONFIG", "OFFSET", "STATUS")) {
            assertThat(env("connect", "CONNECT_" + topic + "_STORAGE_REPLICATION_FACTOR")).isEqualTo("1");
        }
        assertThat(env("connect", "CONNECT_VALUE_CONVERTER")).isEqualTo("org.apache.kafka.connect.json.JsonConverter");
        assertThat(env("connect", "CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE")).isEqualTo("true");
        assertThat(env("connect", "CONNECT_CONFIG_PROVIDERS_FILE_CLASS"))
                .isEqualTo("org.apache.kafka.common.config.provider.FileConfigProvider");
        // The directory the connector may read CSV files from, mounted read-only.
        assertThat(env("connect", "CSV_SAMPLING_ALLOWED_DIRS")).isEqualTo("/data");
        assertThat(iterable(volumes)).contains("./data:/data:ro");
    }

    @Test
    void minioCredentialsReachTheSinkOnlyThroughTheWorkersEnvironment() {
        assertThat(env("connect", "AWS_ACCESS_KEY_ID")).isEqualTo("${MINIO_ROOT_USER:-minioadmin}")
                .isEqualTo(env("minio", "MINIO_ROOT_USER"));
        assertThat(env("connect", "AWS_SECRET_ACCESS_KEY")).isEqualTo("${MINIO_ROOT_PASSWORD:-minioadmin}")
                .isEqualTo(env("minio", "MINIO_ROOT_PASSWORD"));
        Map<String, String> sink = Repo.connectorConfig(Repo.SINK_MINIO);
        assertThat(sink).doesNotContainKeys("aws.access.key.id", "aws.secret.access.key");
        // The bucket the init container creates is the MinIO sink's, at the endpoint the sink uses.
        assertThat(env("minio-init", "S3_BUCKET")).isEqualTo(sink.get("s3.bucket.name"));
        assertThat(sink.get("store.url")).isEqualTo("http://minio:9000");
        assertThat(String.join(" ", iterable(services.path("minio-init").path("command")))).contains("mc mb");
    }

    @Test
    void theConnectUiPointsAtConnect() {
        assertThat(services.path("kafka-ui").path("image").asText()).startsWith("ghcr.io/kafbat/kafka-ui:");
        assertThat(env("kafka-ui", "KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS")).isEqualTo("http://connect:8083");
        assertThat(env("kafka-ui", "KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"))
                .isEqualTo(env("connect", "CONNECT_BOOTSTRAP_SERVERS"));
        assertThat(env("connect", "CONNECT_LISTENERS")).endsWith(":8083");
    }

    @Test
    void theConsoleRunsTheBuiltJarAgainstTheStacksEndpoints() throws IOException {
        JsonNode console = services.path("console");
        List<String> command = iterable(console.path("command"));
        java.util.function.Function<String, String> flag = name -> command.get(command.indexOf(name) + 1);
        assertThat(flag.apply("--connect-url")).isEqualTo(services.path("kafka-ui").path("environment")
                .path("KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS").asText());
        assertThat(flag.apply("--bootstrap")).isEqualTo(env("connect", "CONNECT_BOOTSTRAP_SERVERS"));
        assertThat(flag.apply("--s3-endpoint")).isEqualTo(Repo.connectorConfig(Repo.SINK_MINIO).get("store.url"));
        assertThat(flag.apply("--bucket")).isEqualTo(env("minio-init", "S3_BUCKET"));
        // Published on loopback only (checked above for every service), on the port it listens on.
        assertThat(iterable(console.path("ports"))).containsExactly("127.0.0.1:" + flag.apply("--port") + ":"
                + flag.apply("--port"));
        // The jar the build writes (its finalName), mounted from the module's build output.
        String mount = iterable(console.path("volumes")).stream().filter(v -> v.startsWith("./pipeline-console/target:"))
                .findFirst().orElseThrow().split(":")[1];
        assertThat(iterable(console.path("entrypoint"))).contains("-jar", mount + "/pipeline-console.jar");
        assertThat(java.nio.file.Files.readString(Repo.ROOT.resolve("pipeline-console/pom.xml")))
                .contains("<finalName>pipeline-console</finalName>");
        // Credentials only through the environment, as for the sink.
        assertThat(console.path("environment").path("AWS_ACCESS_KEY_ID").asText())
                .isEqualTo(env("minio", "MINIO_ROOT_USER"));
        assertThat(String.join(" ", command)).doesNotContain("minioadmin");
        assertThat(console.path("healthcheck").path("test").isMissingNode()).isFalse();
        assertThat(console.at("/depends_on/connect/condition").asText()).isEqualTo("service_healthy");
    }

    private static List<String> iterable(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }
}
