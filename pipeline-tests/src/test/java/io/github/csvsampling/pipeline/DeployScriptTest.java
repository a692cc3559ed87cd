package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/deploy-connectors.sh} against a stand-in for the Connect REST API on 127.0.0.1: it PUTs every
 * config unchanged (or with the bucket and region asked for), is idempotent, and reports the status that holds
 * once the new config runs. The stand-in applies a config the way Connect does, asynchronously: for a while after
 * the PUT the tasks and their status still belong to the old config, then the tasks restart (UNASSIGNED), then
 * they run, or fail.
 */
class DeployScriptTest {

    private HttpServer server;
    private final Map<String, JsonNode> connectors = new ConcurrentHashMap<>();
    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    /** How long after a PUT the tasks get the new config, then how long they restart. */
    private volatile long applyMillis;
    private volatile long restartMillis;
    /** What the new config's task does once started: RUNNING, FAILED, or RUNNING then FAILED after failMillis. */
    private volatile String taskState = "RUNNING";
    private volatile long failMillis = -1;
    /** Whether new configs ever reach the tasks. */
    private volatile boolean applies = true;

    @TempDir
    Path configs;

    /** One PUT of a connector: when, the config its tasks ran before, the new one, whether it ever reaches them. */
    private record Deployment(long at, JsonNode before, JsonNode config, boolean applies) {
    }

