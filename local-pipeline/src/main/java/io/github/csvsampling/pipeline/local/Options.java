package io.github.csvsampling.pipeline.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The main job's flags: the things people change, with defaults that run the quickstart as is. */
public record Options(Optional<Duration> duration, Optional<String> rate, Optional<String> mode, Path dataDir,
                      boolean keepData, int kafkaPort, int restPort, int s3Port, Optional<Path> s3SinkDir,
                      boolean download, Path cacheDir, Duration queryInterval, Optional<String> allowedDirs,
                      Path repository) {

    static final String USAGE = String.join("\n",
            "Options:",
            "  --duration 30s|5m|1h   stop after this long (default: run until Ctrl-C)",
            "  --rate N               records per second of the source (default: the config's)",
            "  --mode random|shuffle|sequential|replay   sampling mode (default: the config's)",
            "  --data-dir DIR         where Kafka's log and the bucket's files go (default: pipeline-data)",
            "  --keep-data            keep the data of the previous run (default: start fresh)",
            "  --kafka-port N         Kafka on 127.0.0.1 (default 9092)",
            "  --rest-port N          Connect REST API on 127.0.0.1 (default 8083)",
            "  --s3-port N            S3 server on 127.0.0.1 (default 9000)",
            "  --s3-sink-dir PATH     the Confluent S3 sink: its Hub zip, unzipped folder or folder of jars",
            "                         (or env " + S3SinkPlugin.ENVIRONMENT + ")",
            "  --no-download          do not download the S3 sink from Confluent Hub",
            "  --cache-dir DIR        where the downloaded and installed S3 sink is kept (default ~/.cache/csv-sampling)",
            "  --query-interval 60s   how often the analysis queries run (also once at the end)",
            "  --allowed-dirs DIRS    directories csv.path may name (default: the repository's data/)");

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
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("Missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--duration" -> duration = Optional.of(duration(value));
                case "--rate" -> rate = Optional.of(positiveNumber(flag, value));
                case "--mode" -> mode = Optional.of(value.toLowerCase(Locale.ROOT));
                case "--data-dir" -> dataDir = Path.of(value);
                case "--kafka-port" -> kafkaPort = port(flag, value);
                case "--rest-port" -> restPort = port(flag, value);
                case "--s3-port" -> s3Port = port(flag, value);
                case "--s3-sink-dir" -> s3SinkDir = Optional.of(Path.of(value));
                case "--cache-dir" -> cacheDir = Path.of(value);
                case "--query-interval" -> queryInterval = duration(value);
                case "--allowed-dirs" -> allowedDirs = Optional.of(value);
                case "--repository" -> repository = Path.of(value).toAbsolutePath();
                default -> throw new IllegalArgumentException("Unknown option " + flag);
            }
        }
        return new Options(duration, rate, mode, dataDir, keepData, kafkaPort, restPort, s3Port, s3SinkDir, download,
                cacheDir != null ? cacheDir : S3SinkPlugin.defaultCacheDir(), queryInterval, allowedDirs, repository);
    }

    /** {@code 500ms}, {@code 30s} (or a bare number of seconds), {@code 5m}, {@code 1h}. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.replaceAll("[smh]$", ""));
            return t.endsWith("h") ? Duration.ofHours(amount) : t.endsWith("m") ? Duration.ofMinutes(amount)
                    : Duration.ofSeconds(amount);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a duration: '" + text + "' (examples: 500ms, 30s, 5m, 1h)");
        }
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
