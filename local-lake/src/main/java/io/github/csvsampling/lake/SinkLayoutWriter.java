package io.github.csvsampling.lake;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    /** InsertField's field names as JSON ({@code ,"name":}), quoted once; null for a field the sink does not add. */
    private final String topicField;
    private final String partitionField;
    private final String offsetField;
    private final String timestampField;
    /** The static field with its value, or empty. */
    private final String staticField;
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
        InsertedFields fields = layout.fields();
        this.topicField = fields.topic().map(SinkLayoutWriter::field).orElse(null);
        this.partitionField = fields.partition().map(SinkLayoutWriter::field).orElse(null);
        this.offsetField = fields.offset().map(SinkLayoutWriter::field).orElse(null);
        this.timestampField = fields.timestamp().map(SinkLayoutWriter::field).orElse(null);
        this.staticField = fields.staticField().map(name -> field(name)
                + fields.staticValue().map(v -> '"' + escape(v) + '"').orElse("null")).orElse("");
    }

    /**
     * Appends one record as the sink would write it (not visible before {@link #commit()}).
     *
     * @param value the record value as the topic holds it (JSON); {@code null} for a tombstone
     * @return whether the record was written (false when skipped: tombstone, not a JSON object)
     */
    public boolean write(String topic, int partition, long offset, long timestampMs, byte[] value) {
        int[] object = payload(value);
        if (object == null) {
            skipped++;
            return false;
        }
        String folder = layout.folder(topic, partition, timestampMs);
        String fileKey = folder + "/" + topic + "+" + partition;
        try {
            OpenFile file = open.get(fileKey);
            if (file == null) {
                file = new OpenFile(bucketFolder.resolve(folder).resolve(Layout.fileName(topic, partition, offset)));
                open.put(fileKey, file);
            }
            byte[] added = addedFields(topic, partition, offset, timestampMs, object[2] == 1);
            // The payload's own bytes up to its closing brace, the added fields, the brace: no tree, no re-encoding.
            file.out.write(value, object[0], object[1] - object[0] - 1);
            file.out.write(added);
            file.out.write('\n');
            file.records++;
            file.bytes += object[1] - object[0] - 1 + added.length + 1;
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

    /** {@code ,"f1":v1,"f2":v2}} (without the leading comma for an empty payload), in InsertField's order. */
    private byte[] addedFields(String topic, int partition, long offset, long timestampMs, boolean empty) {
        StringBuilder text = new StringBuilder(96);
        if (topicField != null) {
            text.append(topicField).append('"').append(escape(topic)).append('"');
        }
        if (partitionField != null) {
            text.append(partitionField).append(partition);
        }
        if (offsetField != null) {
            text.append(offsetField).append(offset);
        }
        if (timestampField != null) {
            text.append(timestampField).append(timestampMs);
        }
        text.append(staticField);
        if (empty && text.length() > 0) {
            text.deleteCharAt(0);
        }
        return text.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String field(String name) {
        return ",\"" + escape(name) + "\":";
    }

    private static String escape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
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

    /**
     * Where the payload object is in a value: {@code [start, end, empty]} (end exclusive, after its closing brace;
     * empty is 1 for {@code {}}): the {@code payload} of a {@code {"schema", "payload"}} envelope, or the value
     * itself; {@code null} when the value is a tombstone, not JSON, or not an object. Found with a streaming parser,
     * without building a tree.
     */
    private static int[] payload(byte[] value) {
        if (value == null) {
            return null;
        }
        try (JsonParser parser = JSON.getFactory().createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int fields = 0;
            boolean schema = false;
            int[] payload = null;
            boolean payloadNotObject = false;
            boolean topEmpty = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                topEmpty = false;
                fields++;
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (name.equals("schema")) {
                    schema = true;
                    parser.skipChildren();
                } else if (name.equals("payload")) {
                    if (token == JsonToken.START_OBJECT) {
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        boolean empty = parser.nextToken() == JsonToken.END_OBJECT;
                        if (!empty) {
                            parser.skipChildren(); // the first field's value, if structured
                            while (parser.nextToken() != JsonToken.END_OBJECT) {
                                parser.skipChildren();
                            }
                        }
                        payload = new int[] {start, (int) parser.currentLocation().getByteOffset(), empty ? 1 : 0};
                    } else {
                        payloadNotObject = true;
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
            }
            int end = (int) parser.currentLocation().getByteOffset();
            if (fields == 2 && schema && (payload != null || payloadNotObject)) {
                return payload; // an envelope: its payload, or nothing when the payload is not an object
            }
            return new int[] {0, end, topEmpty ? 1 : 0};
        } catch (IOException e) {
            return null;
        }
    }
}
