package io.github.csvsampling.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A small client for the Kafka Connect REST API of one worker, with {@link HttpClient} and Jackson.
 *
 * <p>Each endpoint method returns the response body as a {@link JsonNode} ({@link MissingNode} when there is no
 * body, e.g. 204) and throws {@link ConnectRestException}, carrying the status and body, for any non-2xx answer.
 * A 409 that Connect sends because a rebalance is under way ("Cannot complete request ...") is retried for up to
 * {@link #rebalanceRetry()} before it is thrown; other 409s (e.g. "already exists") are thrown at once.
 * {@link #request(String, String, Object)} gives the raw status and body without any check or retry.
 *
 * <p>The {@code await*} methods poll {@code GET /connectors/{name}/status} until the connector and its tasks reach
 * a state, and fail with the last status body (task stack traces included) as soon as something FAILED.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final String baseUrl;
    private final Duration requestTimeout;
    private final Duration rebalanceRetry;
    private final HttpClient http;

    /** A client for the worker at {@code baseUrl} (e.g. {@code http://127.0.0.1:8083}), 90 s request timeout. */
    public ConnectRestClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(90), Duration.ofSeconds(30));
    }

    /**
     * @param baseUrl        worker URL, with or without a trailing slash
     * @param requestTimeout timeout of one HTTP request (Connect itself allows 90 s for some calls)
     * @param rebalanceRetry how long to retry requests that get a rebalance-related 409; zero disables retries
     */
    public ConnectRestClient(String baseUrl, Duration requestTimeout, Duration rebalanceRetry) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.rebalanceRetry = Objects.requireNonNull(rebalanceRetry, "rebalanceRetry");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The worker URL without trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** How long rebalance-related 409 answers are retried. */
    public Duration rebalanceRetry() {
        return rebalanceRetry;
    }

    /** The status code and body of one response. */
    public record Response(int status, JsonNode body) {

        /** Whether the status is 2xx. */
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Sends one request and returns status and body, whatever the status.
     *
     * @param method HTTP method ({@code GET}, {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE})
     * @param path   path and query after the base URL, starting with {@code /}; path segments must be encoded
     *               (see {@link #segment(String)})
     * @param body   {@code null} for none, otherwise any object Jackson serializes ({@link JsonNode}, {@link Map},
     *               record) or a {@link String} sent as is
     * @throws UncheckedIOException if the worker cannot be reached
     */
    public Response request(String method, String path, Object body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(toJson(body), StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + baseUrl + path, e);
        }
    }

    /** {@code GET /}: worker version, commit and Kafka cluster id. */
    public JsonNode serverInfo() {
        return call("GET", "/", null);
    }

    /** {@code GET /connectors}: names of the connectors. */
    public JsonNode connectors() {
        return call("GET", "/connectors", null);
    }

    /** {@code GET /connector-plugins}: the connector plugins the worker found (class, type, version). */
    public JsonNode connectorPlugins() {
        return call("GET", "/connector-plugins", null);
    }

    /**
     * {@code GET /connector-plugins?connectorsOnly=false} when {@code connectorsOnly} is false: converters,
     * transformations, predicates and header converters too.
     */
    public JsonNode connectorPlugins(boolean connectorsOnly) {
        return call("GET", "/connector-plugins?connectorsOnly=" + connectorsOnly, null);
    }

    /**
     * {@code PUT /connector-plugins/{plugin}/config/validate}. Connect requires {@code connector.class} in the
     * body; it is set to {@code pluginClassOrAlias} when absent.
     *
     * @return the validation result; {@code error_count} says whether the config is valid
     */
    public JsonNode validate(String pluginClassOrAlias, Map<String, String> config) {
        Map<String, String> body = new LinkedHashMap<>(config);
        body.putIfAbsent("connector.class", pluginClassOrAlias);
        return call("PUT", "/connector-plugins/" + segment(pluginClassOrAlias) + "/config/validate", body);
    }

    /** {@code POST /connectors}: creates a connector; returns its name, config and tasks. */
    public JsonNode createConnector(String name, Map<String, String> config) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("config", config);
        return call("POST", "/connectors", body);
    }

    /** {@code PUT /connectors/{name}/config}: creates or reconfigures a connector. */
    public JsonNode putConnectorConfig(String name, Map<String, String> config) {
        return call("PUT", connectorPath(name) + "/config", config);
    }

    /** {@code GET /connectors/{name}/config}. */
    public JsonNode connectorConfig(String name) {
        return call("GET", connectorPath(name) + "/config", null);
    }

    /** {@code GET /connectors/{name}/status}: connector and task states (with traces when FAILED). */
    public JsonNode status(String name) {
        return call("GET", connectorPath(name) + "/status", null);
    }

    /** {@code PUT /connectors/{name}/pause}. */
    public JsonNode pause(String name) {
        return call("PUT", connectorPath(name) + "/pause", null);
    }

    /** {@code PUT /connectors/{name}/resume}. */
    public JsonNode resume(String name) {
        return call("PUT", connectorPath(name) + "/resume", null);
    }

    /** {@code PUT /connectors/{name}/stop}: stops the connector and its tasks (needed before altering offsets). */
    public JsonNode stopConnector(String name) {
        return call("PUT", connectorPath(name) + "/stop", null);
    }

    /** {@code POST /connectors/{name}/restart?includeTasks=..&onlyFailed=..}. */
    public JsonNode restart(String name, boolean includeTasks, boolean onlyFailed) {
        return call("POST", connectorPath(name) + "/restart?includeTasks=" + includeTasks + "&onlyFailed=" + onlyFailed,
                null);
    }

    /** {@code POST /connectors/{name}/tasks/{task}/restart}. */
    public JsonNode restartTask(String name, int task) {
        return call("POST", connectorPath(name) + "/tasks/" + task + "/restart", null);
    }

    /** {@code DELETE /connectors/{name}}. */
    public JsonNode delete(String name) {
        return call("DELETE", connectorPath(name), null);
    }

    /** {@code GET /connectors/{name}/offsets}: the committed offsets, as {@code {"offsets":[{partition,offset}]}}. */
    public JsonNode offsets(String name) {
        return call("GET", connectorPath(name) + "/offsets", null);
    }

    /** {@code PATCH /connectors/{name}/offsets}; the connector must be STOPPED. */
    public JsonNode alterOffsets(String name, JsonNode body) {
        return call("PATCH", connectorPath(name) + "/offsets", body);
    }

    /** {@code DELETE /connectors/{name}/offsets}: resets all offsets; the connector must be STOPPED. */
    public JsonNode resetOffsets(String name) {
        return call("DELETE", connectorPath(name) + "/offsets", null);
    }

    /**
     * Waits until the connector is RUNNING with exactly {@code tasks} tasks, all RUNNING.
     *
     * @return the last status
     * @throws IllegalStateException with the status body if the connector or a task FAILED, or on timeout
     */
    public JsonNode awaitConnectorRunning(String name, int tasks, Duration timeout) {
        return awaitState(name, "RUNNING", tasks, timeout);
    }

    /**
     * Waits until the connector is in {@code state} ({@code RUNNING}, {@code PAUSED}, {@code STOPPED},
     * {@code FAILED}, ...) with exactly {@code tasks} tasks, all in {@code state} (a STOPPED connector has 0
     * tasks). Unless {@code state} is FAILED, fails fast when the connector or any task is FAILED.
     *
     * @return the last status
     * @throws IllegalStateException with the last status body (traces included) on failure or timeout
     */
    public JsonNode awaitState(String name, String state, int tasks, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        while (true) {
            last = request("GET", connectorPath(name) + "/status", null);
            if (last.status() == 200) {
                JsonNode status = last.body();
                if (hasState(status, state, tasks)) {
                    return status;
                }
                if (!"FAILED".equals(state) && hasFailure(status)) {
                    throw new IllegalStateException("Connector " + name + " FAILED while waiting for " + state
                            + ":\n" + pretty(status));
                }
            } else if (last.status() != 404) {
                throw new ConnectRestException("GET", baseUrl + connectorPath(name) + "/status", last.status(),
                        last.body());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Connector " + name + " not " + state + " with " + tasks
                        + " task(s) after " + timeout.toMillis() + " ms; last status (" + last.status() + "):\n"
                        + pretty(last.body()));
            }
            sleep(POLL_INTERVAL);
        }
    }

    /**
     * Waits until {@code GET /connectors/{name}/status} answers 404. {@link #delete(String)} returns before the
     * connector's tasks have stopped and its status is removed; wait for this before re-creating a connector
     * with the same name.
     *
     * @throws IllegalStateException with the last status on timeout
     */
    public void awaitConnectorDeleted(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Response last = request("GET", connectorPath(name) + "/status", null);
            if (last.status() == 404) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Connector " + name + " still has a status after "
                        + timeout.toMillis() + " ms (" + last.status() + "):\n" + pretty(last.body()));
            }
            sleep(POLL_INTERVAL);
        }
    }

    /** Percent-encodes one path segment (connector name, plugin class). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A connector config as the map {@link #putConnectorConfig} takes, from a config file or a REST answer: a PUT
     * body (the config itself) or a POST body ({@code {"name", "config"}}, whose name joins the config).
     */
    public static Map<String, String> configMap(JsonNode body) {
        JsonNode config = body.has("config") ? body.get("config") : body;
        Map<String, String> map = new LinkedHashMap<>();
        config.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        if (!map.containsKey("name") && body.has("name")) {
            map.put("name", body.get("name").asText());
        }
        return map;
    }

    /** Shared Jackson mapper (e.g. to build an {@link #alterOffsets} body). */
    public static ObjectMapper json() {
        return JSON;
    }

    private JsonNode call(String method, String path, Object body) {
        long deadline = System.nanoTime() + rebalanceRetry.toNanos();
        while (true) {
            Response response = request(method, path, body);
            if (response.isSuccess()) {
                return response.body();
            }
            if (!isRebalanceConflict(response) || System.nanoTime() > deadline) {
                throw new ConnectRestException(method, baseUrl + path, response.status(), response.body());
            }
            sleep(POLL_INTERVAL);
        }
    }

    private static boolean isRebalanceConflict(Response response) {
        // Connect's HerderRequestHandler: "Cannot complete request momentarily due to ..." and
        // "Cannot complete request because of a conflicting operation (e.g. worker rebalance)".
        return response.status() == 409
                && response.body().path("message").asText("").startsWith("Cannot complete request");
    }

    private static boolean hasState(JsonNode status, String state, int tasks) {
        if (!state.equals(status.path("connector").path("state").asText())) {
            return false;
        }
        JsonNode taskStates = status.path("tasks");
        if (taskStates.size() != tasks) {
            return false;
        }
        for (JsonNode task : taskStates) {
            if (!state.equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasFailure(JsonNode status) {
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            return true;
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String connectorPath(String name) {
        return "/connectors/" + segment(name);
    }

    private static String toJson(Object body) {
        if (body instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialize request body: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(body); // e.g. an HTML error page from Jetty
        }
    }

    static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return String.valueOf(node);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
