package io.github.csvsampling.connect.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.LocalConnectWorker;
import org.apache.kafka.connect.cli.ConnectDistributed;

/**
 * A distributed Connect worker in a child JVM, so that a test can kill it the way an operating system
 * or an orchestrator does: {@link #kill()} sends SIGKILL ({@link Process#destroyForcibly()}), and
 * nothing in the worker runs afterwards (no task stop, no offset flush, no transaction abort, no
 * group leave). An in-JVM worker can only be stopped gracefully.
 *
 * <p>The child runs Kafka's own {@link ConnectDistributed} main class with this JVM's class path and
 * a worker properties file written by this class, through {@link Main}, which only adds a watchdog
 * that halts the child when this JVM goes away (its stdin pipe closes), so that no worker outlives a
 * test JVM that was itself killed. The worker has the packaged plugin on {@code plugin.path}, binds
 * its REST API to {@code 127.0.0.1} on a port chosen once (so a restarted process answers on the same
 * URL), and is given {@code -Xmx256m}. Its output goes to {@code worker-<n>.log} in the work
 * directory, one file per start, quoted in failures.
 *
 * <p>Group membership and transactions are tuned so that a restart after a kill takes seconds rather than
 * minutes:
 * {@code session.timeout.ms=6000} (the broker's minimum), so the dead member leaves the group soon,
 * and {@code scheduled.rebalance.max.delay.ms=0}, so the tasks of a member that left are reassigned
 * at once instead of after Connect's 5-minute grace period; with exactly-once,
 * {@code producer.transaction.timeout.ms=10000}, as the new worker cannot start before the broker aborts
 * the killed task's open transaction (see {@link #create}).
 */
final class WorkerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * WARN, plus INFO from our connector and from the parts of Connect that show what happened across a kill:
     * rebalances and assignments, task starts and stops, offset commits and transactions.
     */
    private static final String LOG_CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="Console" target="SYSTEM_OUT">
                  <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="io.github.csvsampling" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.distributed" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.Worker" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.ExactlyOnceWorkerSourceTask" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.WorkerSourceTask" level="INFO"/>
                <Logger name="org.apache.kafka.connect.storage" level="INFO"/>
                <Root level="WARN">
                  <AppenderRef ref="Console"/>
                </Root>
              </Loggers>
            </Configuration>
            """;

    private final Path workDir;
    private final Path propertiesFile;
    private final int restPort;
    private final List<String> jvmOptions;
    private final ConnectRestClient rest;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook;
    private Process process;
    private Path currentLog;
    private int starts;

    private WorkerProcess(Path workDir, Map<String, String> workerProperties, List<String> jvmOptions, int restPort) {
        this.workDir = workDir;
        this.propertiesFile = workDir.resolve("worker.properties");
        this.restPort = restPort;
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
     * A worker of Connect cluster {@code groupId} (internal topics {@code <groupId>-configs}, {@code -offsets},
     * {@code -status}) on the broker at {@code bootstrapServers}, not started yet.
     *
     * @param exactlyOnce        {@code exactly.once.source.support=enabled} rather than {@code disabled}
     * @param offsetFlush        {@code offset.flush.interval.ms}: without exactly-once, how often source offsets
     *                           are committed, hence how much a killed worker repeats
     * @param allowedDirs        the directories the connector may read ({@code -Dcsv.sampling.allowed.dirs}), or
     *                           null for none
     * @param workDir            where the properties file and the logs go
     */
    static WorkerProcess create(String bootstrapServers, String groupId, boolean exactlyOnce, Duration offsetFlush,
                                String allowedDirs, Path workDir) {
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
                .workerProperty("scheduled.rebalance.max.delay.ms", "0");
        if (exactlyOnce) {
            // A killed task leaves its transaction open, offsets-topic writes included, and a new worker reads the
            // offsets topic read_committed before it starts anything: it waits until the broker aborts that
            // transaction after transaction.timeout.ms (60 s by default). 10 s keeps restarts short.
            worker.workerProperty("producer.transaction.timeout.ms", "10000");
        }
        Map<String, String> p = new LinkedHashMap<>(worker.workerProps());
        p.put("listeners", "http://127.0.0.1:" + port);
        p.put("rest.advertised.port", String.valueOf(port));
        try {
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve("log4j2.xml"), LOG_CONFIG, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.xml")));
        if (allowedDirs != null) {
            options.add("-Dcsv.sampling.allowed.dirs=" + allowedDirs);
        }
        return new WorkerProcess(workDir, p, options, port);
    }

    /**
     * Starts a new worker process and waits until its herder is ready ({@code GET /health} answers 200).
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
        command.add(System.getProperty("java.class.path"));
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
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker process " + process.pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        process = null;
    }

    /** A REST client for the worker; the URL stays the same across restarts. */
    ConnectRestClient rest() {
        return rest;
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
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

    private synchronized void destroyQuietly() {
        if (process != null) {
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
        HttpRequest health = HttpRequest.newBuilder(java.net.URI.create(restUrl() + "/health"))
                .timeout(Duration.ofSeconds(15)).GET().build();
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker process exited with " + process.exitValue()
                        + " during start-up; " + logTail());
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
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
                throw new IllegalStateException("worker process not healthy after " + START_TIMEOUT.toSeconds()
                        + " s (last: " + last + "); " + logTail());
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
     * The child's main class: Kafka's {@link ConnectDistributed#main}, plus a daemon thread that halts the
     * JVM as soon as its stdin reaches end of file, which happens when the parent test JVM exits or dies.
     */
    public static final class Main {

        private Main() {
        }

        public static void main(String[] args) {
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
            ConnectDistributed.main(Objects.requireNonNull(args));
        }
    }
}
