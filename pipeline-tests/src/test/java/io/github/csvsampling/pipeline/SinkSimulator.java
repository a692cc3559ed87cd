package io.github.csvsampling.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Lays records out as the Confluent S3 sink configured by a sink config would, into a local folder that
 * stands for the bucket ({@code <dir>/<bucket>/<key>}, like a filesystem-backed S3 server).
 *
 * <p>The record goes through the real pieces: the source side's value converter, the sink side's converter,
 * the sink config's transforms (InsertField, which adds the Kafka topic, partition, offset and timestamp), and
 * JsonFormat's encoding (a {@link JsonConverter} with schemas disabled, one object and {@code \n} per record). What is
 * re-implemented from the sink's documented behaviour and source (shared/reference/confluent-s3-sink.md;
 * kafka-connect-storage-common's TimeBasedPartitioner, kafka-connect-storage-cloud's TopicPartitionWriter): the
 * TimeBasedPartitioner path for the {@code Record} extractor, the object key
 * {@code <topics.dir>/<topic>/<partition path>/<topic>+<kafka partition>+<start offset, 10 digits>.json}, and
 * rotation: a file is committed when flush.size records are in it, or, before writing a record, when the record
 * is rotate.interval.ms or more after the file's first record or falls in another time partition. The last
 * file stays open, as the sink's does until a later record arrives, and is not written.
 *
 * <p>Offsets are the caller's: {@link #transactionalOffsets} gives those of a topic written in transactions (the
 * exactly-once source), where every commit leaves a marker at an offset no consumer sees.
 */
final class SinkSimulator {

    /** A record as written: its object key and the value's fields after the sink's transforms. */
    record Written(String key, long offset, long timestamp, Map<String, Object> fields, String json) {
    }

    private final Map<String, String> sourceConfig;
    private final Map<String, String> sinkConfig;

    SinkSimulator(Map<String, String> sourceConfig, Map<String, String> sinkConfig) {
        this.sourceConfig = sourceConfig;
        this.sinkConfig = sinkConfig;
    }

    /**
     * Kafka partition 0, in the order given, at the given offsets (ascending); the records carry their Kafka
     * timestamps, of the type the source config creates the topic with.
     */
    List<Written> write(List<SourceRecord> records, List<Long> offsets, Path bucketRoot) throws IOException {
        if (offsets.size() != records.size()) {
            throw new IllegalArgumentException(records.size() + " records but " + offsets.size() + " offsets");
        }
        TimestampType timestampType = "LogAppendTime".equals(
                sourceConfig.get("topic.creation.default.message.timestamp.type"))
                ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
        String topic = sinkConfig.get("topics");
        Converter sourceValueConverter = converter(sourceConfig, "value.converter");
        Converter sinkValueConverter = converter(sinkConfig, "value.converter");
        List<Transformation<SinkRecord>> transforms = transforms();
        JsonConverter jsonFormat = new JsonConverter();
        jsonFormat.configure(Map.of("schemas.enable", "false", "converter.type", "value",
                "decimal.format", sinkConfig.getOrDefault("json.decimal.format", "BASE64")));

        long flushSize = Long.parseLong(sinkConfig.get("flush.size"));
        long rotateIntervalMs = Long.parseLong(sinkConfig.getOrDefault("rotate.interval.ms", "-1"));
        String prefix = sinkConfig.getOrDefault("topics.dir", "topics") + "/" + topic + "/";
        Path bucket = bucketRoot.resolve(sinkConfig.get("s3.bucket.name"));

        List<Written> committed = new ArrayList<>();
        List<Written> open = new ArrayList<>();
        String openPartition = null;
        long openBaseTimestamp = 0;
        for (int i = 0; i < records.size(); i++) {
            SourceRecord source = records.get(i);
            long offset = offsets.get(i);
            byte[] bytes = sourceValueConverter.fromConnectData(topic, source.valueSchema(), source.value());
            SchemaAndValue value = sinkValueConverter.toConnectData(topic, bytes);
            SinkRecord record = new SinkRecord(topic, 0, source.keySchema(), source.key(), value.schema(),
                    value.value(), offset, source.timestamp(), timestampType);
            for (Transformation<SinkRecord> transform : transforms) {
                record = transform.apply(record);
            }
            String partition = partitionPath(record.timestamp());
            boolean rotateOnTime = !open.isEmpty() && rotateIntervalMs > 0
                    && (record.timestamp() - openBaseTimestamp >= rotateIntervalMs || !partition.equals(openPartition));
            if (rotateOnTime) {
                commit(open, bucket, committed);
            }
            if (open.isEmpty()) {
                openPartition = partition;
                openBaseTimestamp = record.timestamp();
            }
            String key = prefix + openPartition + "/" + topic + "+0+" + String.format(Locale.ROOT, "%010d",
                    open.isEmpty() ? offset : open.get(0).offset()) + ".json";
            String json = new String(jsonFormat.fromConnectData(topic, record.valueSchema(), record.value()),
                    StandardCharsets.UTF_8);
            open.add(new Written(key, offset, record.timestamp(), fields((Struct) record.value()), json));
            if (open.size() >= flushSize) {
                commit(open, bucket, committed);
            }
        }
        return committed;
    }