    @BeforeEach
    void startFakeConnect() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "bash is needed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl")),
                "curl is needed");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        requests.add(method + " " + path);
        String[] parts = path.split("/");
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (method.equals("GET") && path.equals("/")) {
                respond(exchange, 200, "{\"version\":\"4.1.2\"}");
            } else if (method.equals("PUT") && parts.length == 4 && parts[1].equals("connectors") && parts[3].equals("config")) {
                JsonNode config = Repo.JSON.readTree(body);
                if (config.has("name") && !config.get("name").asText().equals(parts[2])) {
                    respond(exchange, 400, "{\"error_code\":400,\"message\":\"name mismatch\"}");
                    return;
                }
                Deployment previous = deployments.get(parts[2]);
                JsonNode running = previous == null ? null : applied(previous);
                deployments.put(parts[2], new Deployment(System.nanoTime(), running, config, applies));
                boolean created = connectors.put(parts[2], config) == null;
                respond(exchange, created ? 201 : 200, "{\"name\":\"" + parts[2] + "\"}");
            } else if (method.equals("GET") && parts.length == 4 && deployments.containsKey(parts[2])) {
                Deployment deployment = deployments.get(parts[2]);
                if (parts[3].equals("tasks")) {
                    respond(exchange, 200, tasks(parts[2], applied(deployment)));
                } else if (parts[3].equals("status")) {
                    respond(exchange, 200, "{\"name\":\"" + parts[2] + "\",\"connector\":{\"state\":\"RUNNING\","
                            + "\"worker_id\":\"connect:8083\"},\"tasks\":[" + task(deployment) + "],\"type\":\"source\"}");
                } else {
                    respond(exchange, 404, "{\"error_code\":404,\"message\":\"not found\"}");
                }
            } else {
                respond(exchange, 404, "{\"error_code\":404,\"message\":\"not found\"}");
            }
        }
    }

    /** The config the tasks run now: the new one once applied, the old one (or none) before. */
    private JsonNode applied(Deployment deployment) {
        return deployment.applies() && millisSince(deployment) >= applyMillis ? deployment.config() : deployment.before();
    }

    private String task(Deployment deployment) {
        long since = millisSince(deployment);
        String state;
        if (since < applyMillis || !deployment.applies()) {
            if (deployment.before() == null) {
                return "";
            }
            state = "RUNNING";
        } else if (since < applyMillis + restartMillis) {
            state = "UNASSIGNED";
        } else if (failMillis >= 0) {
            state = since < applyMillis + restartMillis + failMillis ? "RUNNING" : "FAILED";
        } else {
            state = taskState;
        }
        String trace = state.equals("FAILED")
                ? ",\"trace\":\"org.apache.kafka.connect.errors.ConnectException: Non-existent S3 bucket: stock-quotes\\n\\tat"
                + " io.confluent.connect.s3.S3SinkTask.start(S3SinkTask.java:120)\\n\""
                : "";
        return "{\"id\":0,\"state\":\"" + state + "\",\"worker_id\":\"connect:8083\"" + trace + "}";
    }

    /** {@code GET /connectors/{name}/tasks} as Connect answers it: each task's config, here the connector's. */
    private static String tasks(String name, JsonNode config) {
        if (config == null) {
            return "[]";
        }
        ObjectNode taskConfig = ((ObjectNode) config.deepCopy()).put("task.class", "com.example.Task");
        return "[{\"id\":{\"connector\":\"" + name + "\",\"task\":0},\"config\":" + taskConfig + "}]";
    }

    private static long millisSince(Deployment deployment) {
        return (System.nanoTime() - deployment.at()) / 1_000_000;
    }

    private static void respond(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private record Result(int exit, String output) {
    }

    private Result deploy(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Repo.DEPLOY_SCRIPT.toString(), "--connect-url",
                "http://127.0.0.1:" + server.getAddress().getPort(), "--wait", "8", "--settle", "2"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void putsEveryConfigUnchangedAndIsIdempotent() throws Exception {
        Result first = deploy();
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("stock-quotes-source: created", "stock-quotes-s3-sink: created")
                .contains("stock-quotes-source: connector and tasks RUNNING RUNNING");
        assertThat(connectors.get("stock-quotes-source")).isEqualTo(Repo.json(Repo.SOURCE_PUT));
        assertThat(connectors.get("stock-quotes-s3-sink")).isEqualTo(Repo.json(Repo.SINK_MINIO));

        Result second = deploy();
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("stock-quotes-source: updated", "stock-quotes-s3-sink: updated");
        assertThat(connectors).hasSize(2);
        assertThat(connectors.get("stock-quotes-s3-sink")).isEqualTo(Repo.json(Repo.SINK_MINIO));
        assertThat(requests).allMatch(r -> r.startsWith("GET ") || r.matches("PUT /connectors/[\\w-]+/config"));
    }

    @Test
    void deploysTheAwsSinkWithAnotherBucketAndRegion() throws Exception {
        Result result = deploy("--target", "aws", "--bucket", "team-lake.eu", "--region", "eu-central-1", "--no-source");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(connectors).containsOnlyKeys("stock-quotes-s3-sink");
        Map<String, String> expected = new LinkedHashMap<>(Repo.connectorConfig(Repo.SINK_AWS));
        expected.put("s3.bucket.name", "team-lake.eu");
        expected.put("s3.region", "eu-central-1");
        Map<String, String> deployed = new LinkedHashMap<>();
        connectors.get("stock-quotes-s3-sink").fields().forEachRemaining(e -> deployed.put(e.getKey(), e.getValue().asText()));
        assertThat(deployed).containsExactlyEntriesOf(expected);
    }

    /** The source config with another rate, in a folder of its own; returns the folder. */
    private String sourceWithRate20() throws IOException {
        String source = Repo.text(Repo.SOURCE_PUT).replace("\"records.per.second\": \"5\"", "\"records.per.second\": \"20\"");
        assertThat(source).contains("\"20\"");
        Files.writeString(configs.resolve("stock-quotes-source.config.json"), source);
        return configs.toString();
    }

    @Test
    void deploysTheConfigsOfAnotherFolder() throws Exception {
        Result result = deploy("--configs-dir", sourceWithRate20(), "--no-sink");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(connectors.get("stock-quotes-source").get("records.per.second").asText()).isEqualTo("20");
    }

    /**
     * Right after the PUT, Connect still reports the old tasks RUNNING; the new task fails half a second after it
     * starts. The script must wait for the new tasks and report the failure, not the stale RUNNING.
     */
    @Test
    void aNewTaskThatFailsSoonAfterTheStaleRunningStatusIsReportedAsFailed() throws Exception {
        assertThat(deploy("--no-sink").exit()).isZero();
        applyMillis = 1500;
        restartMillis = 300;
        failMillis = 500;

        Result redeploy = deploy("--no-sink", "--configs-dir", sourceWithRate20());

        assertThat(redeploy.exit()).as(redeploy.output()).isEqualTo(1);
        assertThat(redeploy.output()).contains("stock-quotes-source: connector and tasks RUNNING FAILED")
                .contains("org.apache.kafka.connect.errors.ConnectException: Non-existent S3 bucket: stock-quotes")
                .doesNotContain("S3SinkTask.java");
    }

    /** Tasks UNASSIGNED for two seconds while they restart: a healthy redeploy, reported as RUNNING, exit 0. */
    @Test
    void aRestartInProgressIsWaitedFor() throws Exception {
        assertThat(deploy("--no-sink").exit()).isZero();
        applyMillis = 1000;
        restartMillis = 2000;

        Result redeploy = deploy("--no-sink", "--configs-dir", sourceWithRate20());

        assertThat(redeploy.exit()).as(redeploy.output()).isZero();
        assertThat(redeploy.output()).contains("stock-quotes-source: connector and tasks RUNNING RUNNING");
    }

    @Test
    void failsWhenTheTasksNeverGetTheNewConfig() throws Exception {
        assertThat(deploy("--no-sink").exit()).isZero();
        applies = false;

        Result redeploy = deploy("--no-sink", "--wait", "3", "--configs-dir", sourceWithRate20());

        assertThat(redeploy.exit()).as(redeploy.output()).isEqualTo(1);
        assertThat(redeploy.output()).contains("its tasks do not run the new config yet (after --wait 3 s)");
    }

    @Test
    void failsWhenATaskIsNotRunningOrConnectIsDown() throws Exception {
        taskState = "FAILED";
        Result failed = deploy("--no-sink");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.output()).contains("stock-quotes-source: connector and tasks RUNNING FAILED");

        server.stop(0);
        Result down = deploy();
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.output()).contains("Connect is not answering");
        server = null;
    }

    @Test
    void rejectsUnknownTargetsAndOptions() throws Exception {
        assertThat(deploy("--target", "gcs").exit()).isEqualTo(2);
        assertThat(deploy("--settle", "soon").output()).contains("--settle must be a number of seconds, not 'soon'");
        assertThat(deploy("--configs-dir", configs.resolve("missing").toString()).exit()).isEqualTo(2);
        assertThat(connectors).isEmpty();
    }
}
