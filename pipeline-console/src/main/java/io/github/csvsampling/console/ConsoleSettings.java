package io.github.csvsampling.console;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the console is told: where it listens, the Connect cluster, the Kafka topic and the bucket. One class
 * for the command line ({@link #parse(String...)}) and for the main job ({@link #builder()}), with defaults that
 * match the main job's ports.
 *
 * <p>The bucket is either a local folder ({@code --bucket-dir}, the main job's S3 server keeps objects as files) or
 * an S3 API endpoint ({@code --s3-endpoint} and {@code --bucket}, credentials from the AWS default chain: the
 * environment, system properties or a profile, never a flag), whose objects are copied into {@code cacheDir}.
 *
 * @param bind           address to listen on; 127.0.0.1 unless told otherwise
 * @param port           port to listen on; 0 picks a free one
 * @param allowedOrigins origins besides {@code http://127.0.0.1:<port>} and {@code http://localhost:<port>} whose
 *                       pages may change state (only needed when the console is reached under another name)
 * @param connectUrl     the Connect REST API
 * @param bootstrap      Kafka bootstrap servers
 * @param topic          the stock quotes topic
 * @param bucketDir      the bucket's folder (the S3 server's files), when the bucket is local
 * @param s3Endpoint     an S3 API endpoint (MinIO, S3), when it is not
 * @param bucket         the bucket's name at {@code s3Endpoint}
 * @param s3Region       the region for request signing
 * @param cacheDir       where objects copied from S3 and the records of the topic written as the sink would go
 * @param athenaDdl      {@code athena-ddl.sql}; the copy in this jar when empty
 * @param athenaQueries  {@code athena-queries.sql}; the copy in this jar when empty
 * @param sinkConfig     the S3 sink's config file, used for the lake built from the topic when no sink runs; the
 *                       copy of {@code stock-quotes-s3-sink-minio.config.json} in this jar when empty
 * @param queryInterval  how often the named queries run at most (longer when they take long)
 * @param allowSql       whether the page may run SQL typed by the user (read-only, confined to the bucket)
 */
public record ConsoleSettings(String bind, int port, List<String> allowedOrigins, URI connectUrl, String bootstrap,
                              String topic, Optional<Path> bucketDir, Optional<URI> s3Endpoint, String bucket,
                              String s3Region, Path cacheDir, Optional<Path> athenaDdl, Optional<Path> athenaQueries,
                              Optional<Path> sinkConfig, Duration queryInterval, boolean allowSql) {

    /** The console's fixed default port (kafbat's UI has 8080, Connect 8083, MinIO 9000-9001). */
    public static final int DEFAULT_PORT = 8090;

    static final String USAGE = String.join("\n",
            "Usage: java -jar pipeline-console.jar [options]",
            "  --connect-url URL      the Connect REST API (default http://127.0.0.1:8083)",
            "  --bootstrap HOST:PORT  Kafka bootstrap servers (default 127.0.0.1:9092)",
            "  --topic NAME           the stock quotes topic (default stock-quotes)",
            "  --bucket-dir DIR       the bucket as a local folder, such as pipeline-data/s3/stock-quotes",
            "  --s3-endpoint URL      or an S3 API endpoint, such as http://127.0.0.1:9000 (MinIO); credentials from",
            "                         the AWS default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile)",
            "  --bucket NAME          the bucket at --s3-endpoint (default stock-quotes)",
            "  --s3-region REGION     region for signing S3 requests (default us-east-1)",
            "  --cache-dir DIR        copies of S3 objects and the lake built from the topic (default: a temp folder)",
            "  --port N               port on the bind address (default " + DEFAULT_PORT + "; 0 = any free port)",
            "  --bind ADDRESS         address to listen on (default 127.0.0.1; anything else exposes the console)",
            "  --allowed-origin URL   another origin the page is opened from, such as http://myhost:8090 (repeatable)",
            "  --athena-ddl FILE      athena-ddl.sql (default: the copy in this jar)",
            "  --athena-queries FILE  athena-queries.sql (default: the copy in this jar)",
            "  --sink-config FILE     the S3 sink's config, for the lake built from the topic (default: the jar's copy",
            "                         of connect-configs/stock-quotes-s3-sink-minio.config.json)",
            "  --query-interval 30s   how often the named queries run at most",
            "  --allow-sql            let the page run read-only SQL over the bucket's files (off by default)");

    private static final java.util.Set<String> VALUE_FLAGS = java.util.Set.of("--connect-url", "--bootstrap",
            "--topic", "--bucket-dir", "--s3-endpoint", "--bucket", "--s3-region", "--cache-dir", "--port", "--bind",
            "--allowed-origin", "--athena-ddl", "--athena-queries", "--sink-config", "--query-interval");

    public ConsoleSettings {
        Objects.requireNonNull(bind, "bind");
        allowedOrigins = List.copyOf(allowedOrigins);
        Objects.requireNonNull(connectUrl, "connectUrl");
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port needs 0 (any free port) to 65535, got " + port);
        }
        if (bucketDir.isPresent() && s3Endpoint.isPresent()) {
            throw new IllegalArgumentException("Give the bucket as --bucket-dir or as --s3-endpoint, not both");
        }
    }

    /** The defaults: the main job's endpoints, no bucket. */
    public static Builder builder() {
        return new Builder();
    }

    /** The cache folder when none is given: this process's own, deleted when the console closes. */
    static Path temporaryCacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipeline-console-" + ProcessHandle.current().pid())
                .toAbsolutePath().normalize();
    }

    /** Whether the console listens on the loopback interface only. */
    public boolean loopbackOnly() {
        return bind.equals("127.0.0.1") || bind.equals("::1") || bind.equals("localhost");
    }

    /**
     * The host a browser on this machine opens the console at: {@code 127.0.0.1} when it listens on loopback or on
     * every interface ({@code 0.0.0.0}, {@code ::}), else the address it listens on.
     */
    public String pageHost() {
        return loopbackOnly() || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    /** Parses the command line; throws {@link IllegalArgumentException} with a message for the user. */
    public static ConsoleSettings parse(String... args) {
        Builder b = builder();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--allow-sql")) {
                b.allowSql(true);
                continue;
            }
            if (!VALUE_FLAGS.contains(flag)) {
                throw new IllegalArgumentException("Unknown option " + flag);
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("Missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--connect-url" -> b.connectUrl(httpUrl(flag, value));
                case "--bootstrap" -> b.bootstrap(value);
                case "--topic" -> b.topic(value);
                case "--bucket-dir" -> b.bucketDir(Path.of(value));
                case "--s3-endpoint" -> b.s3Endpoint(httpUrl(flag, value));
                case "--bucket" -> b.bucket(value);
                case "--s3-region" -> b.s3Region(value);
                case "--cache-dir" -> b.cacheDir(Path.of(value));
                case "--port" -> b.port(port(value));
                case "--bind" -> b.bind(value);
                case "--allowed-origin" -> b.allowedOrigin(value);
                case "--athena-ddl" -> b.athenaDdl(Path.of(value));
                case "--athena-queries" -> b.athenaQueries(Path.of(value));
                case "--sink-config" -> b.sinkConfig(Path.of(value));
                case "--query-interval" -> b.queryInterval(duration(value));
                default -> throw new IllegalArgumentException("Unknown option " + flag);
            }
        }
        return b.build();
    }

    private static URI httpUrl(String flag, String value) {
        try {
            URI uri = URI.create(value.replaceAll("/+$", ""));
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " needs an http(s) URL such as http://127.0.0.1:8083, got '" + value
                + "'");
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number from 0 to 65535, got '" + value + "'");
        }
    }

    /**
     * A duration as the console's command line takes it: {@code 500ms}, {@code 30s} (or a bare number of seconds),
     * {@code 5m}, {@code 1h}. Public so that the main job, which passes its options on to the console, reads
     * durations the same way.
     */
    public static Duration duration(String text) {
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

    /** Settings for {@link PipelineConsole#start(ConsoleSettings)}; every setting has a default. */
    public static final class Builder {
        private String bind = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private final List<String> allowedOrigins = new ArrayList<>();
        private URI connectUrl = URI.create("http://127.0.0.1:8083");
        private String bootstrap = "127.0.0.1:9092";
        private String topic = "stock-quotes";
        private Path bucketDir;
        private URI s3Endpoint;
        private String bucket = "stock-quotes";
        private String s3Region = "us-east-1";
        private Path cacheDir;
        private Path athenaDdl;
        private Path athenaQueries;
        private Path sinkConfig;
        private Duration queryInterval = Duration.ofSeconds(30);
        private boolean allowSql;

        private Builder() {
        }

        public Builder bind(String address) {
            this.bind = address;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder allowedOrigin(String origin) {
            this.allowedOrigins.add(origin.replaceAll("/+$", ""));
            return this;
        }

        public Builder connectUrl(URI url) {
            this.connectUrl = url;
            return this;
        }

        public Builder connectUrl(String url) {
            return connectUrl(httpUrl("connectUrl", url));
        }

        public Builder bootstrap(String servers) {
            this.bootstrap = servers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The bucket's folder: the S3 server's {@code root/<bucket>}; its name is the bucket's. */
        public Builder bucketDir(Path dir) {
            this.bucketDir = dir;
            return this;
        }

        public Builder s3Endpoint(URI endpoint) {
            this.s3Endpoint = endpoint;
            return this;
        }

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        public Builder s3Region(String region) {
            this.s3Region = region;
            return this;
        }

        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        public Builder athenaDdl(Path file) {
            this.athenaDdl = file;
            return this;
        }

        public Builder athenaQueries(Path file) {
            this.athenaQueries = file;
            return this;
        }

        public Builder sinkConfig(Path file) {
            this.sinkConfig = file;
            return this;
        }

        public Builder queryInterval(Duration interval) {
            this.queryInterval = interval;
            return this;
        }

        public Builder allowSql(boolean allow) {
            this.allowSql = allow;
            return this;
        }

        public ConsoleSettings build() {
            Path cache = cacheDir != null ? cacheDir : temporaryCacheDir();
            String bucketName = bucketDir != null ? bucketDir.toAbsolutePath().normalize().getFileName().toString()
                    : bucket;
            return new ConsoleSettings(bind, port, allowedOrigins, connectUrl, bootstrap, topic,
                    Optional.ofNullable(bucketDir).map(d -> d.toAbsolutePath().normalize()),
                    Optional.ofNullable(s3Endpoint), bucketName, s3Region, cache.toAbsolutePath().normalize(),
                    Optional.ofNullable(athenaDdl), Optional.ofNullable(athenaQueries), Optional.ofNullable(sinkConfig),
                    queryInterval, allowSql);
        }
    }
}
