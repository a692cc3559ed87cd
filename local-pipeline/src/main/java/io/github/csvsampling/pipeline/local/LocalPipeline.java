package io.github.csvsampling.pipeline.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.csvsampling.console.ConsoleSettings;
import io.github.csvsampling.console.PipelineConsole;
import io.github.csvsampling.lake.AthenaDdl;
import io.github.csvsampling.lake.DuckDbLake;
import io.github.csvsampling.lake.S3Server;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.ConnectRestException;
import io.github.csvsampling.stack.LocalConnectWorker;
import io.github.csvsampling.stack.LocalKafka;

/**
 * The main job: the whole pipeline on this machine, in this JVM, on 127.0.0.1. A KRaft broker, a
 * distributed Connect worker (REST on a fixed port, exactly-once source support on) with our
 * connector and the Confluent S3 sink, an S3 server (S3Proxy) with the bucket, the connectors of
 * {@code connect-configs/} deployed with only local endpoints overridden, a live view of the stream
 * refreshed every second, and {@code athena-queries.sql} run on DuckDB over the bucket's objects.
 * Runs until Ctrl-C or {@code --duration}; see {@link Options} for the flags.
 */
public final class LocalPipeline {

    static final String SOURCE_CONFIG = "connect-configs/stock-quotes-source.config.json";
    static final String SINK_CONFIG = "connect-configs/stock-quotes-s3-sink-minio.config.json";
    static final String LOCAL_ACCESS_KEY = "local-pipeline";
    static final String LOCAL_SECRET_KEY = "local-pipeline-secret";
    private static final ObjectMapper JSON = ConnectRestClient.json();

    /**
     * What a run observed, for tests and the closing summary: whether the source and the sink ran
     * (connector and every task RUNNING at least once), why the sink did not (empty when it did).
     */
    public record Summary(boolean sourceRan, boolean sinkDeployed, boolean sinkRan, String sinkProblem,
                          long recordsInTopic, double achievedRate, long objects, long bytes,
                          Map<String, DuckDbLake.Table> queries, String restUrl) {
    }

    private LocalPipeline() {
    }

    public static void main(String[] args) {
        System.exit(exitCode(args, System.out, System.err));
    }

