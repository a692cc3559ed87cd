package io.github.csvsampling.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>It is the broker behind our integration tests, benchmarks and the "run the pipeline locally" command. It is
 * built from Kafka's main jars only: the data directory is formatted with {@link StorageTool} (the code behind
 * {@code kafka-storage.sh format}, called so that it cannot {@code System.exit}), then a
 * {@link KafkaRaftServer} is started. Both listeners, broker ({@code PLAINTEXT}) and controller
 * ({@code CONTROLLER}), bind to {@code 127.0.0.1} only, so nothing is exposed beyond the loopback interface.
 *
 * <p>Settings are those of a one-node cluster: replication factor 1 and min ISR 1 for the internal topics,
 * no initial rebalance delay for consumer groups, one partition for {@code __consumer_offsets} and
 * {@code __transaction_state} (fast start), and <b>no automatic topic creation</b>: create topics with
 * {@link #createTopic(String, int)}. Any broker property can be overridden with
 * {@link Builder#brokerProperty(String, String)}.
 *
 * <p>The instance can be stopped and started again on the same data directory and ports ({@link #stop()},
 * {@link #start()}, {@link #restart()}), which is what fault-injection tests need. {@link #close()} stops the
 * server and deletes the data directory if this class created it.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.builder().start()) {
 *     kafka.createTopic("rows", 3);
 *     String bootstrap = kafka.bootstrapServers(); // 127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe for the lifecycle methods; the client helpers create a new client per call.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

    private static final int NODE_ID = 1;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final int brokerPort;
    private final int controllerPort;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, String> brokerOverrides;
    private final boolean maskExitProcedures;

    private KafkaRaftServer server;
    private boolean exitMasked;
    private boolean closed;
    private Duration lastStartTime = Duration.ZERO;

    private LocalKafka(Builder builder) {
        this.brokerPort = Loopback.portOrFree(builder.brokerPort);
        int controller = Loopback.portOrFree(builder.controllerPort);
        while (controller == brokerPort) {
            controller = Loopback.portOrFree(0);
        }
        this.controllerPort = controller;
        this.brokerOverrides = Map.copyOf(builder.brokerProperties);
        this.maskExitProcedures = builder.maskExitProcedures;
        try {
            if (builder.dataDir != null) {
                this.dataDir = Files.createDirectories(builder.dataDir);
                this.ownsDataDir = false;
            } else {
                this.dataDir = builder.tempDirParent == null ? Files.createTempDirectory("local-kafka-")
                        : Files.createTempDirectory(builder.tempDirParent, "local-kafka-");
                this.ownsDataDir = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory", e);
        }
    }

    /** Returns a builder; by default both ports are picked free and the data directory is a temporary one. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory on first use and starts the broker; returns once the broker is unfenced and
     * accepts requests. Calling it on a running instance does nothing.
     *
     * @return this instance
     * @throws IllegalStateException if the instance was closed, or Kafka failed to start
     */
    public synchronized LocalKafka start() {
        if (closed) {
            throw new IllegalStateException("LocalKafka was closed");
        }
        if (server != null) {
            return this;
        }
        long t0 = System.nanoTime();
        if (maskExitProcedures && !exitMasked) {
            ExitMask.acquire();
            exitMasked = true;
        }
        KafkaRaftServer starting = null;
        try {
            Properties props = serverProperties();
            formatIfNeeded(props);
            starting = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            starting.startup();
            server = starting;
        } catch (RuntimeException e) {
            if (starting != null) {
                shutdownQuietly(starting);
            }
            releaseExitMask();
            throw new IllegalStateException("Kafka failed to start on " + bootstrapServers() + " (data dir "
                    + dataDir + ")", e);
        }
        lastStartTime = Duration.ofNanos(System.nanoTime() - t0);
        log.info("Kafka started: bootstrap {} controller 127.0.0.1:{} in {} ms (data dir {})",
                bootstrapServers(), controllerPort, lastStartTime.toMillis(), dataDir);
        return this;
    }

    /**
     * Shuts the broker down (controlled shutdown, then the controller) and waits until it has stopped. The data
     * directory and ports are kept, so {@link #start()} brings the same cluster back. Does nothing if stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        KafkaRaftServer stopping = server;
        server = null;
        try {
            stopping.shutdown();
            stopping.awaitShutdown();
        } finally {
            releaseExitMask();
        }
        log.info("Kafka stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** {@link #stop()} then {@link #start()}: same data directory, same ports, same cluster id. */
    public synchronized LocalKafka restart() {
        stop();
        return start();
    }

    /** Stops the broker and deletes the data directory if it is a temporary one created by this instance. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (ownsDataDir) {
                deleteRecursively(dataDir);
            }
        }
    }

    /** Whether the broker is currently started. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:<broker port>}. */
    public String bootstrapServers() {
        return Loopback.HOST + ":" + brokerPort;
    }

    /** The port of the broker (PLAINTEXT) listener; stable across restarts. */
    public int brokerPort() {
        return brokerPort;
    }

    /** The port of the KRaft controller listener; stable across restarts. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The data directory: {@code server.properties} and the {@code logs} directory (partitions, metadata log). */
    public Path dataDir() {
        return dataDir;
    }

    /** How long the last {@link #start()} took, formatting included (zero before the first start). */
    public synchronized Duration lastStartTime() {
        return lastStartTime;
    }

    /** A fresh map with {@code bootstrap.servers} set; a base for any client configuration. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** A new {@link Admin} client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(clientConfig());
    }

    /** Creates a topic with replication factor 1 and waits until every partition has a serving leader. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with replication factor 1 and the given topic configs (e.g. {@code cleanup.policy}), and
     * waits until every partition has a leader that serves requests, so producers and consumers can use it right
     * away.
     *
     * @throws IllegalStateException if the topic cannot be created (for example it already exists)
     */
    public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
        Objects.requireNonNull(name, "name");
        try (Admin admin = admin()) {
            NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(topicConfigs);
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (true) {
                if (hasAllLeaders(admin, name, partitions)) {
                    // The leader shows in the metadata a moment before the partition accepts requests; a
                    // ListOffsets to every leader (retried by the admin client) proves it does.
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    for (int p = 0; p < partitions; p++) {
                        latest.put(new TopicPartition(name, p), OffsetSpec.latest());
                    }
                    admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topic " + name + " has no leader for all " + partitions
                            + " partitions after " + ADMIN_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topic " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
    }

    /**
     * A new producer of byte arrays bound to this broker ({@code acks=all}); the overrides win. The caller closes
     * it.
     */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Map<String, Object> config = clientConfig();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    /**
     * A new consumer of byte arrays bound to this broker: no group (use {@code assign}) unless the overrides set
     * {@code group.id}, no auto commit, {@code auto.offset.reset=earliest}. Pass
     * {@code isolation.level=read_committed} in the overrides to skip aborted transactional records. The caller
     * closes it.
     */
    public KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> overrides) {
        Map<String, Object> config = clientConfig();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putAll(overrides);
        return new KafkaConsumer<>(config);
    }

    /**
     * Reads {@code topic} from the beginning of all its partitions until at least {@code atLeast} records were
     * read or {@code timeout} elapsed, and returns what was read: possibly more than {@code atLeast} (the last
     * poll is kept whole), or fewer on timeout, so the caller asserts on the count. Records are in poll order
     * (ordered within each partition).
     *
     * @param readCommitted {@code true} for {@code isolation.level=read_committed} (only committed transactional
     *                      records, and nothing past the last stable offset)
     * @throws IllegalArgumentException if the topic does not exist
     */
    public List<ConsumerRecord<byte[], byte[]>> readRecords(String topic, int atLeast, Duration timeout,
                                                            boolean readCommitted) {
        Map<String, Object> overrides = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(overrides)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("Topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < atLeast) {
                long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0) {
                    break;
                }
                consumer.poll(Duration.ofMillis(Math.min(remainingMs, 200))).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public String toString() {
        return "LocalKafka[" + bootstrapServers() + ", controller 127.0.0.1:" + controllerPort + ", " + dataDir + "]";
    }

    private Properties serverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + Loopback.HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + Loopback.HOST + ":" + brokerPort
                + ",CONTROLLER://" + Loopback.HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + Loopback.HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        // One node: every replication factor and min ISR is 1.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Fast start: few partitions for the internal topics, no rebalance delay for new groups.
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // The log cleaner (compacted Connect topics) preallocates this on the heap; the default is 128 MiB.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        p.putAll(brokerOverrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /** Formats the log directory like {@code kafka-storage.sh format}, unless it already is. */
    private void formatIfNeeded(Properties props) {
        Path logDir = Path.of(props.getProperty("log.dirs").split(",")[0]);
        Path configFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "Written by " + LocalKafka.class.getName());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + configFile, e);
        }
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(new String[] {
                "format", "--config", configFile.toString(), "--cluster-id", clusterId, "--ignore-formatted"
            }, printStream);
        }
        String text = output.toString(StandardCharsets.UTF_8).trim();
        if (code != 0) {
            throw new IllegalStateException("kafka-storage format failed with code " + code + ": " + text);
        }
        log.debug("Formatted {} with cluster id {}: {}", logDir, clusterId, text);
    }

    private void releaseExitMask() {
        if (exitMasked) {
            exitMasked = false;
            ExitMask.release();
        }
    }

    private static boolean hasAllLeaders(Admin admin, String topic, int partitions) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return description.partitions().size() == partitions
                    && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            return false; // not yet in the broker's metadata cache
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Error shutting down a Kafka server that failed to start", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.warn("Cannot delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Cannot delete {}: {}", dir, e.toString());
        }
    }

    /** Options for a {@link LocalKafka}. */
    public static final class Builder {

        private int brokerPort;
        private int controllerPort;
        private Path dataDir;
        private Path tempDirParent;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private boolean maskExitProcedures = true;

        private Builder() {
        }

        /** Port of the broker listener on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        /** Port of the KRaft controller listener on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /**
         * Data directory, kept on close (created if missing; reused, not reformatted, if it already holds a
         * cluster). By default a temporary directory is created and deleted on {@link LocalKafka#close()}.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * Where to create the temporary data directory (default: {@code java.io.tmpdir}), such as a tmpfs for
         * benchmarks, so that the log's disk writes add no noise. Ignored when {@link #dataDir} is set.
         */
        public Builder tempDirParent(Path parent) {
            this.tempDirParent = parent;
            return this;
        }

        /** Sets or overrides one broker property, e.g. {@code log.segment.bytes}. Applied last. */
        public Builder brokerProperty(String key, String value) {
            this.brokerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Whether Kafka's {@code Exit.exit}/{@code Exit.halt} (fatal broker errors) throw instead of ending the
         * JVM while this broker runs; default {@code true}. Kafka's fault handlers halt the JVM on fatal errors,
         * which in a test JVM kills the fork without a report; masked, the failing thread throws and the error is
         * logged. {@code Exit} is JVM-global: the mask is held while any masking server runs.
         */
        public Builder maskExitProcedures(boolean mask) {
            this.maskExitProcedures = mask;
            return this;
        }

        /** Creates the instance without starting it (ports and data directory are fixed now). */
        public LocalKafka build() {
            return new LocalKafka(this);
        }

        /** Creates and starts the instance. */
        public LocalKafka start() {
            LocalKafka kafka = build();
            try {
                return kafka.start();
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
        }
    }
}
