package io.github.csvsampling.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker can be restarted, and a kept data directory brings the same cluster and data back. */
class LocalKafkaRestartTest {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaRestartTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void restartKeepsPortsAndData(@TempDir Path dataDir) throws Exception {
        int brokerPort;
        int controllerPort;
        try (LocalKafka kafka = LocalKafka.builder().dataDir(dataDir).start()) {
            brokerPort = kafka.brokerPort();
            controllerPort = kafka.controllerPort();
            kafka.createTopic("kept", 1);
            send(kafka, "before restart");

            long t0 = System.nanoTime();
            kafka.restart();
            log.info("Broker restart {} ms", (System.nanoTime() - t0) / 1_000_000);
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + brokerPort);
            send(kafka, "after restart");
            assertThat(values(kafka, 2)).containsExactly("before restart", "after restart");
        }
        assertThat(dataDir.resolve("logs/meta.properties")).exists(); // a given data dir is kept

        // A new instance on the same directory and ports is the same cluster, not a reformatted one.
        try (LocalKafka again = LocalKafka.builder().dataDir(dataDir)
                .brokerPort(brokerPort).controllerPort(controllerPort).start()) {
            assertThat(values(again, 2)).containsExactly("before restart", "after restart");
        }
    }

    @Test
    void busyPortFailsTheStartWithoutEndingTheJvm() throws Exception {
        // Kafka logs this expected failure at ERROR level.
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            assertThatThrownBy(
                    () -> LocalKafka.builder().brokerPort(busy.getLocalPort()).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("failed to start");
            log.info("Failed start took {} ms", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @Test
    void temporaryDataDirIsDeletedOnClose() {
        Path dataDir;
        try (LocalKafka kafka = LocalKafka.builder().build()) {
            dataDir = kafka.dataDir();
            assertThat(dataDir).isDirectory();
            assertThat(kafka.isRunning()).isFalse(); // build() does not start
        }
        assertThat(Files.exists(dataDir)).isFalse();
    }

    private static void send(LocalKafka kafka, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of())) {
            producer.send(new ProducerRecord<>("kept", value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static List<String> values(LocalKafka kafka, int count) {
        return kafka.readRecords("kept", count, TIMEOUT, false).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }
}