    /**
     * Offsets {@code first, first + 1, ...} for {@code count} records written in transactions of
     * {@code recordsPerTransaction} records, each followed by its commit marker's offset.
     */
    static List<Long> transactionalOffsets(long first, int count, int recordsPerTransaction) {
        List<Long> offsets = new ArrayList<>(count);
        long offset = first;
        for (int i = 0; i < count; i++) {
            offsets.add(offset++);
            if ((i + 1) % recordsPerTransaction == 0) {
                offset++;
            }
        }
        return offsets;
    }

    /**
     * TimeBasedPartitioner with the Record extractor: the local time divided by the partition duration with Java's
     * {@code /}, as {@code TimeBasedPartitioner.getPartition} does. That truncates toward zero, so a timestamp before
     * 1970 lands in the partition after its own (1969-12-31T23:59:59.999Z in 1970-01-01, hour 00).
     */
    String partitionPath(long timestamp) {
        long duration = Long.parseLong(sinkConfig.get("partition.duration.ms"));
        ZoneId zone = ZoneId.of(sinkConfig.get("timezone"));
        long offsetMs = zone.getRules().getOffset(Instant.ofEpochMilli(timestamp)).getTotalSeconds() * 1000L;
        long local = (timestamp + offsetMs) / duration * duration;
        LocalDateTime start = LocalDateTime.ofEpochSecond(Math.floorDiv(local, 1000L),
                (int) Math.floorMod(local, 1000L) * 1_000_000, ZoneOffset.UTC);
        return jodaToJavaTime(sinkConfig.get("path.format")).format(start);
    }

    /** The sink's path.format is a Joda-Time pattern; YYYY (year of era in Joda) is yyyy in java.time. */
    static DateTimeFormatter jodaToJavaTime(String pattern) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (char c : pattern.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            out.append(!quoted && c == 'Y' ? 'y' : c);
        }
        return DateTimeFormatter.ofPattern(out.toString(), Locale.ROOT);
    }

    private static void commit(List<Written> open, Path bucket, List<Written> committed) throws IOException {
        Path file = bucket.resolve(open.get(0).key());
        Files.createDirectories(file.getParent());
        StringBuilder content = new StringBuilder();
        for (Written w : open) {
            content.append(w.json()).append('\n');
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
        committed.addAll(open);
        open.clear();
    }

    private static Map<String, Object> fields(Struct value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        value.schema().fields().forEach(f -> fields.put(f.name(), value.get(f)));
        return fields;
    }

    private static Converter converter(Map<String, String> config, String key) {
        try {
            Converter converter = (Converter) Class.forName(config.get(key)).getDeclaredConstructor().newInstance();
            converter.configure(withPrefix(config, key + "."), false);
            return converter;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + key + " " + config.get(key), e);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Transformation<SinkRecord>> transforms() {
        List<Transformation<SinkRecord>> transforms = new ArrayList<>();
        String aliases = sinkConfig.getOrDefault("transforms", "");
        for (String alias : aliases.split(",")) {
            if (alias.isBlank()) {
                continue;
            }
            String prefix = "transforms." + alias.strip() + ".";
            try {
                Transformation<SinkRecord> t = (Transformation<SinkRecord>) Class.forName(sinkConfig.get(prefix + "type"))
                        .getDeclaredConstructor().newInstance();
                Map<String, String> props = withPrefix(sinkConfig, prefix);
                props.remove("type");
                t.configure(props);
                transforms.add(t);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create transform " + alias, e);
            }
        }
        return transforms;
    }

    private static Map<String, String> withPrefix(Map<String, String> config, String prefix) {
        Map<String, String> out = new HashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** A source record re-stamped with another Kafka timestamp, as if emitted at that time. */
    static SourceRecord at(SourceRecord record, long timestamp) {
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), timestamp, record.headers());
    }

}
