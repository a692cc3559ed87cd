package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.it.ConnectCluster.Sampled;
import io.github.csvsampling.stack.LocalKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a topic holds, read the way the fault and cluster tests judge a stream: every record from the beginning,
 * each task's records in topic order, and where a task's {@code csv.sequence} does not go up by one.
 */
final class Streams {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private Streams() {
    }

    /**
     * Every record of the topic, read from the beginning up to the end offsets taken when reading starts (with
     * read_committed, the last stable offset: call it when no transaction is open).
     */
    static List<Sampled> readAll(LocalKafka kafka, String topic, boolean readCommitted) {
        Map<String, Object> overrides = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        List<Sampled> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(overrides)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    fail("read %d records of %s, not up to %s in %s", records.size(), topic, end, TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(Sampled.of(r)));
            }
        }
        return records;
    }

    /** The sum of the latest offsets of the topic's partitions (records and transaction markers); 0 if absent. */
    static long endOffset(LocalKafka kafka, String topic) {
        try (Admin admin = kafka.admin()) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("offsets of " + topic + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the topic's end offset is at least {@code from + count}. */
    static void awaitGrowth(LocalKafka kafka, String topic, long from, long count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long now;
        while ((now = endOffset(kafka, topic)) < from + count) {
            if (System.nanoTime() > deadline) {
                fail("topic %s grew from %d to %d in %s, expected %d more", topic, from, now, timeout, count);
            }
            Thread.sleep(100);
        }
    }

    /** The records of each task ({@code csv.task}), in topic order. */
    static Map<Integer, List<Sampled>> byTask(List<Sampled> records) {
        return records.stream().collect(Collectors.groupingBy(Sampled::task, TreeMap::new, Collectors.toList()));
    }

    /** The places where a sequence does not go up by one, as {@code index: from -> to}. */
    static List<String> jumps(List<Long> sequences) {
        List<String> jumps = new ArrayList<>();
        for (int i = 1; i < sequences.size(); i++) {
            if (sequences.get(i) != sequences.get(i - 1) + 1) {
                jumps.add(i + ": " + sequences.get(i - 1) + " -> " + sequences.get(i));
            }
        }
        return jumps;
    }
}
