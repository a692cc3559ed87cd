package io.github.csvsampling.connect.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RMIServerSocketFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.KafkaVersion;
import io.github.csvsampling.stack.LocalConnectWorker;

/**
 * A distributed Connect worker in a child JVM, so that a test can do to it what an operating system, an
 * orchestrator or an operator does: {@link #kill()} sends SIGKILL, and nothing in the worker runs afterwards (no
 * task stop, no offset flush, no transaction abort, no group leave); {@link #stop()} sends SIGTERM, Connect's
 * graceful shutdown; {@link #pause()} and {@link #resume()} send SIGSTOP and SIGCONT, a process frozen long
 * enough to lose its group membership and then come back (a zombie). An in-JVM worker can only be stopped
 * gracefully.
 *
 * <p>The child runs Kafka's own {@code ConnectDistributed} main class, through {@link Main}, which only adds a
 * watchdog that halts the child when this JVM goes away (its stdin pipe closes), so that no worker outlives a
 * test JVM that was itself killed, and, when asked, a JMX connector on 127.0.0.1 ({@link #jmx()}). Which Kafka
 * runs is a {@link KafkaRelease}: by default this JVM's class path (the in-JVM stack's Kafka), or the jars of
 * another release, which the {@code kafka-workers} modules resolve from Maven Central. The worker has the
 * packaged plugin on {@code plugin.path}, binds its REST API to {@code 127.0.0.1} on a port chosen once (so a
 * restarted process answers on the same URL and keeps its worker id), and is given {@code -Xmx256m}. Its output
 * goes to {@code worker-<n>.log} in the work directory, one file per start, quoted in failures.
 *
 * <p>Group membership and transactions are tuned so that faults take seconds rather than minutes:
 * {@code session.timeout.ms=6000} (the broker's minimum), so a dead member leaves the group soon;
 * {@code scheduled.rebalance.max.delay.ms} from {@link Builder#rebalanceDelay} (0 by default: the tasks of a
 * member that left are reassigned at once instead of after Connect's 5-minute grace period); with exactly-once,
 * {@code producer.transaction.timeout.ms=10000}, as a new worker cannot start before the broker aborts a killed
 * task's open transaction (see {@link Builder#exactlyOnce}).
 */
