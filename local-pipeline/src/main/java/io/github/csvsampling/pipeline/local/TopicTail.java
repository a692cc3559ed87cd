package io.github.csvsampling.pipeline.local;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints the last records of a topic as the source wrote them: partition and offset, timestamp, key,
 * headers ({@code csv.task}, {@code csv.sequence}, {@code csv.row}) and value. A value written by
 * Connect's JsonConverter with schemas is an envelope {@code {"schema": ..., "payload": ...}}: the
 * payload is printed, {@code --envelope} prints the whole of it. Reads committed records only, as
 * the sink does. Run while the main job runs:
 * {@code ./mvnw -q -pl local-pipeline exec:java@tail -Dexec.args="-n 5"}.
 */
public final class TopicTail {

    static final String USAGE = String.join("\n",
            "Usage: ./mvnw -q -pl local-pipeline exec:java@tail -Dexec.args=\"[options]\"",
            "Prints the last records of a topic: partition@offset, timestamp, key, headers and value.",
            "",
            "  --bootstrap HOST:PORT  Kafka (default 127.0.0.1:9092)",
            "  --topic NAME           the topic (default stock-quotes)",
            "  -n N                   how many of the last records, per partition (default 10)",
            "  --follow               keep printing new records until Ctrl-C",
            "  --envelope             print the JsonConverter envelope (schema and payload), not only the payload");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicTail() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Prints as the command does; returns the exit code (2 for a wrong option, 1 when Kafka cannot be read). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String bootstrap = "127.0.0.1:9092";
        String topic = "stock-quotes";
        int last = 10;
        boolean follow = false;
        boolean envelope = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bootstrap" -> bootstrap = value(args, ++i, "--bootstrap");
                    case "--topic" -> topic = value(args, ++i, "--topic");
                    case "-n" -> last = Integer.parseInt(value(args, ++i, "-n"));
                    case "--follow" -> follow = true;
                    case "--envelope" -> envelope = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]);
                }
            }
            if (last < 0) {
                throw new IllegalArgumentException("-n must be 0 or more");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                err.println("No topic " + topic + " at " + bootstrap + " (is the main job running?)");
                return 1;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            for (TopicPartition partition : partitions) {
                for (ConsumerRecord<byte[], byte[]> record : last(consumer, partition, last, starts.get(partition),
                        ends.get(partition))) {
                    out.println(format(record, envelope));
                }
            }
            while (follow) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    out.println(format(record, envelope));
                }
            }
            return 0;
        } catch (org.apache.kafka.common.KafkaException e) {
            err.println("Cannot read " + topic + " at " + bootstrap + ": " + e.getMessage()
                    + " (is the main job running? --bootstrap sets the address)");
            return 1;
        }
    }

    /**
     * The last {@code n} records of a partition before {@code end}. Transaction markers of an
     * exactly-once source take offsets too, so the window read back doubles until it holds {@code n}
     * records or reaches the start. Leaves the consumer positioned at {@code end}.
     */
    private static List<ConsumerRecord<byte[], byte[]>> last(KafkaConsumer<byte[], byte[]> consumer,
                                                             TopicPartition partition, int n, long start, long end) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long window = Math.max(n, 1);
        while (true) {
            long from = Math.max(start, end - window);
            records.clear();
            consumer.seek(partition, from);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500)).records(partition)) {
                    if (record.offset() < end) {
                        records.add(record);
                    }
                }
            }
            if (records.size() >= n || from == start) {
                consumer.seek(partition, end);
                return records.subList(Math.max(0, records.size() - n), records.size());
            }
            window *= 2;
        }
    }

    /** One record: a line of coordinates, key and headers, then the value, indented. */
    static String format(ConsumerRecord<byte[], byte[]> record, boolean envelope) {
        StringBuilder line = new StringBuilder();
        line.append(record.topic()).append('-').append(record.partition()).append('@').append(record.offset())
                .append("  ").append(Instant.ofEpochMilli(record.timestamp()))
                .append("  key=").append(record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8));
        for (Header header : record.headers()) {
            line.append("  ").append(header.key()).append('=').append(headerValue(header.value()));
        }
        line.append("\n  ").append(value(record.value(), envelope));
        return line.toString();
    }

    private static String value(byte[] value, boolean envelope) {
        if (value == null) {
            return "null";
        }
        String text = new String(value, StandardCharsets.UTF_8);
        try {
            JsonNode json = JSON.readTree(value);
            if (!envelope && json.isObject() && json.has("schema") && json.has("payload") && json.size() == 2) {
                return json.get("payload").toString();
            }
            return json.toString();
        } catch (java.io.IOException e) {
            return text;
        }
    }

    /**
     * A header's value as Connect's SimpleHeaderConverter writes it (the text of the number for the
     * source's {@code csv.*} headers), or its bytes as hex when they are not text.
     */
    private static String headerValue(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return text;
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : bytes) {
            hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return hex.toString();
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException("Missing value after " + flag);
        }
        return args[index];
    }
}
