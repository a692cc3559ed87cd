package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.CsvSamplingSourceConnector;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connector configs in {@code connect-configs/}: the source passes the connector's own {@code validate()},
 * and the two S3 sink configs use only keys the Confluent S3 sink (10.6+) and Connect define, with valid values
 * (see {@code shared/reference/confluent-s3-sink.md}), and differ only where AWS and MinIO must.
 */
class ConnectorConfigsTest {

    /** Keys every connector accepts (Connect's ConnectorConfig and SinkConnectorConfig). */
    private static final Set<String> CONNECT_SINK_KEYS = Set.of(
            "name", "connector.class", "tasks.max", "topics", "topics.regex", "key.converter", "value.converter",
            "header.converter", "transforms", "predicates", "config.action.reload", "errors.retry.timeout",
            "errors.retry.delay.max.ms", "errors.tolerance", "errors.log.enable", "errors.log.include.messages",
            "errors.deadletterqueue.topic.name", "errors.deadletterqueue.topic.replication.factor",
            "errors.deadletterqueue.context.headers.enable");

    /** Prefixes Connect passes on: converter, transform and predicate settings, consumer overrides. */
    private static final List<String> CONNECT_PREFIXES = List.of(
            "key.converter.", "value.converter.", "header.converter.", "transforms.", "predicates.",
            "consumer.override.", "admin.override.");

    /**
     * Keys the Confluent S3 sink defines (S3SinkConnectorConfig, StorageSinkConnectorConfig, StorageCommonConfig,
     * PartitionerConfig of kafka-connect-storage-cloud / -common), with a check of the value where it matters.
     */
    private static final Map<String, Predicate<String>> S3_SINK_KEYS = new HashMap<>();

