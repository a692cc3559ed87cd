package io.github.csvsampling.console;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import io.github.csvsampling.lake.AthenaDdl;
import io.github.csvsampling.stack.ConnectRestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline console: a web page that manages the connectors of a Connect cluster and shows the stock topic and
 * the lake live. Start it with {@link #start(ConsoleSettings)} (the main job does) or {@link #main(String[])} (on its
 * own, against any cluster), open {@link #url()}, and {@link #close()} it.
 *
 * <pre>{@code
 * try (PipelineConsole console = PipelineConsole.start(ConsoleSettings.builder()
 *         .connectUrl(worker.restUrl()).bootstrap(kafka.bootstrapServers())
 *         .bucketDir(s3.root().resolve("stock-quotes")).build())) {
 *     System.out.println("Console: " + console.url());
 *     ...
 * }
 * }</pre>
 *
 * <p>Its parts: a {@link ConsoleServer} (JDK HTTP server, {@link SecurityFilter}, {@link ConnectProxy}), a
 * {@link SseHub} pushing to the pages, a {@link ConnectorsWatcher} (every 2 s), a {@link TopicReader} feeding the
 * {@link StreamStats} (a tick every second) and the {@link LakePoller} (every 5 s, queries when the lake changed).
 */
public final class PipelineConsole implements AutoCloseable {

    /** The charts' window: 10 minutes of seconds, on the server and on the page. */
    static final int WINDOW_SECONDS = 600;
    private static final String DEFAULTS = "/io/github/csvsampling/console/defaults/";

    private final ConsoleSettings settings;
    private final ConsoleServer server;
    private final SseHub hub;
    private final ConnectorsWatcher connectors;
    private final StreamStats stats;
    private final TopicReader reader;
    private final LakePoller lake;
    private final ScheduledExecutorService timer;
    private final URI url;

    private PipelineConsole(ConsoleSettings settings) throws IOException {
        this.settings = settings;
        AthenaDdl ddl = AthenaDdl.parse(text(settings.athenaDdl(), "athena-ddl.sql"));
        List<NamedQuery> queries = NamedQuery.parse(text(settings.athenaQueries(), "athena-queries.sql"));
        Map<String, String> sinkConfig = ConnectRestClient.configMap(HttpResponses.JSON.readTree(
                text(settings.sinkConfig(), "stock-quotes-s3-sink-minio.config.json")));
        ConnectRestClient connect = new ConnectRestClient(settings.connectUrl().toString(), Duration.ofSeconds(60),
                Duration.ZERO);
        this.stats = new StreamStats(WINDOW_SECONDS, 64, System::currentTimeMillis);
        this.hub = new SseHub(16, 1024, 15_000, this::snapshot);
        this.connectors = new ConnectorsWatcher(connect, settings.topic(), settings.bucket(),
                json -> hub.publish("connectors", json));
        Files.createDirectories(settings.cacheDir());
        BucketMirror bucket = settings.bucketDir().map(BucketMirror::local)
                .or(() -> settings.s3Endpoint().map(endpoint -> BucketMirror.s3(endpoint, settings.bucket(),
                        settings.s3Region(), settings.cacheDir().resolve("s3").resolve(settings.bucket()))))
                .orElseGet(() -> BucketMirror.none(settings.cacheDir().resolve("no-bucket").resolve(settings.bucket())));
        this.lake = new LakePoller(settings, bucket, ddl, queries, connectors::sink, sinkConfig,
                json -> hub.publish("lake", json));
        this.reader = new TopicReader(settings.bootstrap(), settings.topic(), stats, lake);
        ConnectProxy proxy = new ConnectProxy(connect, this::pollConnectorsSoon);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(settings.bind()), settings.port());
        try {
            this.server = new ConsoleServer(address, 24, port -> new SecurityFilter(origins(settings, port)),
                    new ConsoleServer.Api() {
                        @Override
                        public void events(HttpExchange exchange) throws IOException {
                            hub.serve(exchange);
                        }

                        @Override
                        public String info() {
                            return PipelineConsole.this.info();
                        }

                        @Override
                        public String queries() {
                            return lake.roundJson();
                        }

                        @Override
                        public void runQueries() {
                            lake.requestQueries();
                        }

                        @Override
                        public ConnectProxy.Answer sql(String text) {
                            return lake.sql(text);
                        }

                        @Override
                        public ConnectProxy.Answer connect(String method, String rawPath, String rawQuery,
                                                           byte[] body) {
                            return proxy.forward(method, rawPath, rawQuery, body);
                        }
                    });
        } catch (BindException e) {
            throw new IOException("Cannot listen on " + settings.bind() + ":" + settings.port() + " (" + e.getMessage()
                    + "): is another console running? Choose another port with --port.", e);
        }
        this.url = URI.create("http://" + settings.pageHost() + ":" + server.port() + "/");
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "console-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the console: asks Connect once, lists the bucket, starts reading the topic, then serves the page. It runs
     * until {@link #close()}; nothing it does fails when Connect, Kafka or the bucket are not there yet (the page says
     * what is missing).
     *
     * @throws IOException when the port is taken, or a given SQL or config file cannot be read
     */
    public static PipelineConsole start(ConsoleSettings settings) throws IOException {
        PipelineConsole console = new PipelineConsole(settings);
        try {
            console.connectors.poll();
            console.lake.start();
            console.reader.start();
            console.timer.scheduleWithFixedDelay(console::pollConnectors, 2, 2, TimeUnit.SECONDS);
            console.timer.scheduleAtFixedRate(console::tick, 1, 1, TimeUnit.SECONDS);
            console.server.start();
            return console;
        } catch (RuntimeException e) {
            console.close();
            throw e;
        }
    }

    /** The page's address, such as {@code http://127.0.0.1:8090/}. */
    public URI url() {
        return url;
    }

    /** Stops serving, closes the pages' streams and stops reading the topic and the bucket. */
    @Override
    public void close() {
        hub.close();
        server.close();
        timer.shutdownNow();
        reader.close();
        lake.close();
        if (settings.cacheDir().equals(ConsoleSettings.temporaryCacheDir())) {
            LakePoller.deleteRecursively(settings.cacheDir());
        }
    }

    /** Runs the console until the JVM is stopped (Ctrl-C); see {@link ConsoleSettings#USAGE} for the flags. */
    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", String.valueOf(
                    PipelineConsole.class.getResource("/io/github/csvsampling/console/log4j2-console.xml")));
        }
        ConsoleSettings settings;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.println(ConsoleSettings.USAGE);
                return;
            }
            settings = ConsoleSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(ConsoleSettings.USAGE);
            System.exit(2);
            return;
        }
        PipelineConsole console;
        try {
            console = start(settings);
        } catch (IOException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "console-shutdown"));
        System.out.println("Pipeline console: " + console.url() + "   (Connect " + settings.connectUrl() + ", Kafka "
                + settings.bootstrap() + ", topic " + settings.topic() + ")");
        if (!settings.loopbackOnly()) {
            System.out.println("WARNING: listening on " + settings.bind() + ", not only 127.0.0.1: anyone who can"
                    + " reach this address can manage the connectors.");
        }
        stopped.await();
    }

    private void pollConnectors() {
        try {
            connectors.poll();
        } catch (RuntimeException e) {
            log().warn("Polling Connect failed", e);
        }
    }

    private void pollConnectorsSoon() {
        timer.execute(this::pollConnectors);
    }

    /** Every second: the target rate, then what the stream gained, to every page. */
    private void tick() {
        try {
            stats.target(connectors.target());
            hub.publish("stream", HttpResponses.toJson(streamJson(stats.tick())));
        } catch (RuntimeException e) {
            log().warn("The stream tick failed", e);
        }
    }

    /** What a page gets when it connects: every section's current state. */
    private List<SseHub.Event> snapshot() {
        List<SseHub.Event> events = new ArrayList<>();
        events.add(new SseHub.Event("info", info()));
        if (!connectors.json().isEmpty()) {
            events.add(new SseHub.Event("connectors", connectors.json()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("window", stats.windowSeconds());
        json.putAll(streamJson(stats.snapshot()));
        events.add(new SseHub.Event("stream-snapshot", HttpResponses.toJson(json)));
        events.add(new SseHub.Event("lake", lake.json()));
        return events;
    }

    /** The stream section as the page reads it, from a tick or from the whole window. */
    private Map<String, Object> streamJson(StreamStats.Tick tick) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rate", rate(tick.rate()));
        json.put("closes", closes(tick.closes()));
        json.put("quotes", tick.quotes());
        json.put("records", tick.records());
        json.put("achieved", tick.achieved());
        json.put("target", tick.target());
        json.put("caughtUp", tick.caughtUp());
        json.put("reader", reader.status());
        return json;
    }

    private String info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("connectUrl", settings.connectUrl().toString());
        info.put("bootstrap", settings.bootstrap());
        info.put("topic", settings.topic());
        info.put("bucket", settings.bucket());
        info.put("allowSql", settings.allowSql());
        info.put("window", WINDOW_SECONDS);
        return HttpResponses.toJson(info);
    }

    /** Rate points as [time ms, target, achieved] triples. */
    private static List<Object[]> rate(List<StreamStats.RatePoint> points) {
        List<Object[]> rows = new ArrayList<>(points.size());
        points.forEach(p -> rows.add(new Object[] {p.second() * 1000, p.target(), p.achieved()}));
        return rows;
    }

    /** Close points as [time ms, close, close in USD] triples per index. */
    private static Map<String, List<Object[]>> closes(Map<String, List<StreamStats.ClosePoint>> closes) {
        Map<String, List<Object[]>> json = new LinkedHashMap<>();
        closes.forEach((index, points) -> {
            List<Object[]> rows = new ArrayList<>(points.size());
            points.forEach(p -> rows.add(new Object[] {p.second() * 1000, p.close(), p.closeUsd()}));
            json.put(index, rows);
        });
        return json;
    }

    /** The origins whose pages may change state: the loopback names of the port, the bind address, the given ones. */
    static List<String> origins(ConsoleSettings settings, int port) {
        List<String> origins = new ArrayList<>(List.of("http://127.0.0.1:" + port, "http://localhost:" + port,
                "http://[::1]:" + port));
        if (!settings.pageHost().equals("127.0.0.1")) {
            origins.add("http://" + settings.pageHost() + ":" + port);
        }
        origins.addAll(settings.allowedOrigins());
        return origins;
    }

    private static String text(Optional<Path> file, String defaultName) throws IOException {
        if (file.isPresent()) {
            return Files.readString(file.get(), StandardCharsets.UTF_8);
        }
        return ConsoleServer.resource(DEFAULTS + defaultName);
    }

    /** Not a static field: main() chooses the logging configuration before the first logger exists. */
    private static Logger log() {
        return LoggerFactory.getLogger(PipelineConsole.class);
    }
}
