package io.github.csvsampling.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, run in this JVM for a bounded time, as a user runs it: the stream reaches the topic
 * at the configured rate, the REST API answers, shutdown releases every port. With the Confluent
 * S3 sink provided through {@value S3SinkPlugin#ENVIRONMENT} (it cannot be downloaded on the
 * machines this project is tested on), also that objects land in the sink's key layout and the
 * analysis queries agree with the topic.
 */
class LocalPipelineIT {

    private static final Path REPO = Path.of(System.getProperty("repo.root", ".."));

    @TempDir
    Path data;

    @Test
    void theStreamReachesTheTopicAtTheRateAndShutdownIsClean() throws Exception {
        Summary run = run("--duration", "20s", "--rate", "10", "--no-download", "--query-interval", "1h");

        assertThat(run.summary().sourceRan()).as("the source connector and its task were RUNNING").isTrue();
        assertThat(run.summary().recordsInTopic()).as("about 10 records/s over the run")
                .isBetween(120L, 230L);
        assertThat(run.summary().achievedRate()).isCloseTo(10.0, within(1.5));
        assertThat(run.output()).contains("Connect REST API: http://127.0.0.1:").contains("Stopped.");
        int restPort = URI.create(run.summary().restUrl()).getPort();
        try (ServerSocket reuse = new ServerSocket(restPort, 1, InetAddress.getLoopbackAddress())) {
            assertThat(reuse.getLocalPort()).as("the REST port is free again after shutdown").isEqualTo(restPort);
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon() && t.isAlive())
                .map(Thread::getName).filter(n -> n.contains("kafka") || n.contains("connect") || n.contains("s3proxy")))
                .as("no server thread left running").isEmpty();
    }

    @Test
    void withTheS3SinkObjectsLandInTheSinksLayoutAndTheQueriesAgreeWithTheTopic() throws Exception {
        String sinkDir = System.getenv(S3SinkPlugin.ENVIRONMENT);
        assumeTrue(sinkDir != null && !sinkDir.isBlank(), "the Confluent S3 sink is not provided ("
                + S3SinkPlugin.ENVIRONMENT + "); it cannot be downloaded here");

        Summary run = run("--duration", "90s", "--rate", "20", "--s3-sink-dir", sinkDir, "--query-interval", "30s");

        assertThat(run.summary().sinkDeployed()).isTrue();
        assertThat(run.summary().objects()).isPositive();
        try (Stream<Path> files = Files.walk(data.resolve("s3/stock-quotes"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> data.resolve("s3/stock-quotes").relativize(p).toString()))
                    .allMatch(key -> key.matches("topics/stock-quotes/year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/"
                            + "stock-quotes\\+0\\+\\d{10}\\.json"));
        }
        List<List<Object>> latest = run.summary().queries().get("latest_quote_per_index").rows();
        assertThat(latest).isNotEmpty().allSatisfy(row -> assertThat(row.get(0)).isInstanceOf(String.class));
        long rowsInLake = run.summary().queries().values().stream().findFirst().map(t -> (long) t.rows().size()).orElse(0L);
        assertThat(rowsInLake).isPositive();
        assertThat(latest.size()).isLessThanOrEqualTo(14);
        assertThat(run.summary().recordsInTopic()).isGreaterThanOrEqualTo(latest.size());
    }

    private record Summary(LocalPipeline.Summary summary, String output) {
    }

    private Summary run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] all = Stream.concat(Stream.of(args), Stream.of("--data-dir", data.toString(), "--kafka-port", "0",
                "--rest-port", "0", "--s3-port", "0", "--repository", REPO.toString())).toArray(String[]::new);
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            LocalPipeline.Summary summary = LocalPipeline.run(Options.parse(all), out, new CountDownLatch(1));
            return new Summary(summary, bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
