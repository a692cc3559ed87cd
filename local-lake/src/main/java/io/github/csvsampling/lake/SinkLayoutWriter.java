package io.github.csvsampling.lake;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes Kafka records into a folder as the Confluent S3 sink with {@code JsonFormat} writes them into its bucket, so
 * that the Athena DDL and queries ({@link DuckDbLake}) run on records read from the topic when the bucket holds no
 * objects (no sink installed, or none committed yet): one JSON object per line, the value's payload (the
 * {@code payload} of a {@code JsonConverter} envelope, or the value itself) plus the fields the sink config's
 * {@code InsertField$Value} transforms add, in files {@code <topics.dir>/<topic>/<partition path>/<topic>+<kafka
 * partition>+<start offset, 10 digits>.json}, the partition path computed from the record timestamp as the sink's
 * partitioner does ({@code TimeBasedPartitioner}'s {@code path.format} in its {@code timezone}, or
 * {@code partition=N}).
 *
 * <p>Everything is derived from the sink config ({@link Layout#fromSinkConfig(Map)}) rather than hard-coded, so the
 * files follow the config when it changes. As the sink's objects, a file becomes visible only whole: it is written
 * under a {@code .tmp} name and renamed on {@link #commit()} or after {@code flush.size} records. Tombstones and
 * values that are not JSON objects are skipped (the sink ignores the first, and sends the second to its dead-letter
 * queue, since InsertField needs a struct or map).
 *
 * <p>Bounded: committed files beyond {@code maxBytes} in total are deleted oldest first, so the folder covers the
 * newest records ({@link #droppedRecords()} says how many were dropped). Not thread-safe: one writer thread, or
 * external locking.
 */
public final class SinkLayoutWriter implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT_FIELD_VALUE = "org.apache.kafka.connect.transforms.InsertField$Value";

    /**
     * The fields one or more {@code InsertField$Value} transforms add to every value, by the sink config's keys
     * {@code transforms.<alias>.topic.field}, {@code .partition.field}, {@code .offset.field},
     * {@code .timestamp.field} and {@code .static.field}/{@code .static.value}, without InsertField's {@code !} or
     * {@code ?} suffix. Applied in the order InsertField adds them: topic, partition, offset, timestamp, static.
     */
    public record InsertedFields(Optional<String> topic, Optional<String> partition, Optional<String> offset,
                                 Optional<String> timestamp, Optional<String> staticField, Optional<String> staticValue) {

        public static final InsertedFields NONE = new InsertedFields(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        /** The fields the config's {@code transforms} chain adds with {@code InsertField$Value}, later aliases winning. */
        public static InsertedFields fromSinkConfig(Map<String, String> config) {
            InsertedFields fields = NONE;
            for (String alias : config.getOrDefault("transforms", "").split(",")) {
                String prefix = "transforms." + alias.strip() + ".";
                if (alias.isBlank() || !INSERT_FIELD_VALUE.equals(config.get(prefix + "type"))) {
                    continue;
                }
                fields = new InsertedFields(
                        field(config, prefix + "topic.field").or(fields::topic),
                        field(config, prefix + "partition.field").or(fields::partition),
                        field(config, prefix + "offset.field").or(fields::offset),
                        field(config, prefix + "timestamp.field").or(fields::timestamp),
                        field(config, prefix + "static.field").or(fields::staticField),
                        Optional.ofNullable(config.get(prefix + "static.value")).or(fields::staticValue));
            }
            return fields;
        }

        /** The names of the added fields, in the order they are added. */
        public List<String> names() {
            List<String> names = new ArrayList<>();
            topic.ifPresent(names::add);
            partition.ifPresent(names::add);
            offset.ifPresent(names::add);
            timestamp.ifPresent(names::add);
            staticField.ifPresent(names::add);
            return names;
        }

        private static Optional<String> field(Map<String, String> config, String key) {
            String value = config.getOrDefault(key, "").strip();
            if (value.endsWith("!") || value.endsWith("?")) {
                value = value.substring(0, value.length() - 1);
            }
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
    }

    /**
     * Where and how the sink lays out its objects: {@code topics.dir}, the partition path (a formatter of the record
     * timestamp, or none for the {@code DefaultPartitioner}'s {@code partition=N}), {@code flush.size} and the
     * inserted fields.
     */
    public record Layout(String topicsDir, Optional<DateTimeFormatter> pathFormat, long flushSize,
                         InsertedFields fields) {

        /**
         * The layout of a Confluent S3 sink config. Supports the partitioners of the storage common library that a
         * record alone determines: {@code TimeBasedPartitioner} (its {@code path.format}, {@code locale},
         * {@code timezone}), {@code HourlyPartitioner}, {@code DailyPartitioner} and {@code DefaultPartitioner};
         * the time-based ones partition on the record timestamp ({@code timestamp.extractor=Record}).
         *
         * @throws IllegalArgumentException for another partitioner, or a path format that does not parse
         */
        public static Layout fromSinkConfig(Map<String, String> config) {
            String partitioner = config.getOrDefault("partitioner.class",
                    "io.confluent.connect.storage.partitioner.DefaultPartitioner");
            String simpleName = partitioner.substring(partitioner.lastIndexOf('.') + 1);
            String format = switch (simpleName) {
                case "TimeBasedPartitioner" -> config.get("path.format");
                case "HourlyPartitioner" -> "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH";
                case "DailyPartitioner" -> "'year'=YYYY/'month'=MM/'day'=dd";
                case "DefaultPartitioner" -> null;
                default -> throw new IllegalArgumentException("partitioner.class " + partitioner + " is not supported:"
                        + " the folder of a record is known for TimeBasedPartitioner, HourlyPartitioner,"
                        + " DailyPartitioner and DefaultPartitioner only");
            };
            Optional<DateTimeFormatter> pathFormat = Optional.empty();
            if (format != null) {
                if (format.isBlank()) {
                    throw new IllegalArgumentException("TimeBasedPartitioner needs path.format");
                }
                Locale locale = Locale.forLanguageTag(config.getOrDefault("locale", "en-US").replace('_', '-'));
                ZoneId zone = ZoneId.of(config.getOrDefault("timezone", "UTC"));
                // Joda's YYYY (year of era, what the sink's docs write) is java.time's yyyy; java's YYYY is week-based.
                pathFormat = Optional.of(DateTimeFormatter.ofPattern(format.replace('Y', 'y'), locale).withZone(zone));
            }
            long flushSize = Long.parseLong(config.getOrDefault("flush.size", "1000").strip());
            if (flushSize < 1) {
                throw new IllegalArgumentException("flush.size must be at least 1, was " + flushSize);
            }
            return new Layout(config.getOrDefault("topics.dir", "topics"), pathFormat, flushSize,
                    InsertedFields.fromSinkConfig(config));
        }

        /** The object key of the file that starts with this record, relative to the bucket. */
        public String key(String topic, int partition, long startOffset, long timestampMs) {
            return folder(topic, partition, timestampMs) + "/" + fileName(topic, partition, startOffset);
        }

        String folder(String topic, int partition, long timestampMs) {
            String path = pathFormat.map(f -> f.format(Instant.ofEpochMilli(timestampMs)))
                    .orElse("partition=" + partition);
            return topicsDir + "/" + topic + "/" + path;
        }

        static String fileName(String topic, int partition, long startOffset) {
            return String.format(Locale.ROOT, "%s+%d+%010d.json", topic, partition, startOffset);
        }
    }

    private record Committed(Path file, long bytes, long records) {
    }

    /** An open file: records go to {@code <name>.tmp} until it is committed. */
    private static final class OpenFile {
        final Path target;
        final Path temporary;
        final OutputStream out;
        long records;
        long bytes;

        OpenFile(Path target) throws IOException {
            this.target = target;
            this.temporary = target.resolveSibling(target.getFileName() + ".tmp");
            Files.createDirectories(target.getParent());
            this.out = new BufferedOutputStream(Files.newOutputStream(temporary), 64 * 1024);
        }
    }

    private final Path bucketFolder;
    private final Layout layout;
    private final long maxBytes;
    private final Map<String, OpenFile> open = new LinkedHashMap<>();
    private final Deque<Committed> committed = new ArrayDeque<>();
    private long committedBytes;
    private long records;
    private long skipped;
    private long droppedRecords;

    /**
     * @param bucketFolder the bucket's folder (keys are relative to it); created when missing
     * @param layout       the sink's layout, usually {@link Layout#fromSinkConfig(Map)}
     * @param maxBytes     committed bytes kept at most (oldest files deleted first); {@code Long.MAX_VALUE} for all
     */
    public SinkLayoutWriter(Path bucketFolder, Layout layout, long maxBytes) {
        this.bucketFolder = Objects.requireNonNull(bucketFolder, "bucketFolder");
        this.layout = Objects.requireNonNull(layout, "layout");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The layout the files follow. */
    public Layout layout() {
        return layout;
    }

    /**
     * Appends one record as the sink would write it (not visible before {@link #commit()}).
     *
     * @param value the record value as the topic holds it (JSON); {@code null} for a tombstone
     * @return whether the record was written (false when skipped: tombstone, not a JSON object)
     */
    public boolean write(String topic, int partition, long offset, long timestampMs, byte[] value) {
        ObjectNode line = line(value);
        if (line == null) {
            skipped++;
            return false;
        }
        InsertedFields fields = layout.fields();
        fields.topic().ifPresent(f -> line.put(f, topic));
        fields.partition().ifPresent(f -> line.put(f, partition));
        fields.offset().ifPresent(f -> line.put(f, offset));
        fields.timestamp().ifPresent(f -> line.put(f, timestampMs));
        fields.staticField().ifPresent(f -> line.put(f, fields.staticValue().orElse(null)));
        String folder = layout.folder(topic, partition, timestampMs);
        String fileKey = folder + "/" + topic + "+" + partition;
        try {
            OpenFile file = open.get(fileKey);
            if (file == null) {
                file = new OpenFile(bucketFolder.resolve(folder).resolve(Layout.fileName(topic, partition, offset)));
                open.put(fileKey, file);
            }
            byte[] bytes = JSON.writeValueAsBytes(line);
            file.out.write(bytes);
            file.out.write('\n');
            file.records++;
            file.bytes += bytes.length + 1;
            records++;
            if (file.records >= layout.flushSize()) {
                open.remove(fileKey);
                commit(file);
                evict();
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write under " + bucketFolder, e);
        }
    }

    /** Makes every file written so far visible (renamed from {@code .tmp} to {@code .json}), as a sink commit does. */
    public void commit() {
        try {
            for (OpenFile file : open.values()) {
                commit(file);
            }
            open.clear();
            evict();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot commit files under " + bucketFolder, e);
        }
    }

    /** Records written (committed or not, dropped ones included). */
    public long records() {
        return records;
    }

    /** Records skipped: tombstones and values that are not JSON objects. */
    public long skipped() {
        return skipped;
    }

    /** Records whose committed files were deleted to stay within {@code maxBytes}. */
    public long droppedRecords() {
        return droppedRecords;
    }

    /** Committed files present now. */
    public long objects() {
        return committed.size();
    }

    /** Bytes of the committed files present now. */
    public long bytes() {
        return committedBytes;
    }

    /** Commits what is open. */
    @Override
    public void close() {
        commit();
    }

    private void commit(OpenFile file) throws IOException {
        file.out.close();
        try {
            Files.move(file.temporary, file.target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(file.temporary, file.target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed.addLast(new Committed(file.target, file.bytes, file.records));
        committedBytes += file.bytes;
    }

    private void evict() throws IOException {
        while (committedBytes > maxBytes && committed.size() > 1) {
            Committed oldest = committed.removeFirst();
            Files.deleteIfExists(oldest.file());
            committedBytes -= oldest.bytes();
            droppedRecords += oldest.records();
        }
    }

    private static ObjectNode line(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(value);
            if (node != null && node.isObject() && node.size() == 2 && node.has("schema") && node.has("payload")) {
                node = node.get("payload");
            }
            return node != null && node.isObject() ? (ObjectNode) node : null;
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