final class WorkerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** The system property that makes {@link Main} serve JMX on 127.0.0.1 at that port. */
    private static final String JMX_PORT_PROPERTY = "worker.jmx.port";

    /**
     * WARN, plus INFO from our connector and from the parts of Connect that show what happened across a fault:
     * rebalances and assignments, task starts and stops, offset commits, transactions and fencing.
     */
    private static final List<String> INFO_LOGGERS = List.of("io.github.csvsampling",
            "org.apache.kafka.connect.runtime.distributed", "org.apache.kafka.connect.runtime.Worker",
            "org.apache.kafka.connect.runtime.ExactlyOnceWorkerSourceTask",
            "org.apache.kafka.connect.runtime.WorkerSourceTask", "org.apache.kafka.connect.storage");

    private final Path workDir;
    private final Path propertiesFile;
    private final int restPort;
    private final int jmxPort;
    private final KafkaRelease kafka;
    private final List<String> jvmOptions;
    private final ConnectRestClient rest;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook;
    private Process process;
    private Path currentLog;
    private int starts;

    private WorkerProcess(Builder builder, Map<String, String> workerProperties, List<String> jvmOptions,
                          int restPort, int jmxPort) {
        this.workDir = builder.workDir;
        this.propertiesFile = workDir.resolve("worker.properties");
        this.restPort = restPort;
        this.jmxPort = jmxPort;
        this.kafka = builder.kafka;
        this.jvmOptions = List.copyOf(jvmOptions);
        Properties properties = new Properties();
        properties.putAll(workerProperties);
        try (OutputStream out = Files.newOutputStream(propertiesFile)) {
            properties.store(out, "Connect worker for " + WorkerProcess.class.getSimpleName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.rest = new ConnectRestClient(restUrl());
        this.shutdownHook = new Thread(this::destroyQuietly, "worker-process-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Options for a worker of Connect cluster {@code groupId} (internal topics {@code <groupId>-configs},
     * {@code -offsets}, {@code -status}) on the broker at {@code bootstrapServers}; its properties file and logs go
     * to {@code workDir}.
     */
    static Builder builder(String bootstrapServers, String groupId, Path workDir) {
        return new Builder(bootstrapServers, groupId, workDir);
    }

    /**
     * Starts a new worker process and waits until its herder is ready ({@code GET /health} answers 200; on Kafka
     * releases without that endpoint, before 3.9, {@code GET /connectors}).
     *
     * @throws IllegalStateException with the end of the worker's log if it exits or is not ready in time
     */
    synchronized WorkerProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("worker process already running: pid " + process.pid());
        }
        starts++;
        currentLog = workDir.resolve("worker-" + starts + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, kafka.classPath().stream().map(Path::toString).toList()));
        command.add(Main.class.getName());
        command.add(propertiesFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(currentLog.toFile());
        builder.environment().remove("CSV_SAMPLING_ALLOWED_DIRS");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        awaitHealthy();
        return this;
    }

    /**
     * Kills the worker with SIGKILL and waits until the process is gone: the worker gets no chance to
     * stop its tasks, flush offsets, finish transactions or leave the group.
     */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30), "SIGKILL");
        process = null;
    }

    /**
     * Stops the worker the way an operator or an orchestrator does, with SIGTERM: Connect's shutdown hook stops
     * the REST server, then the tasks (which commit their offsets) and leaves the group. Waits until the process
     * has exited.
     *
     * @return how long the worker took to exit
     * @throws IllegalStateException if it has not exited within 60 s (it is then killed)
     */
    synchronized Duration stop() {
        if (process == null) {
            return Duration.ZERO;
        }
        long t0 = System.nanoTime();
        // Through the process handle: Process.destroy() also closes the child's stdin, and the watchdog of Main would
        // halt the worker at once, racing (and usually cutting short) the graceful shutdown.
        process.toHandle().destroy();
        awaitExit(STOP_TIMEOUT, "SIGTERM");
        process = null;
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * Freezes the worker with SIGSTOP: every thread stops, heartbeats and open connections included, as in a long
     * GC pause or a suspended VM. The group evicts it after {@code session.timeout.ms}.
     */
    synchronized void pause() {
        signal("STOP");
    }

    /** Resumes a {@link #pause() paused} worker with SIGCONT: its threads continue where they were. */
    synchronized void resume() {
        signal("CONT");
    }

    /** Whether a process is running (a paused one counts). */
    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** A REST client for the worker; the URL stays the same across restarts. */
    ConnectRestClient rest() {
        return rest;
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    /** The worker id Connect reports in statuses ({@code worker_id}): its advertised host and port. */
    String workerId() {
        return "127.0.0.1:" + restPort;
    }

    /** The Kafka release this worker runs. */
    KafkaRelease kafka() {
        return kafka;
    }

    /**
     * A JMX connection to the running worker's platform MBean server (the caller closes it), where Connect's
     * metrics, plugin metrics included, and MBeans that plugins register themselves are.
     *
     * @throws IllegalStateException if the worker was built without {@link Builder#jmx(boolean)}
     */
    JMXConnector jmx() throws IOException {
        if (jmxPort == 0) {
            throw new IllegalStateException("worker built without JMX; use builder().jmx(true)");
        }
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        return JMXConnectorFactory.connect(url, Map.of("jmx.remote.x.request.waiting.timeout", 30_000L));
    }

    /** How many times a process was started. */
    synchronized int starts() {
        return starts;
    }

    /** The last lines of the current (or last) process's log, for failure messages. */
    synchronized String logTail() {
        if (currentLog == null || !Files.exists(currentLog)) {
            return "(no log)";
        }
        try {
            List<String> lines = Files.readAllLines(currentLog, StandardCharsets.UTF_8);
            return currentLog + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return currentLog + ": " + e;
        }
    }

    /** The lines of the current (or last) process's log that contain {@code text}. */
    synchronized List<String> logLines(String text) {
        if (currentLog == null || !Files.exists(currentLog)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(currentLog, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if it runs; always safe to call. */
    @Override
    public synchronized void close() {
        destroyQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook runs
        }
    }

    @Override
    public String toString() {
        return "worker " + workerId() + " (Kafka " + kafka.version() + ", " + workDir.getFileName() + ")";
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("no worker process to send SIG" + name + " to");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitExit(Duration timeout, String signal) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("worker process " + process.pid() + " still running " + timeout.toSeconds()
                        + " s after " + signal + "; killed. " + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private synchronized void destroyQuietly() {
        if (process != null) {
            if (!process.isAlive()) {
                process = null;
                return;
            }
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // GET /health (KIP-1017) exists from Kafka 3.9 on and answers once the herder has joined; before 3.9,
        // GET /connectors answers once the herder has read the config topic.
        String path = kafka.atLeast("3.9") ? "/health" : "/connectors";
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(restUrl() + path))
                .timeout(Duration.ofSeconds(15)).GET().build();
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker process exited with " + process.exitValue()
                        + " during start-up; " + logTail());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                destroyQuietly();
                throw new IllegalStateException("worker process not ready after " + START_TIMEOUT.toSeconds()
                        + " s (GET " + path + ": " + last + "); " + logTail());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Kafka release a worker process runs: its version and the class path of its worker (connect-runtime with
     * its dependencies and a logging backend). Kafka's worker classes are never loaded in this JVM for another
     * release.
     */
    record KafkaRelease(String version, List<Path> classPath) {

        private static final Pattern CLIENTS_JAR = Pattern.compile("kafka-clients-(\\d+\\.\\d+\\.\\d+)\\.jar");

        /** The Kafka of this JVM's class path (the in-JVM stack's), with this JVM's class path. */
        static KafkaRelease ofThisJvm() {
            List<Path> classPath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                    .map(Path::of).toList();
            return new KafkaRelease(KafkaVersion.current(), classPath);
        }

        /**
         * The release whose jars are in {@code libDir} (a {@code kafka-workers} module's {@code target/worker-lib}),
         * recognised by its {@code kafka-clients-<version>.jar}. The directory of {@link Main} is added to the class
         * path: a JDK-only class, it runs on any release.
         */
        static KafkaRelease fromLibDir(Path libDir) {
            List<Path> jars;
            try (Stream<Path> files = Files.list(libDir)) {
                jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("no worker class path at " + libDir + ": build the kafka-workers"
                        + " modules first (./mvnw verify, or -am with -pl)", e);
            }
            String version = jars.stream().map(j -> CLIENTS_JAR.matcher(j.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no kafka-clients jar in " + libDir));
            List<Path> classPath = new ArrayList<>(jars);
            try {
                classPath.add(Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
            return new KafkaRelease(version, List.copyOf(classPath));
        }

        /** Whether this release is {@code minimum} (such as {@code "4.1"}) or newer, compared by numbers. */
        boolean atLeast(String minimum) {
            String[] mine = version.split("\\.");
            String[] theirs = minimum.split("\\.");
            for (int i = 0; i < theirs.length; i++) {
                int difference = Integer.compare(i < mine.length ? Integer.parseInt(mine[i].replaceAll("\\D.*", "")) : 0,
                        Integer.parseInt(theirs[i]));
                if (difference != 0) {
                    return difference > 0;
                }
            }
            return true;
        }
    }

    /** Options for a {@link WorkerProcess}. */
    static final class Builder {

        private final String bootstrapServers;
        private final String groupId;
        private final Path workDir;
        private boolean exactlyOnce;
        private Duration offsetFlush = Duration.ofSeconds(1);
        private String allowedDirs;
        private KafkaRelease kafka;
        private Duration rebalanceDelay = Duration.ZERO;
        private boolean jmx;
        private final Map<String, String> workerProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers, String groupId, Path workDir) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers);
            this.groupId = Objects.requireNonNull(groupId);
            this.workDir = Objects.requireNonNull(workDir);
        }

        /**
         * {@code exactly.once.source.support=enabled} rather than {@code disabled}. A killed task leaves its
         * transaction open, offsets-topic writes included, and a worker reads the offsets topic read_committed
         * before it starts a task: it waits until that transaction is aborted, by the broker after
         * {@code transaction.timeout.ms} (60 s by default) or by a fencing. The worker's producers get 10 s, which
         * keeps restarts short.
         */
        Builder exactlyOnce(boolean enabled) {
            this.exactlyOnce = enabled;
            return this;
        }

        /**
         * {@code offset.flush.interval.ms} (1 s by default here): without exactly-once, how often source offsets
         * are committed, hence how much a killed worker repeats.
         */
        Builder offsetFlush(Duration interval) {
            this.offsetFlush = Objects.requireNonNull(interval);
            return this;
        }

        /** The directories the connector may read ({@code -Dcsv.sampling.allowed.dirs}); none by default. */
        Builder allowedDirs(String dirs) {
            this.allowedDirs = dirs;
            return this;
        }

        /** The Kafka release to run; {@link KafkaRelease#ofThisJvm()} by default. */
        Builder kafka(KafkaRelease release) {
            this.kafka = Objects.requireNonNull(release);
            return this;
        }

        /**
         * {@code scheduled.rebalance.max.delay.ms}: how long the group keeps the tasks of a member that left
         * unassigned, waiting for it to come back, before it gives them to the others. 0 by default here (Connect's
         * default is 5 minutes).
         */
        Builder rebalanceDelay(Duration delay) {
            this.rebalanceDelay = Objects.requireNonNull(delay);
            return this;
        }

        /** Serve JMX on 127.0.0.1 (a port chosen once), for {@link WorkerProcess#jmx()}. */
        Builder jmx(boolean enabled) {
            this.jmx = enabled;
            return this;
        }

        /** Sets or overrides any worker property; applied last (except the REST listener). */
        Builder workerProperty(String key, String value) {
            this.workerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** The worker, not started yet. */
        WorkerProcess build() {
            if (kafka == null) {
                kafka = KafkaRelease.ofThisJvm();
            }
            Path pluginDir = Path.of(System.getProperty("plugin.dir", "target/plugin/csv-sampling-source-connector"));
            if (!Files.isDirectory(pluginDir)) {
                throw new IllegalStateException("No packaged plugin at " + pluginDir.toAbsolutePath()
                        + ": run the integration tests through Maven (./mvnw verify), which packages it first.");
            }
            int port = freePort();
            LocalConnectWorker.Builder worker = LocalConnectWorker.builder(bootstrapServers)
                    .groupId(groupId)
                    .pluginPath(List.of(pluginDir.toAbsolutePath().getParent()))
                    .exactlyOnceSourceSupport(exactlyOnce)
                    .offsetFlushInterval(offsetFlush)
                    .workerProperty("session.timeout.ms", "6000")
                    .workerProperty("heartbeat.interval.ms", "1000")
                    .workerProperty("scheduled.rebalance.max.delay.ms", String.valueOf(rebalanceDelay.toMillis()));
            if (exactlyOnce) {
                worker.workerProperty("producer.transaction.timeout.ms", "10000");
            }
            workerProperties.forEach(worker::workerProperty);
            Map<String, String> p = new LinkedHashMap<>(worker.workerProps());
            p.put("listeners", "http://127.0.0.1:" + port);
            p.put("rest.advertised.port", String.valueOf(port));
            List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            options.addAll(logConfig());
            if (allowedDirs != null) {
                options.add("-Dcsv.sampling.allowed.dirs=" + allowedDirs);
            }
            int jmxPort = 0;
            if (jmx) {
                jmxPort = freePort();
                options.add("-D" + JMX_PORT_PROPERTY + "=" + jmxPort);
                options.add("-Djava.rmi.server.hostname=127.0.0.1");
            }
            return new WorkerProcess(this, p, options, port, jmxPort);
        }

        /** Log configurations for both backends Kafka releases ship: Log4j 2 (4.0+) and reload4j (up to 3.9). */
        private List<String> logConfig() {
            StringBuilder log4j2 = new StringBuilder("""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Configuration status="WARN">
                      <Appenders>
                        <Console name="Console" target="SYSTEM_OUT">
                          <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n"/>
                        </Console>
                      </Appenders>
                      <Loggers>
                    """);
            StringBuilder log4j = new StringBuilder("""
                    log4j.rootLogger=WARN, stdout
                    log4j.appender.stdout=org.apache.log4j.ConsoleAppender
                    log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
                    log4j.appender.stdout.layout.ConversionPattern=%d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n
                    """);
            for (String logger : INFO_LOGGERS) {
                log4j2.append("    <Logger name=\"").append(logger).append("\" level=\"INFO\"/>\n");
                log4j.append("log4j.logger.").append(logger).append("=INFO\n");
            }
            log4j2.append("""
                        <Root level="WARN">
                          <AppenderRef ref="Console"/>
                        </Root>
                      </Loggers>
                    </Configuration>
                    """);
            try {
                Files.createDirectories(workDir);
                Files.writeString(workDir.resolve("log4j2.xml"), log4j2, StandardCharsets.UTF_8);
                Files.writeString(workDir.resolve("log4j.properties"), log4j, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Log4j 2 stops logging in a shutdown hook of its own, which races Connect's: without this, what a worker
            // does after SIGTERM (stopping tasks, committing offsets) is missing from its log.
            return List.of("-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.xml"), "-Dlog4j2.shutdownHookEnabled=false",
                    "-Dlog4j.configuration=" + workDir.resolve("log4j.properties").toUri());
        }
    }

    /**
     * The child's main class: Kafka's {@code ConnectDistributed.main}, plus a daemon thread that halts the JVM as
     * soon as its stdin reaches end of file, which happens when the parent test JVM exits or dies, and, with
     * {@code -Dworker.jmx.port}, a JMX connector server whose sockets are bound to 127.0.0.1 only (the JVM's own
     * {@code com.sun.management.jmxremote} agent also opens a local connector on every interface). It uses only the
     * JDK and calls Kafka by reflection, so it runs on any Kafka release.
     */
    public static final class Main {

        private Main() {
        }

        public static void main(String[] args) throws Exception {
            Thread watchdog = new Thread(() -> {
                try (InputStream in = System.in) {
                    while (in.read() >= 0) {
                        // the parent never writes; wait for end of file
                    }
                } catch (IOException e) {
                    // the pipe broke: the parent is gone as well
                }
                Runtime.getRuntime().halt(137);
            }, "parent-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            String jmxPort = System.getProperty(JMX_PORT_PROPERTY);
            if (jmxPort != null) {
                serveJmx(Integer.parseInt(jmxPort));
            }
            try {
                Class.forName("org.apache.kafka.connect.cli.ConnectDistributed").getMethod("main", String[].class)
                        .invoke(null, (Object) Objects.requireNonNull(args));
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        private static void serveJmx(int port) throws IOException {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            RMIServerSocketFactory sockets = new LoopbackSockets(loopback);
            LocateRegistry.createRegistry(port, null, sockets);
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url,
                    Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets),
                    ManagementFactory.getPlatformMBeanServer());
            server.start();
        }

        /** Server sockets on 127.0.0.1 only. Equal instances let RMI share a port. */
        private record LoopbackSockets(InetAddress address) implements RMIServerSocketFactory {
            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return new ServerSocket(port, 50, address);
            }
        }
    }
}
