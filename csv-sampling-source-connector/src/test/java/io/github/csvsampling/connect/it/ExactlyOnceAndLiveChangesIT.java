package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.csvsampling.connect.it.ConnectCluster.Sampled;
import io.github.csvsampling.stack.ConnectRestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantees across restarts and live changes, on a worker with exactly-once source support
 * enabled: worker restarts, rate changes through the REST API, pause and resume, offsets set
 * through the REST API, and the sampling modes on a real worker.
 */
class ExactlyOnceAndLiveChangesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static ConnectCluster cluster;

    @TempDir
    static Path files;

    @BeforeAll
    static void startCluster() {
        cluster = ConnectCluster.start(true);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void exactlyOnceAcrossRepeatedWorkerRestarts() throws InterruptedException {
        String topic = "eos";
        cluster.run("eos", ConnectCluster.sourceConfig(topic, Map.of("exactly.once.support", "required",
                "records.per.second", "200", "max.records", "1500", "random.seed", "3")), 1);
        for (int restart = 0; restart < 3; restart++) {
            Thread.sleep(1200);
            cluster.worker.restart();
        }
        cluster.rest.awaitConnectorRunning("eos", 1, TIMEOUT);

        List<Sampled> records = cluster.readCommitted(topic, 1500, TIMEOUT);
        Thread.sleep(1000);
        List<Sampled> settled = cluster.readCommitted(topic, 1501, Duration.ofSeconds(3));

        assertThat(records.stream().map(Sampled::sequence))
                .as("a read_committed consumer sees every record once, in order, across 3 worker restarts")
                .containsExactlyElementsOf(Stream.iterate(0L, n -> n + 1).limit(1500).toList());
        assertThat(settled).hasSize(1500);
    }

    @Test
    void rateChangeTakesEffectWithinTwoSecondsAndKeepsThePosition() throws InterruptedException {
        String topic = "live-rate";
        Map<String, String> config = ConnectCluster.sourceConfig(topic, Map.of("records.per.second", "10",
                "random.seed", "8"));
        cluster.run("live-rate", config, 1);
        cluster.read(topic, 20, TIMEOUT);

        Map<String, String> faster = new HashMap<>(config);
        faster.put("records.per.second", "50");
        long changedAt = System.currentTimeMillis();
        cluster.rest.putConnectorConfig("live-rate", faster);
        Thread.sleep(5000);
        cluster.rest.delete("live-rate");
        cluster.rest.awaitConnectorDeleted("live-rate", TIMEOUT);
        List<Sampled> records = cluster.readCommitted(topic, Integer.MAX_VALUE, Duration.ofSeconds(3));

        assertThat(records.stream().map(Sampled::sequence))
                .as("no record repeated or skipped across the reconfiguration")
                .containsExactlyElementsOf(Stream.iterate(0L, n -> n + 1).limit(records.size()).toList());
        List<Sampled> after = records.stream()
                .filter(r -> r.timestamp() >= changedAt + 2000 && r.timestamp() < changedAt + 4500).toList();
        double seconds = (after.get(after.size() - 1).timestamp() - after.get(0).timestamp()) / 1000.0;
        assertThat((after.size() - 1) / seconds).as("rate from 2 s after the change").isCloseTo(50.0, within(5.0));
    }

    @Test
    void pauseAndResumeContinueAtTheRateWithABoundedBurst() throws InterruptedException {
        String topic = "pause";
        cluster.run("pause", ConnectCluster.sourceConfig(topic, Map.of("records.per.second", "20",
                "random.seed", "4", "pacing.max.catchup.ms", "500")), 1);
        cluster.read(topic, 20, TIMEOUT);
        cluster.rest.pause("pause");
        cluster.rest.awaitState("pause", "PAUSED", 1, TIMEOUT);
        Thread.sleep(4000);
        long resumedAt = System.currentTimeMillis();
        cluster.rest.resume("pause");
        Thread.sleep(4000);
        cluster.rest.delete("pause");
        cluster.rest.awaitConnectorDeleted("pause", TIMEOUT);
        List<Sampled> records = cluster.readCommitted(topic, Integer.MAX_VALUE, Duration.ofSeconds(3));

        assertThat(records.stream().map(Sampled::sequence))
                .containsExactlyElementsOf(Stream.iterate(0L, n -> n + 1).limit(records.size()).toList());
        List<Sampled> afterResume = records.stream().filter(r -> r.timestamp() >= resumedAt).toList();
        long firstSecond = afterResume.stream().filter(r -> r.timestamp() < afterResume.get(0).timestamp() + 1000).count();
        assertThat(firstSecond).as("records in the first second after resume: 0.5 s of catch-up plus 1 s at the rate")
                .isLessThanOrEqualTo(1 + 10 + 20 + 1);
        List<Sampled> steady = afterResume.stream()
                .filter(r -> r.timestamp() >= afterResume.get(0).timestamp() + 1000).toList();
        double seconds = (steady.get(steady.size() - 1).timestamp() - steady.get(0).timestamp()) / 1000.0;
        assertThat((steady.size() - 1) / seconds).as("rate after the burst").isCloseTo(20.0, within(2.0));
    }

    @Test
    void offsetsSetThroughTheRestApiAreWhereTheTaskResumes() {
        String topic = "altered";
        Map<String, String> config = ConnectCluster.sourceConfig(topic, Map.of("records.per.second", "100",
                "random.seed", "12", "max.records", "120"));
        cluster.run("altered", config, 1);
        cluster.readCommitted(topic, 120, TIMEOUT);
        cluster.rest.stopConnector("altered");
        cluster.rest.awaitState("altered", "STOPPED", 0, TIMEOUT);

        JsonNode offsets = cluster.rest.offsets("altered");
        JsonNode stored = offsets.get("offsets").get(0);
        assertThat(stored.get("offset").get("sequence").asLong()).isEqualTo(120);
        ObjectNode rewind = ConnectCluster.JSON.createObjectNode();
        ObjectNode entry = rewind.putArray("offsets").addObject();
        entry.set("partition", stored.get("partition"));
        entry.putObject("offset").put("sequence", 100).put("seed", 12);
        cluster.rest.alterOffsets("altered", rewind);

        ObjectNode bad = rewind.deepCopy();
        ((ObjectNode) bad.get("offsets").get(0).get("offset")).put("sequence", "one hundred");
        ConnectRestClient.Response rejected = cluster.rest.request("PATCH", "/connectors/altered/offsets", bad);
        assertThat(rejected.status()).as("Connect answers 500 for offsets a connector rejects").isEqualTo(500);
        assertThat(rejected.body().toString()).contains("sequence").contains("must be an integer");

        cluster.rest.resume("altered");
        List<Sampled> records = cluster.readCommitted(topic, 140, TIMEOUT);
        assertThat(records.stream().map(Sampled::sequence).toList().subList(120, 140))
                .as("after the rewind the task re-emits records 100 to 119, the same rows as before")
                .containsExactlyElementsOf(Stream.iterate(100L, n -> n + 1).limit(20).toList());
        assertThat(records.subList(120, 140).stream().map(Sampled::row).toList())
                .isEqualTo(records.subList(100, 120).stream().map(Sampled::row).toList());
    }

    @Test
    void samplingModesOnARealWorker() throws Exception {
        Path csv = files.resolve("two-indices.csv");
        List<String> lines = new ArrayList<>(List.of("Index,Date,Close"));
        for (String index : List.of("NYA", "HSI", "N225")) {
            for (int day = 1; day <= 9; day++) {
                lines.add(index + ",2021-03-0" + day + "," + (100 * day));
            }
        }
        Files.write(csv, lines, StandardCharsets.UTF_8);

        cluster.run("shuffle", ConnectCluster.sourceConfig("shuffle", Map.of("csv.path", csv.toString(),
                "sampling.mode", "shuffle", "records.per.second", "200", "max.records", "54", "tasks.max", "3")), 3);
        List<Sampled> shuffled = cluster.readCommitted("shuffle", 54, TIMEOUT);
        Map<Long, Long> timesEachRow = shuffled.stream().collect(Collectors.groupingBy(Sampled::row, Collectors.counting()));
        assertThat(timesEachRow).as("two passes of 3 tasks over their 9 rows each").hasSize(27)
                .allSatisfy((row, count) -> assertThat(count).isEqualTo(2));

        cluster.run("sequential", ConnectCluster.sourceConfig("sequential", Map.of("csv.path", csv.toString(),
                "sampling.mode", "sequential", "records.per.second", "200", "max.records", "30")), 1);
        assertThat(cluster.readCommitted("sequential", 30, TIMEOUT).stream().map(Sampled::row))
                .containsExactlyElementsOf(Stream.iterate(1L, n -> n % 27 + 1).limit(30).toList());

        cluster.run("replay", ConnectCluster.sourceConfig("replay", Map.of("csv.path", csv.toString(),
                "sampling.mode", "replay", "replay.time.column", "Date", "replay.speed", "10", "key.column", "Index",
                "tasks.max", "2", "max.records", "54", "replay.end", "stop")), 2);
        List<Sampled> replayed = cluster.readCommitted("replay", 27, TIMEOUT);
        assertThat(replayed).hasSize(27);
        Map<String, List<Sampled>> byIndex = replayed.stream()
                .collect(Collectors.groupingBy(r -> r.payload().get("Index").asText()));
        assertThat(byIndex).hasSize(3);
        for (List<Sampled> series : byIndex.values()) {
            assertThat(series.stream().map(r -> r.payload().get("Date").asText()).toList())
                    .as("each index's days in order").isSorted().hasSize(9);
            assertThat(series.stream().map(Sampled::task).distinct()).hasSize(1);
            double seconds = (series.get(8).timestamp() - series.get(0).timestamp()) / 1000.0;
            assertThat(seconds).as("8 steps at 10 steps/s").isCloseTo(0.8, within(0.15));
        }
    }
}
