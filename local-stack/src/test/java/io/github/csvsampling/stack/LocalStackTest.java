package io.github.csvsampling.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One broker and one Connect worker for the whole class, as integration tests elsewhere will use them. */
class LocalStackTest {

    private static final Logger log = LoggerFactory.getLogger(LocalStackTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FILE_SOURCE = LinesSourceConnector.class.getName();

    private static LocalKafka kafka;
    private static LocalConnectWorker worker;
    private static ConnectRestClient rest;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startStack() {
        kafka = LocalKafka.builder().start();
        worker = LocalConnectWorker.builder(kafka.bootstrapServers()).groupId("local-stack-test").start();
        rest = worker.restClient();
        log.info("Broker start {} ms, worker start {} ms", kafka.lastStartTime().toMillis(),
                worker.lastStartTime().toMillis());
    }

    @AfterAll
    static void stopStack() {
        long t0 = System.nanoTime();
        if (worker != null) {
            worker.close();
        }
        long t1 = System.nanoTime();
        if (kafka != null) {
            kafka.close();
        }
        log.info("Worker close {} ms, broker close {} ms", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }

    @Test
    void restRootAnswersWithKafkaVersion() {
        JsonNode info = rest.serverInfo();
        assertThat(info.path("version").asText()).isEqualTo(KafkaVersion.current());
        assertThat(info.path("kafka_cluster_id").asText()).isNotBlank();
    }

    @Test
    void producedRecordsCanBeReadBack() {
        kafka.createTopic("round-trip", 2);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of())) {
            producer.send(new ProducerRecord<>("round-trip", bytes("k"), bytes("v"))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readRecords("round-trip", 1, TIMEOUT, false);
        assertThat(records).hasSize(1);
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("k");
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("v");
    }

    @Test
    void readCommittedSkipsAbortedTransactions() {
        kafka.createTopic("transactions", 1);
        try (KafkaProducer<byte[], byte[]> producer =
                     kafka.producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-stack-test-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", bytes("aborted")));
            producer.flush(); // abortTransaction() drops batches not sent yet
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", bytes("committed")));
            producer.commitTransaction();
        }
        assertThat(values(kafka.readRecords("transactions", 1, TIMEOUT, true))).containsExactly("committed");
        assertThat(values(kafka.readRecords("transactions", 2, TIMEOUT, false)))
                .containsExactly("aborted", "committed");
    }

    @Test
    void createTopicRejectsExistingTopic() {
        kafka.createTopic("twice", 1);
        assertThatThrownBy(() -> kafka.createTopic("twice", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void classPathConnectorIsFoundByServiceLoader() {
        JsonNode plugins = rest.connectorPlugins();
        List<String> classes = new ArrayList<>();
        plugins.forEach(p -> classes.add(p.path("class").asText()));
        assertThat(classes).contains(FILE_SOURCE);

        assertThat(rest.connectorPlugins(false)).anyMatch(p -> p.path("type").asText().equals("converter"));
        JsonNode validation = rest.validate("LinesSource", Map.of("name", "v", "topic", "t", "file", "/f"));
        assertThat(validation.path("error_count").asInt()).isZero();
    }

    @Test
    void fileSourceConnectorRunsThroughItsLifecycle() throws IOException {
        Path file = lines("lifecycle.txt", "a", "b", "c");
        kafka.createTopic("lifecycle", 1);
        rest.createConnector("lifecycle", fileSource(file, "lifecycle"));
        rest.awaitConnectorRunning("lifecycle", 1, TIMEOUT);
        assertThat(values(kafka.readRecords("lifecycle", 3, TIMEOUT, false))).containsExactly(
                "{\"schema\":{\"type\":\"string\",\"optional\":false},\"payload\":\"a\"}",
                "{\"schema\":{\"type\":\"string\",\"optional\":false},\"payload\":\"b\"}",
                "{\"schema\":{\"type\":\"string\",\"optional\":false},\"payload\":\"c\"}");

        assertThatThrownBy(() -> rest.createConnector("lifecycle", fileSource(file, "lifecycle")))
                .isInstanceOfSatisfying(ConnectRestException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("already exists");

        rest.pause("lifecycle");
        rest.awaitState("lifecycle", "PAUSED", 1, TIMEOUT);
        rest.resume("lifecycle");
        rest.awaitConnectorRunning("lifecycle", 1, TIMEOUT);
        rest.restart("lifecycle", true, false);
        rest.awaitConnectorRunning("lifecycle", 1, TIMEOUT);

        rest.stopConnector("lifecycle");
        rest.awaitState("lifecycle", "STOPPED", 0, TIMEOUT);
        JsonNode offsets = rest.offsets("lifecycle").path("offsets");
        assertThat(offsets).hasSize(1);
        assertThat(offsets.get(0).path("offset").path("lines").asLong()).isEqualTo(3); // "a", "b", "c"
        rest.resetOffsets("lifecycle");
        assertThat(rest.offsets("lifecycle").path("offsets")).isEmpty();

        rest.delete("lifecycle");
        assertThat(rest.connectors()).noneMatch(n -> n.asText().equals("lifecycle"));
        rest.awaitConnectorDeleted("lifecycle", TIMEOUT);
        assertThatThrownBy(() -> rest.status("lifecycle"))
                .isInstanceOfSatisfying(ConnectRestException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void workerRestartRejoinsTheClusterAndResumesFromCommittedOffsets() throws IOException {
        Path file = lines("restart.txt", "1", "2");
        kafka.createTopic("restart", 1);
        rest.createConnector("restart", fileSource(file, "restart"));
        rest.awaitConnectorRunning("restart", 1, TIMEOUT);
        assertThat(kafka.readRecords("restart", 2, TIMEOUT, false)).hasSize(2);
        String url = worker.restUrl();

        // Twice: a second start in the same JVM must work, and a third one too (JMX, Jetty, shutdown hooks).
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            worker.stop();
            assertThat(worker.isRunning()).isFalse();
            long t1 = System.nanoTime();
            worker.start();
            log.info("Worker stop {} ms, start {} ms", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
            assertThat(worker.restUrl()).isEqualTo(url);
            assertThat(rest.serverInfo().path("version").asText()).isEqualTo(KafkaVersion.current());
            rest.awaitConnectorRunning("restart", 1, TIMEOUT);
        }

        // The offsets committed on graceful stop are used: only the new line is produced, no duplicates.
        Files.writeString(file, "3\n", StandardOpenOption.APPEND);
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readRecords("restart", 3, TIMEOUT, false);
        assertThat(records).hasSize(3);
        assertThat(kafka.readRecords("restart", 4, Duration.ofSeconds(1), false)).hasSize(3);
        rest.delete("restart");
    }

    @Test
    void secondWorkerClusterWithExactlyOnceSourceSupport() throws IOException {
        Path file = lines("eos.txt", "x", "y");
        kafka.createTopic("eos", 1);
        try (LocalConnectWorker eosWorker = LocalConnectWorker.builder(kafka.bootstrapServers())
                .groupId("local-stack-test-eos").exactlyOnceSourceSupport(true).start()) {
            assertThat(eosWorker.restUrl()).isNotEqualTo(worker.restUrl());
            assertThat(eosWorker.workerProps()).containsEntry("exactly.once.source.support", "enabled");
            ConnectRestClient eosRest = eosWorker.restClient();
            Map<String, String> config = new HashMap<>(fileSource(file, "eos"));
            config.put("exactly.once.support", "required");
            config.put("transaction.boundary", "poll");
            eosRest.createConnector("eos", config);
            eosRest.awaitConnectorRunning("eos", 1, TIMEOUT);
            assertThat(kafka.readRecords("eos", 2, TIMEOUT, true)).hasSize(2);
            assertThat(rest.connectors()).noneMatch(n -> n.asText().equals("eos")); // separate cluster
        }
    }

    @Test
    void workerThatCannotStartFailsWithoutEndingTheJvm() {
        // The config topic must have one partition: the herder thread fails and calls Exit.exit(1), masked here.
        // (Connect logs this expected failure at ERROR level.)
        kafka.createTopic("broken-configs", 2, Map.of("cleanup.policy", "compact"));
        LocalConnectWorker broken = LocalConnectWorker.builder(kafka.bootstrapServers()).groupId("broken")
                .startTimeout(Duration.ofSeconds(20)).build();
        assertThatThrownBy(broken::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed to start")
                .hasStackTraceContaining("Exit.exit(1)");
        assertThat(broken.isRunning()).isFalse();
        assertThat(rest.serverInfo().path("version").asText()).isEqualTo(KafkaVersion.current());
    }

    @Test
    void everythingListensOnLoopbackOnly() throws IOException {
        assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(worker.restUrl()).startsWith("http://127.0.0.1:");
        assertThat(worker.advertisedUrl().getHost()).isEqualTo("127.0.0.1");
        assertThat(URI.create(worker.restUrl()).getPort()).isEqualTo(worker.advertisedUrl().getPort());

        Set<Long> ownSockets = ownSocketInodes();
        Assumptions.assumeTrue(ownSockets != null, "needs Linux /proc");
        List<ListeningSocket> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (Files.exists(path)) {
                listening.addAll(listeningSockets(path, ownSockets));
            }
        }
        assertThat(listening).extracting(ListeningSocket::port).contains(
                kafka.brokerPort(), kafka.controllerPort(), worker.advertisedUrl().getPort());
        assertThat(listening).allSatisfy(s -> assertThat(s.address().isLoopbackAddress())
                .as("listening socket %s of this JVM is on loopback", s).isTrue());
    }

    private static Path lines(String name, String... lines) throws IOException {
        return Files.writeString(tmp.resolve(name), String.join("\n", lines) + "\n");
    }

    private static Map<String, String> fileSource(Path file, String topic) {
        return Map.of("connector.class", FILE_SOURCE, "tasks.max", "1", "file", file.toString(), "topic", topic);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    record ListeningSocket(InetAddress address, int port) {
    }

    /** Inodes of the sockets this JVM has open, from /proc/self/fd; null if /proc is not available. */
    private static Set<Long> ownSocketInodes() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return null;
        }
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> links = Files.list(fds)) {
            for (Path link : (Iterable<Path>) links::iterator) {
                try {
                    String target = Files.readSymbolicLink(link).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }

    /** LISTEN entries (state 0A) of a /proc/net/tcp* table that belong to the given socket inodes. */
    private static List<ListeningSocket> listeningSockets(Path table, Set<Long> inodes) throws IOException {
        List<ListeningSocket> result = new ArrayList<>();
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (!f[3].equals("0A") || !inodes.contains(Long.parseLong(f[9]))) {
                continue;
            }
            String[] local = f[1].split(":");
            result.add(new ListeningSocket(decode(local[0]), Integer.parseInt(local[1], 16)));
        }
        return result;
    }

    /** /proc/net addresses are 32-bit words in host (little-endian) order. */
    private static InetAddress decode(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int from = (word * 4 + (3 - i)) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(from, from + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
