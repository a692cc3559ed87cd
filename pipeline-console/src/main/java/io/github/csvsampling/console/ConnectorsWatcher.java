package io.github.csvsampling.console;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.csvsampling.stack.ConnectRestClient;

/**
 * Keeps the Connect cluster's connectors in view: {@code GET /connectors?expand=status&expand=info} on every
 * {@link #poll()} (the console calls it every 2 s, and at once after a change made on the page), published to the
 * pages when it changed. From the same answer it derives, without anything per plugin beyond config keys, the
 * target rate of the topic (the {@code records.per.second} of the RUNNING source connectors whose {@code topic} is
 * the stream's) and the lake's sink (a sink connector that reads the topic and writes the bucket, by its
 * {@code topics} and {@code s3.bucket.name}).
 */
final class ConnectorsWatcher {

    /** The sink that fills the bucket: its name, state (connector and tasks) and config. */
    record Sink(String name, String state, Map<String, String> config) {
    }

    private final ConnectRestClient connect;
    private final String topic;
    private final String bucket;
    private final Consumer<String> publish;
    private volatile String lastJson = "";
    private volatile Double target;
    private volatile Optional<Sink> sink = Optional.empty();

    /**
     * @param publish receives the page's JSON when it changed
     */
    ConnectorsWatcher(ConnectRestClient connect, String topic, String bucket, Consumer<String> publish) {
        this.connect = connect;
        this.topic = topic;
        this.bucket = bucket;
        this.publish = publish;
    }

    /** Asks Connect once; never throws (an unreachable worker is a message for the page). */
    synchronized void poll() {
        ObjectNode page = HttpResponses.JSON.createObjectNode();
        page.put("connectUrl", connect.baseUrl());
        try {
            ConnectRestClient.Response response = connect.request("GET", "/connectors?expand=status&expand=info",
                    null);
            if (!response.isSuccess()) {
                throw new IllegalStateException("Connect answered " + response.status() + ": "
                        + response.body().path("message").asText(response.body().toString()));
            }
            JsonNode connectors = response.body();
            page.put("ok", true);
            page.set("connectors", connectors);
            derive(connectors);
        } catch (UncheckedIOException | IllegalStateException e) {
            page.put("ok", false);
            page.put("message", "Cannot reach the Connect REST API at " + connect.baseUrl() + ": "
                    + rootMessage(e) + ". The console retries every 2 s.");
        }
        String json = page.toString();
        if (!json.equals(lastJson)) {
            lastJson = json;
            publish.accept(json);
        }
    }

    /** The last JSON published, for a page that connects. */
    String json() {
        return lastJson;
    }

    /** The target records/s of the topic; null when unknown (no rate-paced source running). */
    Double target() {
        return target;
    }

    /** The lake's sink, when one is configured on the cluster. */
    Optional<Sink> sink() {
        return sink;
    }

    private void derive(JsonNode connectors) {
        double rate = 0;
        boolean paced = false;
        Sink found = null;
        for (Map.Entry<String, JsonNode> entry : connectors.properties()) {
            JsonNode info = entry.getValue().path("info");
            JsonNode config = info.path("config");
            String type = info.path("type").asText(entry.getValue().path("status").path("type").asText());
            String state = state(entry.getValue().path("status"));
            if ("source".equals(type) && topic.equals(config.path("topic").asText(null))
                    && config.has("records.per.second") && !"replay".equals(config.path("sampling.mode").asText())) {
                paced = true;
                if ("RUNNING".equals(state)) {
                    try {
                        rate += Double.parseDouble(config.path("records.per.second").asText());
                    } catch (NumberFormatException e) {
                        // not a number: no target from this connector
                    }
                }
            }
            if ("sink".equals(type) && found == null && reads(config) && bucket.equals(config.path("s3.bucket.name")
                    .asText(null))) {
                found = new Sink(entry.getKey(), state, ConnectRestClient.configMap(config));
            }
        }
        target = paced ? rate : null;
        sink = Optional.ofNullable(found);
    }

    private boolean reads(JsonNode config) {
        String topics = config.path("topics").asText("");
        if (Arrays.stream(topics.split(",")).map(String::strip).anyMatch(topic::equals)) {
            return true;
        }
        String regex = config.path("topics.regex").asText("");
        try {
            return !regex.isEmpty() && topic.matches(regex);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The connector's state, or FAILED when any task failed, as one word. */
    private static String state(JsonNode status) {
        String state = status.path("connector").path("state").asText("UNKNOWN");
        List<String> tasks = new ArrayList<>();
        status.path("tasks").forEach(t -> tasks.add(t.path("state").asText()));
        return tasks.contains("FAILED") ? "FAILED" : state;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
