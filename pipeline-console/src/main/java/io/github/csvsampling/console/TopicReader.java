package io.github.csvsampling.console;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the stock topic from its beginning, as a {@code read_committed} consumer without a group (it commits
 * nothing and disturbs no one), and hands every record to the {@link StreamStats} and to the lake's feed (the records
 * written as the sink would write them, while the bucket is empty). Waits for a topic that does not exist yet, picks
 * up partitions added later, and says what it is doing in {@link #status()}. One thread, {@code console-topic}.
 */
final class TopicReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);

    /** Where records go besides the statistics. */
    interface Feed {
        void accept(ConsumerRecord<byte[], byte[]> record);
    }

    private final String bootstrap;
    private final String topic;
    private final StreamStats stats;
    private final Feed feed;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String status = "starting";
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    TopicReader(String bootstrap, String topic, StreamStats stats, Feed feed) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.stats = stats;
        this.feed = feed;
        this.thread = new Thread(this::run, "console-topic");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** What the reader is doing, for the page: reading, catching up, waiting for the topic, or why it cannot. */
    String status() {
        return status;
    }

    private void run() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pipeline-console");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            Map<TopicPartition, Long> ends = new HashMap<>();
            long nextCheck = 0;
            while (running) {
                try {
                    if (System.nanoTime() >= nextCheck) {
                        if (!assign(kafka, ends)) {
                            sleep(2000);
                            continue;
                        }
                        nextCheck = System.nanoTime() + 5_000_000_000L;
                    }
                    ConsumerRecords<byte[], byte[]> records = kafka.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        stats.add(record.timestamp(), record.key(), record.value());
                        feed.accept(record);
                    }
                    catchUp(kafka, ends);
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException | IllegalStateException e) {
                    status = "Cannot read " + topic + " from Kafka at " + bootstrap + ": " + e.getMessage();
                    log.warn("{}", status);
                    nextCheck = 0; // the consumer keeps its positions and reconnects by itself
                    sleep(2000);
                }
            }
        } catch (RuntimeException e) {
            status = "The topic reader stopped: " + e;
            log.error("The topic reader stopped", e);
        }
    }

    /** Assigns every partition of the topic (new ones from their beginning); false when the topic is missing. */
    private boolean assign(KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, Long> ends) {
        List<PartitionInfo> infos;
        try {
            infos = kafka.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            status = "Cannot reach Kafka at " + bootstrap + " (no answer in 5 s)";
            return false;
        }
        if (infos == null || infos.isEmpty()) {
            status = "Waiting for the topic " + topic + " (it does not exist yet)";
            return false;
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        if (!kafka.assignment().containsAll(partitions)) {
            List<TopicPartition> added = partitions.stream().filter(p -> !kafka.assignment().contains(p)).toList();
            kafka.assign(partitions);
            kafka.seekToBeginning(added);
            ends.putAll(kafka.endOffsets(added));
            if (status.startsWith("Waiting") || status.startsWith("starting") || status.startsWith("Cannot")) {
                status = "Catching up with " + topic;
            }
        }
        return true;
    }

    /** Tells the statistics once every partition was read up to where it ended when it was assigned. */
    private void catchUp(KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, Long> ends) {
        if (ends.isEmpty()) {
            return;
        }
        ends.entrySet().removeIf(end -> kafka.position(end.getKey()) >= end.getValue());
        if (ends.isEmpty()) {
            stats.caughtUp(true);
            status = "Reading " + topic + " as it grows";
        }
    }

    /** Waits, in short steps so that {@link #close()} is not kept waiting. */
    private void sleep(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        try {
            while (running && System.nanoTime() < until) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup(); // not an interrupt: that would break the consumer's own close
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
