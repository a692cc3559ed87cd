package io.github.csvsampling.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running worker and connector survive a broker restart: the basis of later fault tests. */
class BrokerRestartTest {

    private static final Logger log = LoggerFactory.getLogger(BrokerRestartTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void connectorKeepsProducingAfterBrokerRestart(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("in.txt"), "1\n2\n");
        try (LocalKafka kafka = LocalKafka.builder().start();
             LocalConnectWorker worker = LocalConnectWorker.builder(kafka.bootstrapServers()).start()) {
            kafka.createTopic("out", 1);
            ConnectRestClient rest = worker.restClient();
            rest.createConnector("file", Map.of(
                    "connector.class", LinesSourceConnector.class.getName(),
                    "tasks.max", "1", "file", file.toString(), "topic", "out"));
            rest.awaitConnectorRunning("file", 1, TIMEOUT);
            assertThat(kafka.readRecords("out", 2, TIMEOUT, false)).hasSize(2);

            long t0 = System.nanoTime();
            kafka.restart();
            log.info("Broker restart under a running worker {} ms", (System.nanoTime() - t0) / 1_000_000);

            Files.writeString(file, "3\n", StandardOpenOption.APPEND);
            long t1 = System.nanoTime();
            assertThat(kafka.readRecords("out", 3, Duration.ofSeconds(60), false)).hasSize(3);
            log.info("Record after broker restart seen in {} ms", (System.nanoTime() - t1) / 1_000_000);
            rest.awaitConnectorRunning("file", 1, TIMEOUT);
        }
    }
}
