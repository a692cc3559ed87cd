package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docker-compose.yml}, checked structurally (it cannot run here: no Docker): against the Compose
 * Specification's JSON schema, which catches what {@code docker compose config} would reject on structure
 * ({@code src/test/resources/compose-spec.json}, from compose-spec/compose-spec, commit 170098b, Apache License
 * 2.0), and for what the pipeline needs of it. The file is read as Compose reads it: YAML anchors and merge keys
 * ({@code <<: *connect-worker}) resolved (SnakeYAML; Jackson's YAML parser leaves merge keys as they are).
 */
class DockerComposeTest {

    private static final List<String> WORKERS = List.of("connect-1", "connect-2");

    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        compose = load();
        services = compose.path("services");
    }

    static JsonNode load() throws IOException {
        try (Reader reader = Files.newBufferedReader(Repo.COMPOSE)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return new ObjectMapper().valueToTree(document);
        }
    }

    private static String env(String service, String name) {
        return services.path(service).path("environment").path(name).asText(null);
    }

    @Test
    void conformsToTheComposeSpecification() {
        JsonSchema schema = composeSchema();
        assertThat(schema.validate(compose)).as("docker-compose.yml against the Compose Specification").isEmpty();

        // The check can fail: a key Compose does not know, and a port given as an object it does not accept.
        ObjectNode broken = compose.deepCopy();
        ((ObjectNode) broken.path("services").path("connect-1")).put("replica", 2);
        ((ObjectNode) broken.path("services").path("connect-2")).putObject("healthcheck").put("interval", 10);
        Set<ValidationMessage> errors = schema.validate(broken);
        assertThat(errors.stream().map(ValidationMessage::getMessage).toList())
                .anyMatch(m -> m.contains("replica")).anyMatch(m -> m.contains("interval"));
    }

    @Test
    void hasTheWholePipeline() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("kafka", "connect-1", "connect-2", "minio", "minio-init", "kafka-ui",
                "console");
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
        for (String service : List.of("kafka", "connect-1", "connect-2", "minio", "kafka-ui")) {
            JsonNode health = services.path(service).path("healthcheck");
            assertThat(health.path("test").isMissingNode()).as("%s has a healthcheck", service).isFalse();
            assertThat(health.path("disable").asBoolean(false)).isFalse();
        }
        for (String worker : WORKERS) {
            assertThat(services.at("/" + worker + "/depends_on/kafka/condition").asText()).isEqualTo("service_healthy");
            assertThat(services.at("/" + worker + "/depends_on/minio-init/condition").asText())
                    .isEqualTo("service_completed_successfully");
            assertThat(services.at("/kafka-ui/depends_on/" + worker + "/condition").asText()).isEqualTo("service_healthy");
        }
        assertThat(services.at("/minio-init/depends_on/minio/condition").asText()).isEqualTo("service_healthy");
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

    /**
     * Two workers of one Connect cluster: the same group and internal topics, the same settings, plugins and files;
     * what differs is only what must: the hostname each advertises to the other (a worker forwards config changes
     * to the group's leader by its advertised URL, so it must reach that worker and no other) and the port it is
     * published on.
     */
    @Test
    void twoWorkersFormOneClusterAndDifferOnlyInWhatMustDiffer() {
        JsonNode first = services.path("connect-1");
        JsonNode second = services.path("connect-2");
        assertThat(env("connect-1", "CONNECT_GROUP_ID")).isNotBlank().isEqualTo(env("connect-2", "CONNECT_GROUP_ID"));
        for (String topic : List.of("CONFIG", "OFFSET", "STATUS")) {
            assertThat(env("connect-1", "CONNECT_" + topic + "_STORAGE_TOPIC")).isNotBlank()
                    .isEqualTo(env("connect-2", "CONNECT_" + topic + "_STORAGE_TOPIC"));
        }
        for (String worker : WORKERS) {
            assertThat(env(worker, "CONNECT_REST_ADVERTISED_HOST_NAME")).as("%s advertises its own name", worker)
                    .isEqualTo(worker).isEqualTo(services.path(worker).path("hostname").asText());
        }
        assertThat(first.path("ports").get(0).asText()).isEqualTo("127.0.0.1:8083:8083");
        assertThat(second.path("ports").get(0).asText()).isEqualTo("127.0.0.1:8084:8083");

        assertThat(withoutWhatDiffers(second)).as("connect-2 is connect-1 but for its name and port")
                .isEqualTo(withoutWhatDiffers(first));
        assertThat(first.path("environment").size()).as("settings of each worker").isGreaterThan(20);
    }

    private static JsonNode withoutWhatDiffers(JsonNode worker) {
        ObjectNode copy = worker.deepCopy();
        copy.remove(List.of("hostname", "ports"));
        ((ObjectNode) copy.path("environment")).remove("CONNECT_REST_ADVERTISED_HOST_NAME");
        return copy;
    }

    @Test
    void everyWorkerHasBothPluginsExactlyOnceAndJsonWithSchemas() {
        assertThat(Repo.ROOT.relativize(Repo.PLUGIN_DIR).toString().replace('\\', '/'))
                .isEqualTo("csv-sampling-source-connector/target/plugin");
        for (String worker : WORKERS) {
            // Our plugin: the build output directory that holds csv-sampling-source-connector/, read-only.
            JsonNode volumes = services.path(worker).path("volumes");
            String pluginMount = null;
            for (JsonNode volume : volumes) {
                if (volume.asText().startsWith("./csv-sampling-source-connector/target/plugin:")) {
                    pluginMount = volume.asText().split(":")[1];
                    assertThat(volume.asText()).as("%s mounts the plugin read-only", worker).endsWith(":ro");
                }
            }
            assertThat(pluginMount).as("%s mounts the plugin directory from the build output", worker).isNotNull();
            assertThat(List.of(env(worker, "CONNECT_PLUGIN_PATH").split(",")))
                    .contains(pluginMount, "/usr/share/confluent-hub-components");
            // The S3 sink from Confluent Hub at start, the release named in the one file the main job reads too.
            String command = String.join(" ", iterable(services.path(worker).path("command")));
            assertThat(command).contains("confluent-hub install --no-prompt \"confluentinc/kafka-connect-s3:$${S3_SINK_VERSION:?}\"");
            assertThat(iterable(services.path(worker).path("env_file"))).containsExactly("./connect-configs/s3-sink.env");
            assertThat(env(worker, "CONNECT_EXACTLY_ONCE_SOURCE_SUPPORT")).isEqualTo("enabled");
            for (String topic : List.of("CONFIG", "OFFSET", "STATUS")) {
                assertThat(env(worker, "CONNECT_" + topic + "_STORAGE_REPLICATION_FACTOR")).isEqualTo("1");
            }
            assertThat(env(worker, "CONNECT_VALUE_CONVERTER")).isEqualTo("org.apache.kafka.connect.json.JsonConverter");
            assertThat(env(worker, "CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE")).isEqualTo("true");
            assertThat(env(worker, "CONNECT_CONFIG_PROVIDERS_FILE_CLASS"))
                    .isEqualTo("org.apache.kafka.common.config.provider.FileConfigProvider");
            // The directory the connector may read CSV files from, mounted read-only: a task reads the same file
            // on whichever worker it runs.
            assertThat(env(worker, "CSV_SAMPLING_ALLOWED_DIRS")).isEqualTo("/data");
            assertThat(iterable(volumes)).contains("./data:/data:ro");
        }
    }

    /** The S3 sink's release is named in one file, which the compose stack and the main job both read. */
    @Test
    void theS3SinkReleaseIsNamedInOnePlace() throws Exception {
        String version = io.github.csvsampling.pipeline.local.S3SinkPlugin.version(Repo.ROOT);
        assertThat(version).as("a release of a line that runs on Kafka 4.x workers (10.6.0 or newer)")
                .matches("(10\\.(6|[7-9])|1[1-9]\\.\\d+)\\.\\d+");
        assertThat(Repo.text(Repo.ROOT.resolve("connect-configs/s3-sink.env"))).contains("S3_SINK_VERSION=" + version);
        assertThat(Repo.text(Repo.COMPOSE)).doesNotContain("kafka-connect-s3:1").contains("$${S3_SINK_VERSION:?}");
    }

    /**
     * Connect's default {@code scheduled.rebalance.max.delay.ms} leaves the tasks of a worker that stopped unassigned
     * for 5 minutes, even if it is back in seconds; the stack sets a shorter one, and docs/scaling.md explains it.
     */
    @Test
    void theRebalanceDelayIsShorterThanConnectsDefaultAndDocumented() {
        for (String worker : WORKERS) {
            long delay = Long.parseLong(env(worker, "CONNECT_SCHEDULED_REBALANCE_MAX_DELAY_MS"));
            assertThat(delay).as("%s: scheduled.rebalance.max.delay.ms", worker).isBetween(10_000L, 300_000L - 1);
            assertThat(Repo.text(Repo.ROOT.resolve("docs/scaling.md")))
                    .contains("CONNECT_SCHEDULED_REBALANCE_MAX_DELAY_MS: " + delay);
        }
    }

    @Test
    void minioCredentialsReachTheSinkOnlyThroughTheWorkersEnvironment() {
        for (String worker : WORKERS) {
            assertThat(env(worker, "AWS_ACCESS_KEY_ID")).isEqualTo("${MINIO_ROOT_USER:-minioadmin}")
                    .isEqualTo(env("minio", "MINIO_ROOT_USER"));
            assertThat(env(worker, "AWS_SECRET_ACCESS_KEY")).isEqualTo("${MINIO_ROOT_PASSWORD:-minioadmin}")
                    .isEqualTo(env("minio", "MINIO_ROOT_PASSWORD"));
        }
        Map<String, String> sink = Repo.connectorConfig(Repo.SINK_MINIO);
        assertThat(sink).doesNotContainKeys("aws.access.key.id", "aws.secret.access.key");
        // The bucket the init container creates is the MinIO sink's, at the endpoint the sink uses.
        assertThat(env("minio-init", "S3_BUCKET")).isEqualTo(sink.get("s3.bucket.name"));
        assertThat(sink.get("store.url")).isEqualTo("http://minio:9000");
        assertThat(String.join(" ", iterable(services.path("minio-init").path("command")))).contains("mc mb");
    }

    /**
     * The UI reaches the cluster through the network alias every worker answers to (Docker's DNS resolves it to
     * the workers that are up), and the deploy script through either published port: any worker serves the whole
     * cluster's REST API.
     */
    @Test
    void theConnectUiAndTheDeployScriptReachEitherWorker() {
        assertThat(services.path("kafka-ui").path("image").asText()).startsWith("ghcr.io/kafbat/kafka-ui:");
        assertThat(env("kafka-ui", "KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS")).isEqualTo("http://connect:8083");
        Set<String> aliased = new TreeSet<>();
        services.fields().forEachRemaining(s -> s.getValue().path("networks").path("default").path("aliases")
                .forEach(alias -> {
                    if (alias.asText().equals("connect")) {
                        aliased.add(s.getKey());
                    }
                }));
        assertThat(aliased).as("services answering to the alias connect").containsExactlyElementsOf(WORKERS);
        assertThat(services.has("connect")).as("no service named connect besides the alias").isFalse();
        for (String worker : WORKERS) {
            assertThat(env("kafka-ui", "KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"))
                    .isEqualTo(env(worker, "CONNECT_BOOTSTRAP_SERVERS"));
            assertThat(env(worker, "CONNECT_LISTENERS")).endsWith(":8083");
        }
        assertThat(Repo.text(Repo.DEPLOY_SCRIPT)).contains("http://127.0.0.1:8083");
    }

    /** The schema from the test class path, which also gives its relative {@code $id} a base. */
    private static JsonSchema composeSchema() {
        assertThat(DockerComposeTest.class.getResource("/compose-spec.json")).as("compose-spec.json on the test class path")
                .isNotNull();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(SchemaLocation.of("classpath:compose-spec.json"));
    }

    @Test
    void theConsoleRunsTheBuiltJarAgainstTheStacksEndpoints() throws IOException {
        JsonNode console = services.path("console");
        List<String> command = iterable(console.path("command"));
        java.util.function.Function<String, String> flag = name -> command.get(command.indexOf(name) + 1);
        assertThat(flag.apply("--connect-url")).isEqualTo(services.path("kafka-ui").path("environment")
                .path("KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS").asText());
        for (String worker : WORKERS) {
            assertThat(flag.apply("--bootstrap")).isEqualTo(env(worker, "CONNECT_BOOTSTRAP_SERVERS"));
        }
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