    static {
        Predicate<String> any = v -> true;
        Predicate<String> positiveInt = v -> v.matches("[1-9][0-9]{0,9}");
        Predicate<String> bool = v -> v.equals("true") || v.equals("false");
        S3_SINK_KEYS.put("storage.class", "io.confluent.connect.s3.storage.S3Storage"::equals);
        S3_SINK_KEYS.put("format.class", Set.of("io.confluent.connect.s3.format.json.JsonFormat",
                "io.confluent.connect.s3.format.avro.AvroFormat", "io.confluent.connect.s3.format.parquet.ParquetFormat",
                "io.confluent.connect.s3.format.bytearray.ByteArrayFormat")::contains);
        S3_SINK_KEYS.put("s3.bucket.name", v -> v.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"));
        S3_SINK_KEYS.put("s3.region", v -> v.matches("[a-z]{2}(-gov)?-[a-z]+-[0-9]"));
        S3_SINK_KEYS.put("store.url", v -> v.matches("https?://[^\\s/]+(:[0-9]+)?/?"));
        S3_SINK_KEYS.put("s3.path.style.access.enabled", bool);
        S3_SINK_KEYS.put("s3.credentials.provider.class", v -> v.matches("[\\w.$]+"));
        S3_SINK_KEYS.put("aws.access.key.id", ConnectorConfigsTest::isConfigProviderReference);
        S3_SINK_KEYS.put("aws.secret.access.key", ConnectorConfigsTest::isConfigProviderReference);
        S3_SINK_KEYS.put("s3.part.size", v -> v.matches("[0-9]+") && Long.parseLong(v) >= 5L * 1024 * 1024
                && Long.parseLong(v) <= Integer.MAX_VALUE);
        S3_SINK_KEYS.put("s3.compression.type", Set.of("none", "gzip")::contains);
        S3_SINK_KEYS.put("s3.compression.level", v -> v.matches("-1|[0-9]"));
        S3_SINK_KEYS.put("s3.ssea.name", Set.of("", "AES256", "aws:kms")::contains);
        S3_SINK_KEYS.put("s3.sse.kms.key.id", any);
        S3_SINK_KEYS.put("s3.acl.canned", any);
        S3_SINK_KEYS.put("s3.object.tagging", bool);
        S3_SINK_KEYS.put("s3.part.retries", positiveInt);
        S3_SINK_KEYS.put("s3.retry.backoff.ms", positiveInt);
        S3_SINK_KEYS.put("s3.wan.mode", bool);
        S3_SINK_KEYS.put("s3.http.send.expect.continue", bool);
        S3_SINK_KEYS.put("s3.proxy.url", any);
        S3_SINK_KEYS.put("flush.size", positiveInt);
        S3_SINK_KEYS.put("rotate.interval.ms", v -> v.matches("-1|[0-9]+"));
        S3_SINK_KEYS.put("rotate.schedule.interval.ms", v -> v.matches("-1|[0-9]+"));
        S3_SINK_KEYS.put("partitioner.class", Set.of("io.confluent.connect.storage.partitioner.DefaultPartitioner",
                "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
                "io.confluent.connect.storage.partitioner.DailyPartitioner",
                "io.confluent.connect.storage.partitioner.HourlyPartitioner",
                "io.confluent.connect.storage.partitioner.FieldPartitioner")::contains);
        S3_SINK_KEYS.put("path.format", any);
        S3_SINK_KEYS.put("partition.duration.ms", positiveInt);
        S3_SINK_KEYS.put("partition.field.name", any);
        S3_SINK_KEYS.put("locale", v -> v.matches("[a-z]{2}([-_][A-Z]{2})?"));
        S3_SINK_KEYS.put("timezone", v -> ZoneId.getAvailableZoneIds().contains(v) || v.equals("UTC"));
        S3_SINK_KEYS.put("timestamp.extractor", v -> Set.of("Wallclock", "Record", "RecordField").contains(v)
                || v.matches("[\\w.$]+\\.[\\w$]+"));
        S3_SINK_KEYS.put("timestamp.field", any);
        S3_SINK_KEYS.put("topics.dir", v -> v.matches("[\\w.-]+(/[\\w.-]+)*"));
        S3_SINK_KEYS.put("directory.delim", "/"::equals);
        S3_SINK_KEYS.put("file.delim", any);
        S3_SINK_KEYS.put("filename.offset.zero.pad.width", positiveInt);
        S3_SINK_KEYS.put("schema.compatibility", Set.of("NONE", "BACKWARD", "FORWARD", "FULL")::contains);
        S3_SINK_KEYS.put("schema.cache.size", positiveInt);
        S3_SINK_KEYS.put("behavior.on.null.values", Set.of("fail", "ignore", "write")::contains);
        S3_SINK_KEYS.put("json.decimal.format", Set.of("BASE64", "NUMERIC")::contains);
        S3_SINK_KEYS.put("enable.conditional.writes", bool);
        S3_SINK_KEYS.put("store.kafka.keys", bool);
        S3_SINK_KEYS.put("store.kafka.headers", bool);
        S3_SINK_KEYS.put("retry.backoff.ms", positiveInt);
        S3_SINK_KEYS.put("shutdown.timeout.ms", positiveInt);
    }

    /** The keys that must differ between AWS S3 and MinIO; everything else is the same pipeline. */
    private static final Set<String> STORE_SPECIFIC_KEYS = Set.of(
            "store.url", "s3.path.style.access.enabled", "s3.bucket.name", "s3.region",
            "s3.credentials.provider.class", "aws.access.key.id", "aws.secret.access.key");

    private static boolean isConfigProviderReference(String value) {
        return value.matches("\\$\\{file:[^:}]+:[^}]+}");
    }

    @Test
    void sourcePostBodyAndPutBodyAreTheSameConfig() {
        var post = Repo.json(Repo.SOURCE_POST);
        assertThat(post.fieldNames()).toIterable().containsExactly("name", "config");
        assertThat(Repo.connectorConfig(Repo.SOURCE_POST))
                .as("the config of %s is the PUT body %s, key for key and in the same order", Repo.SOURCE_POST,
                        Repo.SOURCE_PUT)
                .containsExactlyEntriesOf(Repo.connectorConfig(Repo.SOURCE_PUT));
        assertThat(post.get("name").asText()).isEqualTo(Repo.connectorConfig(Repo.SOURCE_PUT).get("name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stock-quotes-source.json", "stock-quotes-source.config.json"})
    void sourceConfigPassesTheConnectorsValidate(String file) {
        Map<String, String> props = Repo.connectorConfig(Repo.CONFIGS.resolve(file));
        List<ConfigValue> values = new CsvSamplingSourceConnector().validate(props).configValues();
        for (ConfigValue value : values) {
            assertThat(value.errorMessages()).as("%s: %s", file, value.name()).isEmpty();
        }
    }

    @Test
    void sourceProducesTypedSnakeCaseStructsThatTheSinkReads() {
        Map<String, String> source = Repo.connectorConfig(Repo.SOURCE_PUT);
        assertThat(source).containsEntry("connector.class", CsvSamplingSourceConnector.class.getName())
                .containsEntry("field.names", "snake_case")
                .containsEntry("key.column", "Index")
                .containsEntry("value.converter", JsonConverter.class.getName())
                .containsEntry("value.converter.schemas.enable", "true");
        assertThat(source).doesNotContainKey("timestamp.column")
                .as("dates as yyyy-MM-dd strings, which Athena reads; logical dates would be day numbers")
                .containsEntry("date.output", "string");
        // The sink partitions on the record timestamp: a topic with LogAppendTime makes it the arrival time whatever
        // a producer sets (timestamp.column, another producer), so every folder is one Athena's projection covers.
        for (Path file : List.of(Repo.SOURCE_PUT, Repo.CONFIGS.resolve("quickstart-source.json"))) {
            assertThat(Repo.connectorConfig(file)).as(file.toString())
                    .containsEntry("topic.creation.default.message.timestamp.type", "LogAppendTime");
        }
        for (Path sink : List.of(Repo.SINK_AWS, Repo.SINK_MINIO)) {
            Map<String, String> config = Repo.connectorConfig(sink);
            assertThat(config.get("topics")).as(sink.toString()).isEqualTo(source.get("topic"));
            assertThat(config.get("value.converter")).isEqualTo(source.get("value.converter"));
            assertThat(config.get("value.converter.schemas.enable")).isEqualTo("true");
            assertThat(config.get("key.converter")).isEqualTo(source.get("key.converter"))
                    .isEqualTo(StringConverter.class.getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stock-quotes-s3-sink-aws.config.json", "stock-quotes-s3-sink-minio.config.json"})
    void sinkConfigUsesOnlyKeysTheS3SinkDefinesWithValidValues(String file) {
        Map<String, String> config = Repo.connectorConfig(Repo.CONFIGS.resolve(file));
        Set<String> unknown = new TreeSet<>();
        for (var e : config.entrySet()) {
            String key = e.getKey();
            if (CONNECT_SINK_KEYS.contains(key) || CONNECT_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            Predicate<String> valid = S3_SINK_KEYS.get(key);
            if (valid == null) {
                unknown.add(key);
            } else {
                assertThat(valid.test(e.getValue())).as("%s: %s=%s is a valid value", file, key, e.getValue()).isTrue();
            }
        }
        assertThat(unknown).as("%s: keys the Confluent S3 sink does not define", file).isEmpty();

        assertThat(config).containsEntry("connector.class", "io.confluent.connect.s3.S3SinkConnector")
                .containsEntry("storage.class", "io.confluent.connect.s3.storage.S3Storage")
                .containsEntry("format.class", "io.confluent.connect.s3.format.json.JsonFormat")
                .containsKeys("name", "tasks.max", "topics", "s3.bucket.name", "s3.region", "flush.size");
        assertThat(Integer.parseInt(config.get("tasks.max"))).isPositive();

        // Time-based partitioning on the Kafka record timestamp, hourly folders in UTC: deterministic, so the
        // sink stays exactly-once; the layout athena-ddl.sql projects.
        assertThat(config).containsEntry("partitioner.class", "io.confluent.connect.storage.partitioner.TimeBasedPartitioner")
                .containsEntry("timestamp.extractor", "Record")
                .containsEntry("partition.duration.ms", "3600000")
                .containsEntry("path.format", "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH")
                .containsEntry("timezone", "UTC")
                .containsKey("locale")
                .doesNotContainKey("rotate.schedule.interval.ms");
        assertThat(config.getOrDefault("topics.dir", "topics")).isEqualTo("topics");
        // Visible within about a minute while records flow: rotation on record time, not on a large count.
        long rotate = Long.parseLong(config.get("rotate.interval.ms"));
        assertThat(rotate).isBetween(30_000L, 120_000L);
        assertThat(Long.parseLong(config.get("flush.size"))).isPositive();

        // The sink writes only the value: InsertField adds what identifies the Kafka record (topic, partition,
        // offset: the key of deduplicated_quotes) and its timestamp, the columns athena-ddl.sql declares.
        String alias = config.get("transforms");
        assertThat(alias).as("one transform").doesNotContain(",");
        assertThat(config).containsEntry("transforms." + alias + ".type",
                        "org.apache.kafka.connect.transforms.InsertField$Value")
                .containsEntry("transforms." + alias + ".topic.field", "kafka_topic")
                .containsEntry("transforms." + alias + ".partition.field", "kafka_partition")
                .containsEntry("transforms." + alias + ".offset.field", "kafka_offset")
                .containsEntry("transforms." + alias + ".timestamp.field", "event_time");
        assertThat(io.github.csvsampling.lake.AthenaDdl.parse(Repo.text(Repo.ATHENA_DDL)).columns())
                .containsKeys("kafka_topic", "kafka_partition", "kafka_offset", "event_time");

        // A dead-letter queue for records that fail conversion or transformation.
        assertThat(config).containsEntry("errors.tolerance", "all")
                .containsKey("errors.deadletterqueue.topic.name")
                .containsEntry("errors.deadletterqueue.context.headers.enable", "true");
        assertThat(config.get("errors.deadletterqueue.topic.name")).isNotEqualTo(config.get("topics"));
        // The source writes in transactions (exactly-once): read only committed records.
        assertThat(config).containsEntry("consumer.override.isolation.level", "read_committed");

        // No credentials in the file: the default AWS chain, or a ${file:...} reference.
        for (String key : List.of("aws.access.key.id", "aws.secret.access.key")) {
            if (config.containsKey(key)) {
                assertThat(isConfigProviderReference(config.get(key))).as("%s: %s", file, key).isTrue();
            }
        }
        assertThat(config.values()).noneMatch(v -> v.matches("(AKIA|ASIA)[A-Z0-9]{16}"))
                .noneMatch(v -> v.equals("minioadmin"));
    }

    @Test
    void awsAndMinioSinksDifferOnlyWhereTheStoresDo() {
        Map<String, String> aws = Repo.connectorConfig(Repo.SINK_AWS);
        Map<String, String> minio = Repo.connectorConfig(Repo.SINK_MINIO);
        Set<String> differing = new TreeSet<>();
        Set<String> keys = new TreeSet<>(aws.keySet());
        keys.addAll(minio.keySet());
        for (String key : keys) {
            if (!java.util.Objects.equals(aws.get(key), minio.get(key))) {
                differing.add(key);
            }
        }
        assertThat(differing).isSubsetOf(STORE_SPECIFIC_KEYS).contains("store.url");
        assertThat(aws).as("AWS: the regional endpoint, virtual-hosted style").doesNotContainKey("store.url")
                .containsEntry("s3.path.style.access.enabled", "false");
        assertThat(minio).as("MinIO: its endpoint on the Compose network, path style")
                .containsEntry("store.url", "http://minio:9000")
                .containsEntry("s3.path.style.access.enabled", "true");
        assertThat(aws.get("name")).isEqualTo(minio.get("name"));
    }

    @Test
    void everyConnectorConfigHasOnlyStringValues() throws Exception {
        List<Path> files;
        try (var list = java.nio.file.Files.list(Repo.CONFIGS)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        assertThat(files).contains(Repo.SOURCE_POST, Repo.SOURCE_PUT, Repo.SINK_AWS, Repo.SINK_MINIO);
        for (Path file : files) {
            try {
                assertThat(Repo.connectorConfig(file)).as(file.toString()).containsKey("connector.class");
            } catch (AssertionError e) {
                fail(e.getMessage());
            }
        }
    }

    @Test
    void configProviderReferencesAreRecognised() {
        assertThat(isConfigProviderReference("${file:/etc/kafka/secrets/s3.properties:aws.secret.access.key}")).isTrue();
        assertThat(isConfigProviderReference("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).isFalse();
        assertThat(Pattern.matches("[1-9][0-9]{0,9}", "0")).isFalse();
    }
}
