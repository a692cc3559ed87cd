package io.github.csvsampling.pipeline.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.github.csvsampling.console.ConsoleSettings;

/**
 * The main job's flags: the things people change, with defaults that run the quickstart as is.
 * Everything that can be checked before anything starts is checked here (values, and with
 * {@link #portProblem()} the ports), so that a mistake costs a second, not a start-up.
 */
public record Options(Optional<Duration> duration, Optional<String> rate, Optional<String> mode, Path dataDir,
                      boolean keepData, int kafkaPort, int restPort, int s3Port, int consolePort, boolean console,
                      Optional<Path> s3SinkDir,
                      boolean download, Path cacheDir, Duration queryInterval, Optional<String> allowedDirs,
                      Path repository) {

    static final List<String> MODES = List.of("random", "shuffle", "sequential", "replay");
    private static final List<String> VALUE_FLAGS = List.of("--duration", "--rate", "--mode", "--data-dir",
            "--kafka-port", "--rest-port", "--s3-port", "--console-port", "--s3-sink-dir", "--cache-dir", "--query-interval",
            "--allowed-dirs", "--repository");
    static final String USAGE = String.join("\n",
            "Usage: ./mvnw -q -pl local-pipeline exec:java -Dexec.args=\"[options]\"",
            "Runs Kafka, a Connect worker with the CSV sampling source and the S3 sink, an S3 server and the",
            "analysis queries on this machine, on 127.0.0.1. Stop with Ctrl-C.",
            "",
            "Options:",
            "  --duration 30s|5m|1h   stop after this long (default: run until Ctrl-C)",
            "  --rate N               records per second of the source (default: the config's)",
            "  --mode random|shuffle|sequential|replay   sampling mode (default: the config's)",
            "  --data-dir DIR         where Kafka's log and the bucket's files go (default: pipeline-data)",
            "  --keep-data            keep the data of the previous run (default: start fresh)",
            "  --kafka-port N         Kafka on 127.0.0.1 (default 9092)",
            "  --rest-port N          Connect REST API on 127.0.0.1 (default 8083)",
            "  --s3-port N            S3 server on 127.0.0.1 (default 9000)",
            "  --console-port N       the pipeline console on 127.0.0.1 (default 8090)",
            "  --no-console           do not start the console",
            "  --s3-sink-dir PATH     the Confluent S3 sink: its Hub zip, unzipped folder or folder of jars",
            "                         (or env " + S3SinkPlugin.ENVIRONMENT + ")",
            "  --no-download          do not download the S3 sink from Confluent Hub",
            "  --cache-dir DIR        where the downloaded and installed S3 sink is kept (default ~/.cache/csv-sampling)",
            "  --query-interval 60s   how often the analysis queries run, here and in the console (also once at the end)",
            "  --allowed-dirs DIRS    directories csv.path may name (default: the repository's data/)",
            "  -h, --help             show this help",
            "",
            "Exit codes: 0 after an orderly stop (Ctrl-C, SIGTERM or --duration), 1 when the pipeline failed,",
            "2 for a wrong option or a port in use.");

    /** Parses {@code --flag value} pairs and the boolean flags; unknown flags are an error. */
    public static Options parse(String... args) {
        Optional<Duration> duration = Optional.empty();
        Optional<String> rate = Optional.empty();
        Optional<String> mode = Optional.empty();
        Path dataDir = Path.of("pipeline-data");
        boolean keepData = false;
        int kafkaPort = 9092;
        int restPort = 8083;
        int s3Port = 9000;
        int consolePort = 8090;
        boolean console = true;
        Optional<Path> s3SinkDir = Optional.empty();
        boolean download = true;
        Path cacheDir = null;
        Duration queryInterval = Duration.ofSeconds(60);
        Optional<String> allowedDirs = Optional.empty();
        Path repository = Path.of("").toAbsolutePath();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--keep-data")) {
                keepData = true;
                continue;
            }
            if (flag.equals("--no-download")) {
                download = false;
                continue;
            }
            if (flag.equals("--no-console")) {
                console = false;
                continue;
            }
            if (!VALUE_FLAGS.contains(flag)) {
                throw new IllegalArgumentException("Unknown option " + flag
                        + (flag.startsWith("-") ? "" : " (options start with --; values follow their option)"));
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("Missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--duration" -> duration = Optional.of(ConsoleSettings.duration(value));
                case "--rate" -> rate = Optional.of(positiveNumber(flag, value));
                case "--mode" -> mode = Optional.of(mode(value));
                case "--data-dir" -> dataDir = Path.of(value);
                case "--kafka-port" -> kafkaPort = port(flag, value);
                case "--rest-port" -> restPort = port(flag, value);
                case "--s3-port" -> s3Port = port(flag, value);
                case "--console-port" -> consolePort = port(flag, value);
                case "--s3-sink-dir" -> s3SinkDir = Optional.of(Path.of(value));
                case "--cache-dir" -> cacheDir = Path.of(value);
                case "--query-interval" -> queryInterval = ConsoleSettings.duration(value);
                case "--allowed-dirs" -> allowedDirs = Optional.of(value);
                case "--repository" -> repository = Path.of(value).toAbsolutePath();
                default -> throw new IllegalStateException("a flag in VALUE_FLAGS without a case: " + flag);
            }
        }
        return new Options(duration, rate, mode, dataDir, keepData, kafkaPort, restPort, s3Port, consolePort, console,
                s3SinkDir, download,
                cacheDir != null ? cacheDir : S3SinkPlugin.defaultCacheDir(), queryInterval, allowedDirs, repository);
    }

    /** Whether the arguments ask for the usage. */
    public static boolean wantsHelp(String... args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    /**
     * Why the job cannot listen where it is asked to, or empty: each fixed port must be free on
     * 127.0.0.1, and no two may be the same. The message names the flag that changes it.
     */
    public Optional<String> portProblem() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--kafka-port", kafkaPort);
        ports.put("--rest-port", restPort);
        ports.put("--s3-port", s3Port);
        if (console) {
            ports.put("--console-port", consolePort);
        }
        Map<Integer, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            if (port.getValue() == 0) {
                continue;
            }
            String other = seen.putIfAbsent(port.getValue(), port.getKey());
            if (other != null) {
                return Optional.of(other + " and " + port.getKey() + " are both " + port.getValue()
                        + ": give them different ports (0 = any free port).");
            }
            try (ServerSocket probe = new ServerSocket(port.getValue(), 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException e) {
                return Optional.of("Port " + port.getValue() + " on 127.0.0.1 (" + port.getKey() + ") is already in use,"
                        + " perhaps by another run of this job. Stop that, or choose another port with " + port.getKey()
                        + " N (0 = any free port).");
            }
        }
        return Optional.empty();
    }

    private static String mode(String value) {
        String mode = value.toLowerCase(Locale.ROOT);
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("--mode must be one of " + String.join(", ", MODES) + ", not '" + value
                    + "'");
        }
        return mode;
    }

    private static String positiveNumber(String flag, String value) {
        try {
            if (Double.parseDouble(value) > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " needs a positive number, got '" + value + "'");
    }

    private static int port(String flag, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " needs a port from 0 (any free port) to 65535, got '" + value + "'");
    }
}
