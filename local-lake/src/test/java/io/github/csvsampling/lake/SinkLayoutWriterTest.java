package io.github.csvsampling.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records written as the S3 sink writes them: the fields its InsertField transforms add, taken from the sink config;
 * its folders and file names; whole files only; and the project's Athena SQL reading them on DuckDB.
 */
class SinkLayoutWriterTest {

    private static final Path REPO = Path.of(System.getProperty("repo.root", ".."));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2026-11-27T09:59:59.900Z and 100 ms later, across an hour folder. */
    private static final long BEFORE_TEN = Instant.parse("2026-11-27T09:59:59.900Z").toEpochMilli();
    private static final long TEN = BEFORE_TEN + 100;

    @TempDir
    Path bucket;

    @Test
    void theProjectsSinkConfigAddsTheRecordTimestampAsEventTime() throws IOException {
        Map<String, String> config = sinkConfig();

        SinkLayoutWriter.Layout layout = SinkLayoutWriter.Layout.fromSinkConfig(config);

        assertThat(layout.fields().timestamp()).contains(config.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".timestamp.field")).findFirst().orElseThrow().getValue());
        assertThat(layout.topicsDir()).isEqualTo(config.get("topics.dir"));
        assertThat(layout.flushSize()).isEqualTo(Long.parseLong(config.get("flush.size")));
        assertThat(layout.key("stock-quotes", 0, 42, BEFORE_TEN))
                .isEqualTo("topics/stock-quotes/year=2026/month=11/day=27/hour=09/stock-quotes+0+0000000042.json");
    }

    @Test
    void insertedFieldsComeFromEveryInsertFieldValueTransformWithoutTheirSuffixes() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("transforms", "kafka, mask ,time");
        config.put("transforms.kafka.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.kafka.topic.field", "kafka_topic!");
        config.put("transforms.kafka.partition.field", "kafka_partition?");
        config.put("transforms.kafka.offset.field", "kafka_offset");
        config.put("transforms.mask.type", "org.apache.kafka.connect.transforms.MaskField$Value");
        config.put("transforms.mask.fields", "volume");
        config.put("transforms.time.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.time.timestamp.field", "event_time");
        config.put("transforms.time.static.field", "source");
        config.put("transforms.time.static.value", "csv");
        config.put("transforms.keyTime.type", "org.apache.kafka.connect.transforms.InsertField$Key");
        config.put("transforms.keyTime.timestamp.field", "not_in_the_chain");

        SinkLayoutWriter.InsertedFields fields = SinkLayoutWriter.InsertedFields.fromSinkConfig(config);

        assertThat(fields.names()).containsExactly("kafka_topic", "kafka_partition", "kafka_offset", "event_time",
                "source");
        assertThat(fields.staticValue()).contains("csv");
        assertThat(SinkLayoutWriter.InsertedFields.fromSinkConfig(Map.of()).names()).isEmpty();
    }

    @Test
    void linesAreThePayloadPlusTheInsertedFieldsInTheSinksFoldersAndVisibleOnlyOnceCommitted() throws IOException {
        Map<String, String> config = new LinkedHashMap<>(sinkConfig());
        config.put("transforms", "kafka");
        config.put("transforms.kafka.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.kafka.topic.field", "kafka_topic");
        config.put("transforms.kafka.partition.field", "kafka_partition");
        config.put("transforms.kafka.offset.field", "kafka_offset");
        config.put("transforms.kafka.timestamp.field", "event_time");
        SinkLayoutWriter writer = new SinkLayoutWriter(bucket, SinkLayoutWriter.Layout.fromSinkConfig(config),
                Long.MAX_VALUE);

        assertThat(writer.write("stock-quotes", 0, 7, BEFORE_TEN, envelope(quote("NYA", 1.5)))).isTrue();
        assertThat(writer.write("stock-quotes", 0, 8, TEN, quote("NYA", 2.5))).as("a value without envelope").isTrue();
        assertThat(writer.write("stock-quotes", 0, 9, TEN, null)).as("a tombstone").isFalse();
        assertThat(writer.write("stock-quotes", 0, 10, TEN, "[1]".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(writer.write("stock-quotes", 0, 11, TEN, "not json".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(jsonFiles()).as("nothing visible before the commit").isEmpty();

        writer.commit();

        assertThat(jsonFiles()).containsExactly(
                "topics/stock-quotes/year=2026/month=11/day=27/hour=09/stock-quotes+0+0000000007.json",
                "topics/stock-quotes/year=2026/month=11/day=27/hour=10/stock-quotes+0+0000000008.json");
        JsonNode first = JSON.readTree(bucket.resolve(jsonFiles().get(0)).toFile());
        assertThat(first.toString()).isEqualTo("{\"date\":\"2021-06-30\",\"index\":\"NYA\",\"close\":1.5,\"kafka_topic\":\"stock-quotes\","
                + "\"kafka_partition\":0,\"kafka_offset\":7,\"event_time\":" + BEFORE_TEN + "}");
        assertThat(writer.records()).isEqualTo(2);
        assertThat(writer.skipped()).isEqualTo(3);
        assertThat(writer.objects()).isEqualTo(2);
    }

    @Test
    void nestedPayloadsEmptyPayloadsAndTextToEscapeComeOutAsValidJson() throws IOException {
        Map<String, String> config = new LinkedHashMap<>(sinkConfig());
        config.put("transforms", "s");
        config.put("transforms.s.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.s.timestamp.field", "t");
        config.put("transforms.s.static.field", "note");
        config.put("transforms.s.static.value", "a \"quoted\" \\ value");
        SinkLayoutWriter writer = new SinkLayoutWriter(bucket, SinkLayoutWriter.Layout.fromSinkConfig(config),
                Long.MAX_VALUE);
        writer.write("q", 0, 0, TEN, ("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"a\":{\"b\":[1,{\"c\":2}]},"
                + "\"d\":\"}\"}}").getBytes(StandardCharsets.UTF_8));
        writer.write("q", 0, 1, TEN, "{\"schema\":null,\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
        writer.write("q", 0, 2, TEN, "{\"schema\":{},\"payload\":\"text\"}".getBytes(StandardCharsets.UTF_8));
        writer.commit();

        List<String> lines = Files.readAllLines(bucket.resolve(jsonFiles().get(0)));
        assertThat(lines).containsExactly(
                "{\"a\":{\"b\":[1,{\"c\":2}]},\"d\":\"}\",\"t\":" + TEN + ",\"note\":\"a \\\"quoted\\\" \\\\ value\"}",
                "{\"t\":" + TEN + ",\"note\":\"a \\\"quoted\\\" \\\\ value\"}");
        for (String line : lines) {
            assertThat(JSON.readTree(line).get("note").asText()).isEqualTo("a \"quoted\" \\ value");
        }
        assertThat(writer.skipped()).as("a payload that is not an object").isEqualTo(1);
    }

    @Test
    void aFileIsCommittedAfterFlushSizeRecordsAndTheOldestAreDroppedBeyondMaxBytes() throws IOException {
        Map<String, String> config = new LinkedHashMap<>(sinkConfig());
        config.put("flush.size", "2");
        // One added field only, so that every line has the size computed here.
        config.put("transforms", "time");
        config.put("transforms.time.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.time.timestamp.field", "event_time");
        long lineBytes = (JSON.writeValueAsString(JSON.readTree(quote("NYA", 1.0))).length() - 1)
                + (",\"event_time\":" + TEN).length() + "}\n".length();
        SinkLayoutWriter writer = new SinkLayoutWriter(bucket, SinkLayoutWriter.Layout.fromSinkConfig(config),
                4 * lineBytes);

        for (int offset = 0; offset < 7; offset++) {
            writer.write("stock-quotes", 0, offset, TEN, quote("NYA", offset));
        }

        assertThat(jsonFiles()).as("three files of two records; the seventh record's file is still open")
                .extracting(key -> key.substring(key.lastIndexOf('/') + 1))
                .containsExactly("stock-quotes+0+0000000002.json", "stock-quotes+0+0000000004.json");
        assertThat(writer.droppedRecords()).as("the first file, beyond 4 lines").isEqualTo(2);
        assertThat(writer.bytes()).isEqualTo(4 * lineBytes);
    }

    @Test
    void theDefaultPartitionerWritesPartitionFoldersAndOtherPartitionersAreRefusedWithTheReason() {
        Map<String, String> config = Map.of("topics.dir", "t", "flush.size", "3");
        assertThat(SinkLayoutWriter.Layout.fromSinkConfig(config).key("q", 2, 5, TEN))
                .isEqualTo("t/q/partition=2/q+2+0000000005.json");
        assertThatThrownBy(() -> SinkLayoutWriter.Layout.fromSinkConfig(
                Map.of("partitioner.class", "io.confluent.connect.storage.partitioner.FieldPartitioner")))
                .hasMessageContaining("FieldPartitioner is not supported");
    }

    @Test
    void theProjectsAthenaSqlRunsOnTheFilesOnDuckDb() throws Exception {
        SinkLayoutWriter writer = new SinkLayoutWriter(bucket.resolve("stock-quotes"),
                SinkLayoutWriter.Layout.fromSinkConfig(sinkConfig()), Long.MAX_VALUE);
        writer.write("stock-quotes", 0, 0, BEFORE_TEN, envelope(quote("NYA", 1.5)));
        writer.write("stock-quotes", 0, 1, TEN, envelope(quote("NYA", 2.25)));
        writer.write("stock-quotes", 0, 2, TEN + 5, envelope(quote("HSI", 3.0)));
        writer.commit();

        AthenaDdl ddl = AthenaDdl.parse(Files.readString(REPO.resolve("athena-ddl.sql")))
                .withLocationBucket("stock-quotes");
        try (DuckDbLake lake = DuckDbLake.open(ddl, bucket)) {
            List<List<Object>> rows = lake.query("SELECT \"index\", trading_day, close, event_time"
                    + " FROM stock_pipeline.stock_quotes ORDER BY event_time").rows();
            assertThat(rows).containsExactly(
                    List.of("NYA", LocalDate.of(2021, 6, 30), 1.5, BEFORE_TEN),
                    List.of("NYA", LocalDate.of(2021, 6, 30), 2.25, TEN),
                    List.of("HSI", LocalDate.of(2021, 6, 30), 3.0, TEN + 5));
        }
    }

    private List<String> jsonFiles() throws IOException {
        try (Stream<Path> files = Files.walk(bucket)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> bucket.relativize(f).toString())
                    .sorted().toList();
        }
    }

    private static Map<String, String> sinkConfig() throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        JSON.readTree(REPO.resolve("connect-configs/stock-quotes-s3-sink-minio.config.json").toFile()).properties()
                .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    private static byte[] quote(String index, double close) {
        return ("{\"index\":\"" + index + "\",\"close\":" + close + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A JsonConverter value with schemas: {"schema": ..., "payload": ...}. */
    private static byte[] envelope(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).replace("{\"index\"",
                "{\"date\":\"2021-06-30\",\"index\"");
        return ("{\"schema\":{\"type\":\"struct\",\"fields\":[]},\"payload\":" + text + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