    /**
     * Runs the job as the command line does and returns its exit code: 0 after an orderly stop
     * (Ctrl-C, SIGTERM or {@code --duration}), 1 when the pipeline failed (the message says why and
     * where the log is), 2 for a wrong option or a port in use, checked before anything starts.
     */
    static int exitCode(String[] args, PrintStream out, PrintStream err) {
        if (Options.wantsHelp(args)) {
            out.println(Options.USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("See --help for the options.");
            return 2;
        }
        Optional<String> portProblem = options.portProblem();
        if (portProblem.isPresent()) {
            err.println(portProblem.get());
            return 2;
        }
        // Kafka's, Connect's and the sink's logs go to a file (log4j2.xml), the terminal shows the pipeline.
        Path log = logFile(options);
        System.setProperty("csv.sampling.log.file", log.toString());
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.install(stop);
        try {
            run(options, out, stop);
            return 0;
        } catch (Exception e) {
            err.println("The pipeline failed: " + e.getMessage());
            err.println("The log of Kafka, Connect and the S3 server is in " + log);
            return 1;
        }
    }

    /** Where the job's log goes: {@code pipeline.log} in the data folder. */
    static Path logFile(Options options) {
        return options.dataDir().toAbsolutePath().resolve("pipeline.log");
    }

    /** Runs the pipeline until {@code stop} is counted down or the duration elapses, then shuts it down. */
    public static Summary run(Options options, PrintStream out, CountDownLatch stop) throws Exception {
        Path repo = options.repository();
        Path plugin = repo.resolve("csv-sampling-source-connector/target/plugin");
        require(plugin.resolve("csv-sampling-source-connector"), "the built connector plugin");
        Map<String, String> source = connectorConfig(repo.resolve(SOURCE_CONFIG));
        Map<String, String> sink = connectorConfig(repo.resolve(SINK_CONFIG));
        AthenaDdl ddl = AthenaDdl.parse(Files.readString(repo.resolve("athena-ddl.sql"), StandardCharsets.UTF_8));
        Map<String, String> queries = DuckDbLake.namedQueries(
                Files.readString(repo.resolve("athena-queries.sql"), StandardCharsets.UTF_8));
        options.rate().ifPresent(rate -> source.put("records.per.second", rate));
        options.mode().ifPresent(mode -> source.put("sampling.mode", mode));
        if ("replay".equals(source.get("sampling.mode"))) {
            source.putIfAbsent("replay.time.column", "Date");
        }

        Path data = options.dataDir().toAbsolutePath();
        if (!options.keepData()) {
            deleteRecursively(data, logFile(options));
        }
        Files.createDirectories(data);
        out.println("Data folder: " + data + (options.keepData() ? " (kept from earlier runs)" : " (fresh)")
                + "; log: " + logFile(options));
        S3SinkPlugin.Resolution sinkPlugin = S3SinkPlugin.resolve(options.s3SinkDir(), options.download(),
                options.cacheDir(), S3SinkPlugin.version(repo), out);
        if (!sinkPlugin.available()) {
            out.println("Running without the S3 sink: " + sinkPlugin.problem() + "\n" + sinkPlugin.fix());
        }

        // The operator's settings of this in-JVM worker: which files csv.path may name, and the local
        // S3 credentials, found by the sink through the AWS default credential chain (never in a config).
        System.setProperty("csv.sampling.allowed.dirs", options.allowedDirs().orElse(repo.resolve("data").toString()));
        System.setProperty("aws.accessKeyId", LOCAL_ACCESS_KEY);
        System.setProperty("aws.secretKey", LOCAL_SECRET_KEY);
        System.setProperty("aws.secretAccessKey", LOCAL_SECRET_KEY);

        out.println("Starting Kafka (KRaft) on 127.0.0.1:" + options.kafkaPort() + " ...");
        try (LocalKafka kafka = LocalKafka.builder().brokerPort(options.kafkaPort()).dataDir(data.resolve("kafka"))
                .start()) {
            String bucket = sink.get("s3.bucket.name");
            out.println("Starting the S3 server (S3Proxy) on 127.0.0.1:" + options.s3Port() + " with bucket " + bucket
                    + " ...");
            try (S3Server s3 = S3Server.start(data.resolve("s3"), options.s3Port(), bucket, LOCAL_ACCESS_KEY,
                    LOCAL_SECRET_KEY)) {
                List<Path> pluginPath = new ArrayList<>(List.of(plugin));
                sinkPlugin.pluginPathEntry().ifPresent(pluginPath::add);
                out.println("Starting a Connect worker on http://127.0.0.1:" + options.restPort() + " ...");
                try (LocalConnectWorker worker = LocalConnectWorker.builder(kafka.bootstrapServers())
                        .restPort(options.restPort())
                        .pluginPath(pluginPath)
                        .exactlyOnceSourceSupport(true)
                        .offsetFlushInterval(Duration.ofSeconds(10))
                        .start()) {
                    ConnectRestClient rest = worker.restClient();
                    rest.putConnectorConfig(source.get("name"), source);
                    sink.put("store.url", s3.endpoint());
                    PipelineMonitor.Sink sinkState = deploySink(rest, sink, sinkPlugin, out);
                    Path configs = writeConfigs(data.resolve("connect-configs"), source, sink);
                    Path runningSink = configs.resolve(Path.of(SINK_CONFIG).getFileName());
                    Summary summary;
                    try (PipelineConsole console = startConsole(options, worker, kafka, s3.root().resolve(bucket),
                            repo, runningSink, data)) {
                        String header = String.format(
                                "Connect REST API: %s   (curl %s/connectors?expand=status)%n"
                                        + "Kafka bootstrap:  %s%nS3 endpoint:      %s (bucket %s, files in %s)%n"
                                        + "Console:          %s%n"
                                        + "Log:              %s%n"
                                        + "Redeploy:         scripts/deploy-connectors.sh --connect-url %s --configs-dir %s%s%n"
                                        + "                  (the configs running now; edit them there, then redeploy)",
                                worker.restUrl(), worker.restUrl(), kafka.bootstrapServers(), s3.endpoint(), bucket,
                                s3.root().resolve(bucket), console == null ? "off (--no-console)" : console.url(),
                                logFile(options), worker.restUrl(), configs, sinkState.deployed() ? "" : " --no-sink");
                        out.printf("%n%s%n%n", header);
                        try (PipelineMonitor monitor = new PipelineMonitor(kafka, rest, source, sinkState, s3, bucket,
                                ddl.withLocationBucket(bucket), queries, sink, data.resolve("topic-lake"),
                                header, out)) {
                            summary = monitor.runUntil(stop, options.duration(), options.queryInterval());
                        }
                    }
                    out.println("Stopping the connectors, the worker, the S3 server and Kafka ...");
                    return summary;
                }
            }
        } finally {
            out.println("Stopped. Data is in " + data + (options.keepData() ? "." : "; --keep-data keeps it for the next run."));
        }
    }

    /**
     * Starts the pipeline console on the job's endpoints (null with {@code --no-console}); the page
     * reads the bucket's folder, and the running sink config for the lake it builds from the topic.
     */
    private static PipelineConsole startConsole(Options options, LocalConnectWorker worker, LocalKafka kafka,
                                                Path bucketFolder, Path repo, Path sinkConfig, Path data)
            throws IOException {
        if (!options.console()) {
            return null;
        }
        return PipelineConsole.start(ConsoleSettings.builder()
                .port(options.consolePort())
                .connectUrl(worker.restUrl())
                .bootstrap(kafka.bootstrapServers())
                .bucketDir(bucketFolder)
                .cacheDir(data.resolve("console"))
                .athenaDdl(repo.resolve("athena-ddl.sql"))
                .athenaQueries(repo.resolve("athena-queries.sql"))
                .sinkConfig(sinkConfig)
                .queryInterval(options.queryInterval())
                .build());
    }

    /**
     * Deploys the sink when its plugin is installed. Whatever goes wrong (no plugin, the worker
     * refusing the config), the pipeline goes on without it and the live view says why.
     */
    private static PipelineMonitor.Sink deploySink(ConnectRestClient rest, Map<String, String> sink,
                                                   S3SinkPlugin.Resolution plugin, PrintStream out) {
        String name = sink.get("name");
        if (!plugin.available()) {
            return new PipelineMonitor.Sink(name, false, plugin.problem());
        }
        try {
            rest.putConnectorConfig(name, sink);
            return new PipelineMonitor.Sink(name, true, "");
        } catch (ConnectRestException | UncheckedIOException e) {
            String problem = "the worker refused the S3 sink's config: " + e.getMessage();
            out.println("Running without the S3 sink: " + problem + "\n" + plugin.fix());
            return new PipelineMonitor.Sink(name, false, problem);
        }
    }

    /**
     * Writes the configs as deployed (rate, mode and local S3 endpoint included) as PUT bodies, so
     * that {@code scripts/deploy-connectors.sh --configs-dir} redeploys exactly what runs.
     */
    private static Path writeConfigs(Path dir, Map<String, String> source, Map<String, String> sink) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(Path.of(SOURCE_CONFIG).getFileName()).toFile(),
                source);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(Path.of(SINK_CONFIG).getFileName()).toFile(), sink);
        return dir;
    }

    /** A connector config file: a PUT body (the bare map) or a POST body ({"name", "config"}). */
    static Map<String, String> connectorConfig(Path file) throws IOException {
        return ConnectRestClient.configMap(JSON.readTree(file.toFile()));
    }

    private static void require(Path path, String what) {
        if (!Files.exists(path)) {
            throw new IllegalStateException("Cannot find " + what + " at " + path + ". Build it first from the"
                    + " repository root: ./mvnw -q install -DskipTests");
        }
    }

    /** Deletes {@code dir} and what it holds but {@code keep} (the log, which may be open already), emptied. */
    private static void deleteRecursively(Path dir, Path keep) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (path.equals(keep)) {
                    Files.write(path, new byte[0]);
                } else if (!path.equals(dir) || !Files.exists(keep)) {
                    Files.delete(path);
                }
            }
        }
    }
}
