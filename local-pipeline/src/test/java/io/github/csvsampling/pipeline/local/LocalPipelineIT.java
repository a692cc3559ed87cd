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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, run for a bounded time as a user runs it: the stream reaches the topic at the
 * configured rate, the REST API answers, shutdown releases every port. The S3 sink cannot be
 * downloaded on the machines this project is tested on: a stand-in with its packaging
 * ({@link StandInS3Sink}) shows the sink installed and running beside the source, and every way it
 * can be unusable leaves the source running and the job ending with exit code 0. With the real
 * Confluent S3 sink provided through {@value S3SinkPlugin#ENVIRONMENT}, also that objects land in
 * the sink's key layout and the analysis queries agree with the topic.
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
        assertThat(run.summary().sinkDeployed()).isFalse();
        assertThat(run.summary().sinkProblem()).contains("not installed and --no-download is set");
        assertThat(run.output()).as("says how to add the sink")
                .contains("Running without the S3 sink").contains("--s3-sink-dir PATH")
                .contains("stock-quotes-s3-sink: not running");
        assertThat(run.output()).as("the analysis runs offline, over the topic's records, and says so")
                .containsPattern("Analysis queries over the [\\d,]+ records read from the topic, written as the S3 sink"
                        + " would write them, not over the bucket \\(no S3 sink: ");
        assertThat(run.summary().queries().get("latest_quote_per_index").rows()).as("a quote per index sampled")
                .isNotEmpty().allSatisfy(row -> assertThat(row.get(0)).isInstanceOf(String.class));
        assertThat(run.summary().queries().get("volume_leaders").rows().stream().mapToLong(r -> (Long) r.get(2)).sum())
                .as("every record of the topic counted once (quotes column)").isEqualTo(run.summary().recordsInTopic());
        assertThat(run.output()).contains("Console:          http://127.0.0.1:");
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
        Path bucket = data.resolve("pipeline/s3/stock-quotes");
        try (Stream<Path> files = Files.walk(bucket)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> bucket.relativize(p).toString()))
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

    /**
     * The sink given as a Hub zip is installed and runs beside the source; the printed redeploy
     * command, run with a new rate in the written configs, keeps the local S3 endpoint (the sink
     * stays RUNNING) and the live view then shows the running config's target and the stream follows it.
     */
    @Test
    void theSinkGivenAsAHubZipRunsAndTheRedeployCommandChangesTheRunningRate() throws Exception {
        Path zip = StandInS3Sink.build(data.resolve("stand-in"), StandInS3Sink.Form.HUB_ZIP,
                StandInS3Sink.Variant.COMPLETE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<LocalPipeline.Summary> job = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalPipeline.run(Options.parse(arguments("--rate", "10", "--s3-sink-dir", zip.toString(),
                        "--query-interval", "1h").toArray(String[]::new)), out, stop);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            String redeploy = awaitLine(bytes, "Redeploy:", job);
            assertThat(redeploy).doesNotContain("--no-sink");
            Path sourceConfig = data.resolve("pipeline/connect-configs/stock-quotes-source.config.json");
            Files.writeString(sourceConfig, Files.readString(sourceConfig)
                    .replace("\"records.per.second\" : \"10\"", "\"records.per.second\" : \"25\""));
            List<String> command = new ArrayList<>(List.of("bash"));
            command.addAll(List.of(redeploy.substring(redeploy.indexOf("scripts/")).strip().split(" +")));
            command.set(1, REPO.resolve(command.get(1)).toString());
            command.addAll(List.of("--settle", "3"));
            Process script = new ProcessBuilder(command).redirectErrorStream(true).start();
            assertThat(script.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String scriptOutput = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(script.exitValue()).as(scriptOutput).isZero();
            assertThat(scriptOutput).contains("stock-quotes-source: connector and tasks RUNNING RUNNING")
                    .contains("stock-quotes-s3-sink: connector and tasks RUNNING RUNNING");

            awaitLine(bytes, "target 25 records/s", job);
            String consoleUrl = awaitLine(bytes, "Console:", job).replaceFirst(".*(http://\\S+).*", "$1");
            java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create(consoleUrl)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("the console serves its page").isEqualTo(200);
            assertThat(page.body()).contains("<html");
            String bootstrap = awaitLine(bytes, "Kafka bootstrap:", job).replaceFirst(".*:\\s+", "");
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            int tailExit = TopicTail.run(new String[] {"--bootstrap", bootstrap, "-n", "3"},
                    new PrintStream(tail, true, StandardCharsets.UTF_8), System.err);
            assertThat(tailExit).isZero();
            List<String> lines = tail.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).as("three records, each a line of coordinates and one of value").hasSize(6);
            for (int i = 0; i < 6; i += 2) {
                String key = lines.get(i).replaceFirst(".*  key=(\\S+).*", "$1");
                assertThat(lines.get(i)).matches("stock-quotes-0@\\d+  \\S+Z  key=\\S+  csv\\.task=0  csv\\.sequence=\\d+"
                        + "  csv\\.row=\\d+");
                assertThat(lines.get(i + 1)).as("the payload of the JsonConverter envelope")
                        .startsWith("  {\"index\":\"" + key + "\",\"date\":\"").doesNotContain("\"schema\"");
            }
            Thread.sleep(15_000);
        } finally {
            stop.countDown();
        }
        LocalPipeline.Summary summary = job.get(120, TimeUnit.SECONDS);
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(summary.sourceRan()).isTrue();
        assertThat(summary.sinkProblem()).isEmpty();
        assertThat(summary.sinkRan()).as("the sink connector and its task were RUNNING").isTrue();
        assertThat(output).contains("connect-plugin-path sync-manifests");
        assertThat(summary.achievedRate()).as("the stream follows the redeployed rate").isCloseTo(25.0, within(4.0));
        assertThat(output.lines().filter(l -> l.contains("| target ")).reduce((a, b) -> b).orElseThrow())
                .contains("stock-quotes-s3-sink: RUNNING   task 0 RUNNING").contains("target 25 records/s");
    }

    /** The first line of the job's output that contains {@code text}, once it is there. */
    private static String awaitLine(ByteArrayOutputStream bytes, String text, CompletableFuture<?> job)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Optional<String> line = bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            assertThat(job).as("the job is still running").isNotDone();
            Thread.sleep(200);
        }
        throw new AssertionError("no line with '" + text + "' in:\n" + bytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * The main method in its own JVM, as a user runs it, with a sink the worker refuses: the job says
     * why and how to fix it, the source keeps streaming; Ctrl-C (SIGINT) then stops the parts in the
     * announced order, with no error on the terminal, and the exit code is 0.
     */
    @Test
    void aRefusedSinkLeavesTheSourceRunningAndCtrlCStopsInOrderWithExitCodeZero() throws Exception {
        Path folder = StandInS3Sink.build(data.resolve("stand-in"), StandInS3Sink.Form.HUB_FOLDER,
                StandInS3Sink.Variant.REJECTS_CONFIG);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlog4j2.configurationFile=log4j2.xml", // the job's own, not the tests' log4j2-test.xml
                "-cp", System.getProperty("java.class.path"), LocalPipeline.class.getName()));
        command.addAll(arguments("--rate", "5", "--s3-sink-dir", folder.toString()));
        Path output = data.resolve("main.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (Files.readString(output).lines().filter(l -> l.contains("| target ")).count() < 2) {
                assertThat(process.isAlive()).as("still running: %s", Files.readString(output)).isTrue();
                assertThat(System.nanoTime()).as("two status lines within 120 s").isLessThan(deadline);
                Thread.sleep(500);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the job ends after Ctrl-C").isTrue();
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(output);
        assertThat(process.exitValue()).as("exit code after Ctrl-C; output:%n%s", text).isZero();
        assertThat(text).contains("Running without the S3 sink: the worker refused the S3 sink's config")
                .contains(StandInS3Sink.REQUIRED_KEY)
                .contains("stock-quotes-s3-sink: not running")
                .contains("--no-sink")
                .doesNotContain("no status").doesNotContain("Exception").doesNotContain("WARN").doesNotContain("ERROR");
        List<String> lines = text.lines().toList();
        int stopping = lines.indexOf("Stopping the connectors, the worker, the S3 server and Kafka ...");
        assertThat(stopping).as("announced").isPositive();
        assertThat(lines.subList(0, stopping).stream().filter(l -> l.contains("| target ")).reduce((x, y) -> y))
                .as("the source ran until the announced stop")
                .hasValueSatisfying(l -> assertThat(l).startsWith("stock-quotes-source: RUNNING   task 0 RUNNING"));
        assertThat(lines.get(lines.size() - 1)).startsWith("Stopped.");
        String log = Files.readString(data.resolve("pipeline/pipeline.log"));
        assertThat(log).as("Kafka's and Connect's logs went to the log file")
                .contains("LocalKafka - Kafka stopped").containsPattern("Task 0 of 1 \\[stock-quotes-source\\] stopping");
    }

    private record Summary(LocalPipeline.Summary summary, String output) {
    }

    private Summary run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            LocalPipeline.Summary summary = LocalPipeline.run(Options.parse(arguments(args).toArray(String[]::new)), out,
                    new CountDownLatch(1));
            return new Summary(summary, bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /** The test's arguments and its own folders and free ports, so that nothing of the user's is used. */
    private List<String> arguments(String... args) {
        return Stream.concat(Stream.of(args), Stream.of("--data-dir", data.resolve("pipeline").toString(),
                "--cache-dir", data.resolve("cache").toString(), "--kafka-port", "0", "--rest-port", "0", "--s3-port",
                "0", "--console-port", "0", "--repository", REPO.toString())).toList();
    }
}
