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
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/deploy-connectors.sh} against a stand-in for the Connect REST API on 127.0.0.1: it PUTs every
 * config unchanged (or with the bucket and region asked for), is idempotent, and reports the status.
 */
class DeployScriptTest {

    private HttpServer server;
    private final Map<String, JsonNode> connectors = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String taskState = "RUNNING";

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
                boolean created = connectors.put(parts[2], config) == null;
                respond(exchange, created ? 201 : 200, "{\"name\":\"" + parts[2] + "\"}");
            } else if (method.equals("GET") && parts.length == 4 && parts[3].equals("status") && connectors.containsKey(parts[2])) {
                respond(exchange, 200, "{\"name\":\"" + parts[2] + "\",\"connector\":{\"state\":\"RUNNING\","
                        + "\"worker_id\":\"connect:8083\"},\"tasks\":[{\"id\":0,\"state\":\"" + taskState
                        + "\",\"worker_id\":\"connect:8083\"}],\"type\":\"source\"}");
            } else {
                respond(exchange, 404, "{\"error_code\":404,\"message\":\"not found\"}");
            }
        }
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
                "http://127.0.0.1:" + server.getAddress().getPort(), "--wait", "4"));
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
    void rejectsUnknownTargets() throws Exception {
        Result result = deploy("--target", "gcs");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(connectors).isEmpty();
    }
}
