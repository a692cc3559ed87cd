package io.github.csvsampling.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode running inside this JVM, started with Kafka's own
 * {@link ConnectDistributed#startConnect(Map)} (the code behind {@code connect-distributed.sh}).
 *
 * <p>Distributed mode is what production uses: connector configs, source offsets and statuses live in Kafka
 * topics, so a worker that is stopped and started again with the same {@link Builder#groupId(String) group id}
 * rejoins the same Connect cluster and resumes from the committed offsets. The REST API listens on
 * {@code http://127.0.0.1:<port>} only and advertises that address.
 *
 * <p>Defaults suit tests: plugins found through {@code ServiceLoader} manifests ({@code plugin.discovery=service_load},
 * fast, and exercises the manifest our plugin ships), JSON converters with schemas for keys and values, offsets
 * flushed every second, replication factor 1 and one partition for the internal topics, exactly-once source
 * support disabled. Any worker property can be overridden with {@link Builder#workerProperty(String, String)}.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.builder().start();
 *      LocalConnectWorker worker = LocalConnectWorker.builder(kafka.bootstrapServers())
 *              .pluginPath(List.of(pluginDir)).start()) {
 *     ConnectRestClient rest = worker.restClient();
 *     rest.createConnector("sampler", config);
 *     rest.awaitConnectorRunning("sampler", 1, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>{@link #stop()} is graceful (REST server, then herder: tasks stop and commit their offsets) and the same
 * instance can be started again in this JVM on the same REST port. Lifecycle methods are thread-safe.
 */
public final class LocalConnectWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalConnectWorker.class);

    /** Serializes the start-up window in which {@link Exit}'s shutdown-hook adder is swapped. */
    private static final Object START_LOCK = new Object();

    private final Map<String, String> baseProps;
    private final Duration startTimeout;
    private final boolean maskExitProcedures;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private int restPort;
    private ConnectRestClient restClient;
    private Connect<DistributedHerder> connect;
    private final List<Thread> shutdownHooks = new ArrayList<>();
    private boolean exitMasked;
    private Duration lastStartTime = Duration.ZERO;

    private LocalConnectWorker(Builder builder) {
        this.restPort = builder.restPort;
        if (restPort < 0 || restPort > 65_535) {
            throw new IllegalArgumentException("restPort must be 0 (pick a free one) or 1-65535, was " + restPort);
        }
        this.startTimeout = builder.startTimeout;
        this.maskExitProcedures = builder.maskExitProcedures;
        this.baseProps = Map.copyOf(builder.workerProps());
    }

    /** Returns a builder for a worker that uses the Kafka cluster at {@code bootstrapServers}. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /**
     * Starts the worker and waits until it is ready: the herder has read the internal topics and joined the group
     * (what {@code GET /health} reports) and {@code GET /connectors} answers 200. Calling it on a running worker
     * does nothing. The first start fixes the REST port (a free one if 0 was given); later starts reuse it, so
     * {@link #restUrl()} and the worker id stay the same.
     *
     * @return this instance
     * @throws IllegalStateException if the worker fails to start or is not ready within the start timeout
     */
    public synchronized LocalConnectWorker start() {
        if (connect != null) {
            return this;
        }
        long t0 = System.nanoTime();
        if (maskExitProcedures && !exitMasked) {
            ExitMask.acquire();
            exitMasked = true;
        }
        Map<String, String> props = workerProps();
        ClassLoader callerLoader = Thread.currentThread().getContextClassLoader();
        try {
            synchronized (START_LOCK) {
                // Connect registers a JVM shutdown hook per start and never removes it; capture it so that stop()
                // can, instead of leaking one hook (holding a whole stopped worker) per restart.
                Exit.setShutdownHookAdder((name, hook) -> {
                    Thread thread = new Thread(hook, name == null ? "connect-shutdown-hook" : name);
                    Runtime.getRuntime().addShutdownHook(thread);
                    shutdownHooks.add(thread);
                });
                try {
                    connect = new ConnectDistributed().startConnect(props);
                } finally {
                    Exit.resetShutdownHookAdder();
                }
            }
            URI advertised = connect.rest().advertisedUrl();
            restPort = advertised.getPort();
            awaitReady();
        } catch (RuntimeException e) {
            stopQuietly();
            throw new IllegalStateException("Connect worker failed to start (group " + groupId() + ")", e);
        } finally {
            // startConnect() swaps the caller's context class loader for Connect's delegating loader.
            Thread.currentThread().setContextClassLoader(callerLoader);
        }
        lastStartTime = Duration.ofNanos(System.nanoTime() - t0);
        log.info("Connect worker started: {} (group {}) in {} ms", restUrl(), groupId(), lastStartTime.toMillis());
        return this;
    }

    /**
     * Stops the worker gracefully and waits: the REST server first, then the herder, which stops connectors and
     * tasks (committing source offsets) and leaves the group. Does nothing if the worker is stopped.
     */
    public synchronized void stop() {
        if (connect == null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            connect.stop();
        } finally {
            connect = null;
            removeShutdownHooks();
            releaseExitMask();
        }
        log.info("Connect worker stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** {@link #stop()} then {@link #start()}: same REST port, same group and internal topics. */
    public synchronized LocalConnectWorker restart() {
        stop();
        return start();
    }

    /** Same as {@link #stop()}; the instance can still be started again. */
    @Override
    public void close() {
        stop();
    }

    /** Whether the worker is started. */
    public synchronized boolean isRunning() {
        return connect != null;
    }

    /** Base URL of the REST API, {@code http://127.0.0.1:<port>} (no trailing slash); known after the first start. */
    public synchronized String restUrl() {
        if (restPort == 0) {
            throw new IllegalStateException("The REST port is picked on the first start; start the worker first");
        }
        return "http://" + Loopback.HOST + ":" + restPort;
    }

    /** URL the worker advertises to other workers (and uses as its worker id); {@code null} if not running. */
    public synchronized URI advertisedUrl() {
        return connect == null ? null : connect.rest().advertisedUrl();
    }

    /** A REST client for this worker (one shared instance; the URL does not change across restarts). */
    public synchronized ConnectRestClient restClient() {
        if (restClient == null) {
            restClient = new ConnectRestClient(restUrl());
        }
        return restClient;
    }

    /** The Connect cluster's {@code group.id}. */
    public String groupId() {
        return baseProps.get("group.id");
    }

    /** The worker properties the next start uses (a copy). */
    public synchronized Map<String, String> workerProps() {
        Map<String, String> props = new LinkedHashMap<>(baseProps);
        props.put("listeners", "http://" + Loopback.HOST + ":" + restPort);
        return props;
    }

    /** How long the last {@link #start()} took until the REST API was ready (zero before the first start). */
    public synchronized Duration lastStartTime() {
        return lastStartTime;
    }

    @Override
    public String toString() {
        return "LocalConnectWorker[" + (restPort == 0 ? "not started" : restUrl()) + ", group " + groupId() + "]";
    }

    /**
     * Waits until the herder is ready (it has read the internal topics and joined the group; what
     * {@code GET /health} reports) and {@code GET /connectors} answers 200. The herder is asked directly rather
     * than through {@code /health}: a {@code /health} request blocks up to 10 s while the herder is busy, and
     * Jetty's graceful stop waits for it, which would make a failed start slow to clean up. {@code GET /connectors}
     * alone proves little, as it is answered from the config snapshot even before the herder runs.
     */
    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        URI connectors = URI.create(restUrl() + "/connectors");
        String last = "herder not ready";
        while (true) {
            Future<?> herderTask = connect.herderTask();
            if (herderTask != null && herderTask.isDone()) {
                throw new IllegalStateException("The Connect herder thread ended during start-up: "
                        + outcome(herderTask));
            }
            if (connect.herder().isReady()) {
                try {
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(connectors).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    last = "GET " + connectors + " -> " + response.statusCode() + " " + response.body();
                } catch (IOException e) {
                    last = "GET " + connectors + " -> " + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Connect worker", e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Connect worker not ready after " + startTimeout.toSeconds()
                        + " s: " + last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the Connect worker", e);
            }
        }
    }

    private static String outcome(Future<?> task) {
        try {
            task.get();
            return "it returned";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private void stopQuietly() {
        try {
            if (connect != null) {
                connect.stop();
            }
        } catch (RuntimeException e) {
            log.warn("Error stopping a Connect worker that failed to start", e);
        } finally {
            connect = null;
            removeShutdownHooks();
            releaseExitMask();
        }
    }

    private void removeShutdownHooks() {
        for (Thread hook : shutdownHooks) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs (and finds the worker stopped).
            }
        }
        shutdownHooks.clear();
    }

    private void releaseExitMask() {
        if (exitMasked) {
            exitMasked = false;
            ExitMask.release();
        }
    }

    /** Options for a {@link LocalConnectWorker}. */
    public static final class Builder {

        /** Default JSON converter for keys and values, with schemas enabled. */
        public static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

        private final String bootstrapServers;
        private int restPort;
        private final List<Path> pluginPath = new ArrayList<>();
        private String pluginDiscovery = "service_load";
        private boolean exactlyOnceSourceSupport;
        private Duration offsetFlushInterval = Duration.ofSeconds(1);
        private String groupId = "local-connect";
        private String keyConverter = JSON_CONVERTER;
        private String valueConverter = JSON_CONVERTER;
        private final Map<String, String> extraProps = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(60);
        private boolean maskExitProcedures = true;

        private Builder(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        }

        /** REST port on 127.0.0.1; 0 (the default) lets the worker bind a free one on its first start. */
        public Builder restPort(int port) {
            this.restPort = port;
            return this;
        }

        /**
         * Directories for {@code plugin.path} (each holding plugin directories or uber-jars). Empty by default:
         * only plugins on the JVM class path are found.
         */
        public Builder pluginPath(List<Path> dirs) {
            this.pluginPath.clear();
            this.pluginPath.addAll(dirs);
            return this;
        }

        /**
         * {@code plugin.discovery}: {@code service_load} (default; only plugins with {@code META-INF/services}
         * manifests, and saves seconds and hundreds of MB of scanning), {@code hybrid_warn}, {@code hybrid_fail}
         * or {@code only_scan}.
         */
        public Builder pluginDiscovery(String mode) {
            this.pluginDiscovery = Objects.requireNonNull(mode);
            return this;
        }

        /** {@code exactly.once.source.support}: {@code enabled} if true, {@code disabled} (default) if false. */
        public Builder exactlyOnceSourceSupport(boolean enabled) {
            this.exactlyOnceSourceSupport = enabled;
            return this;
        }

        /** {@code offset.flush.interval.ms}; default 1 s (Connect's default is 60 s). */
        public Builder offsetFlushInterval(Duration interval) {
            this.offsetFlushInterval = Objects.requireNonNull(interval);
            return this;
        }

        /**
         * {@code group.id} of the Connect cluster, default {@code local-connect}. The internal topics are named
         * after it ({@code <groupId>-configs}, {@code -offsets}, {@code -status}), so workers built with the same
         * group id form, or rejoin, the same cluster and share connector configs and offsets; use distinct ids for
         * independent clusters on one broker.
         */
        public Builder groupId(String groupId) {
            this.groupId = Objects.requireNonNull(groupId);
            return this;
        }

        /** {@code key.converter} class; default {@link #JSON_CONVERTER} with {@code schemas.enable=true}. */
        public Builder keyConverter(String className) {
            this.keyConverter = Objects.requireNonNull(className);
            return this;
        }

        /** {@code value.converter} class; default {@link #JSON_CONVERTER} with {@code schemas.enable=true}. */
        public Builder valueConverter(String className) {
            this.valueConverter = Objects.requireNonNull(className);
            return this;
        }

        /** Sets or overrides any worker property; applied last (except {@code listeners}, from the REST port). */
        public Builder workerProperty(String key, String value) {
            this.extraProps.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** How long {@link LocalConnectWorker#start()} waits for the REST API; default 60 s. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Whether Kafka's {@code Exit.exit}/{@code Exit.halt} throw instead of ending the JVM while this worker
         * runs; default {@code true}, as in Kafka's {@code EmbeddedConnectCluster}. Connect exits the JVM when
         * start-up fails or the herder thread dies; in a test JVM that kills the fork without a report. Masked,
         * {@link #start()} fails with the cause instead. {@code Exit} is JVM-global: the mask is held while any
         * masking server runs.
         */
        public Builder maskExitProcedures(boolean mask) {
            this.maskExitProcedures = mask;
            return this;
        }

        /** Creates the worker without starting it. */
        public LocalConnectWorker build() {
            return new LocalConnectWorker(this);
        }

        /** Creates and starts the worker. */
        public LocalConnectWorker start() {
            return build().start();
        }

        /**
         * The worker properties these options give, without the REST listener (its port is chosen
         * at start): also for running the same worker in another process.
         */
        public Map<String, String> workerProps() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("bootstrap.servers", bootstrapServers);
            p.put("group.id", groupId);
            p.put("config.storage.topic", groupId + "-configs");
            p.put("offset.storage.topic", groupId + "-offsets");
            p.put("status.storage.topic", groupId + "-status");
            p.put("config.storage.replication.factor", "1");
            p.put("offset.storage.replication.factor", "1");
            p.put("status.storage.replication.factor", "1");
            p.put("offset.storage.partitions", "1");
            p.put("status.storage.partitions", "1");
            p.put("key.converter", keyConverter);
            p.put("value.converter", valueConverter);
            p.put("key.converter.schemas.enable", "true");
            p.put("value.converter.schemas.enable", "true");
            p.put("rest.advertised.host.name", Loopback.HOST);
            p.put("rest.advertised.listener", "http");
            p.put("plugin.discovery", pluginDiscovery);
            if (!pluginPath.isEmpty()) {
                p.put("plugin.path", pluginPath.stream().map(d -> d.toAbsolutePath().toString())
                        .collect(Collectors.joining(",")));
            }
            p.put("exactly.once.source.support", exactlyOnceSourceSupport ? "enabled" : "disabled");
            p.put("offset.flush.interval.ms", String.valueOf(offsetFlushInterval.toMillis()));
            p.putAll(extraProps);
            p.remove("listeners");
            return p;
        }
    }
}
