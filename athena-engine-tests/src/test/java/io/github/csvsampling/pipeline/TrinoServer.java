package io.github.csvsampling.pipeline;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Trino server (the engine Athena engine v3 is built on) as its own process on 127.0.0.1, with one catalog
 * {@value #CATALOG}: the Hive connector on a file metastore, reading the local file system, with Athena-style
 * partition projection. Athena treats absent projected folders as empty ({@code hive.ignore-absent-partitions}); the
 * file metastore has no statistics for projected partitions ({@code hive.table-statistics-enabled=false}).
 *
 * <p>Recent Trino needs Java 24 or newer: the server runs on the JDK named by the system property
 * {@value #JAVA_HOME_PROPERTY} (from {@code -Dtrino.java.home} or {@code TRINO_JAVA_HOME}, which {@code .ci/run}
 * sets), while the tests that query it over JDBC run on the build's Java 17. A missing or too old JDK fails with a
 * message saying what to set, never a skip.
 */
final class TrinoServer implements AutoCloseable {

    static final String CATALOG = "hive";
    static final String JAVA_HOME_PROPERTY = "trino.java.home";
    static final int MINIMUM_JAVA = 24;
    private static final Logger LOG = LoggerFactory.getLogger(TrinoServer.class);
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private final Process process;
    private final int port;
    private final Path log;

    private TrinoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the server from the unpacked distribution ({@code trino.lib}, {@code trino.plugins}) with its state
     * under {@code work}, and waits until it accepts queries.
     */
    static TrinoServer start(Path work) throws IOException, InterruptedException {
        Path java = java();
        Path lib = existing("trino.lib");
        Path plugins = existing("trino.plugins");
        int port = freePort();
        Path etc = Files.createDirectories(work.resolve("etc"));
        Path metastore = Files.createDirectories(work.resolve("metastore"));
        Files.createDirectories(etc.resolve("catalog"));
        Files.write(etc.resolve("config.properties"), List.of(
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "node.environment=test",
                "node.id=athena-engine-tests",
                "node.bind-ip=127.0.0.1",
                "node.internal-address=127.0.0.1",
                "http-server.http.port=" + port,
                "discovery.uri=http://127.0.0.1:" + port,
                "plugin.dir=" + plugins,
                "catalog.config-dir=" + etc.resolve("catalog"),
                "query.max-memory=512MB",
                "query.max-memory-per-node=512MB"));
        Files.write(etc.resolve("catalog").resolve(CATALOG + ".properties"), List.of(
                "connector.name=hive",
                "hive.metastore=file",
                "hive.metastore.catalog.dir=local://" + metastore,
                "fs.native-local.enabled=true",
                "local.location=/",
                "hive.partition-projection-enabled=true",
                "hive.ignore-absent-partitions=true",
                "hive.table-statistics-enabled=false"));
        Path log = work.resolve("server.log");
        Process process = new ProcessBuilder(java.toString(), "-Xmx1g", "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED",
                "-Dconfig=" + etc.resolve("config.properties"), "-cp", lib + "/*", "io.trino.server.TrinoServer")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TrinoServer server = new TrinoServer(process, port, log);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long started = System.nanoTime();
        server.awaitStarted();
        LOG.info("Trino started on 127.0.0.1:{} with {} in {} ms", port, java, (System.nanoTime() - started) / 1_000_000);
        return server;
    }

    /** A connection with {@value #CATALOG} as the catalog and UTC as the session time zone, as in Athena. */
    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "athena-engine-tests");
        properties.setProperty("timezone", "UTC");
        return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + port + "/" + CATALOG, properties);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (output.contains("======== SERVER STARTED ========")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Trino exited with " + process.exitValue() + " before it started; "
                        + log + " ends with:\n" + tail(output));
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Trino did not start within 180 s; " + log + " ends with:\n"
                + tail(Files.readString(log, StandardCharsets.UTF_8)));
    }

    /**
     * The {@code java} of the JDK Trino runs on: {@value #JAVA_HOME_PROPERTY} ({@code -Dtrino.java.home} or
     * {@code TRINO_JAVA_HOME}) when given, else the newest Java 24+ JDK under {@code /usr/lib/jvm}, where Debian's
     * and Temurin's packages install them, so that {@code ./mvnw verify} needs no option on such machines.
     */
    static Path java() throws IOException {
        String home = System.getProperty(JAVA_HOME_PROPERTY, "");
        String fix = "Trino needs Java " + MINIMUM_JAVA + "+ (the rest of the build stays on Java 17): install one"
                + " (for example Temurin 25) under /usr/lib/jvm, or pass -D" + JAVA_HOME_PROPERTY
                + "=/path/to/jdk-" + MINIMUM_JAVA + "-or-newer to Maven, or set TRINO_JAVA_HOME.";
        if (home.isBlank() || home.startsWith("${")) {
            return installedJdk().orElseThrow(() -> new IllegalStateException(
                    "No Java " + MINIMUM_JAVA + "+ JDK for Trino under /usr/lib/jvm and none configured. " + fix));
        }
        Path java = Path.of(home, "bin", "java");
        if (!Files.isExecutable(java) || majorVersion(Path.of(home)) < MINIMUM_JAVA) {
            throw new IllegalStateException(home + " is not a Java " + MINIMUM_JAVA + "+ JDK (bin/java and a"
                    + " release file saying so). " + fix);
        }
        return java;
    }

    private static java.util.Optional<Path> installedJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return java.util.Optional.empty();
        }
        try (java.util.stream.Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> majorVersion(home) >= MINIMUM_JAVA)
                    .max(java.util.Comparator.comparingInt(TrinoServer::majorVersion))
                    .map(home -> home.resolve("bin/java"));
        }
    }

    /** The major version a JDK's {@code release} file states, or 0. */
    private static int majorVersion(Path home) {
        try {
            Matcher version = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isDirectory(Path.of(value))) {
            throw new IllegalStateException("the unpacked Trino distribution is missing (" + property + "=" + value
                    + "); run the tests through Maven, which unpacks it");
        }
        return Path.of(value);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 4000));
    }
}
