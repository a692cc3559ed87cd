package io.github.csvsampling.console;

import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.csvsampling.stack.ConnectRestClient;

/**
 * Forwards the page's requests under {@code /api/connect/} to the Connect REST API, but only those of an
 * allow-list: the endpoints a person needs to manage connectors (list, create, config, validate, pause, resume,
 * stop, restart, delete, offsets, plugins). Anything else (the worker's loggers, its internal endpoints) is refused,
 * as are bodies that are not what Connect expects, with a message that says what is wrong: names Connect's REST API
 * cannot address ({@link ConnectorNames}), values that are not text, settings longer than
 * {@value #MAX_VALUE_CHARS} characters. Connect's own answers (validation errors, 404, 409) are passed through;
 * a worker that cannot be reached is a 502 with the reason.
 */
final class ConnectProxy {

    static final int MAX_VALUE_CHARS = 65_536;
    static final int MAX_KEY_CHARS = 1_024;
    private static final Set<String> CONNECTOR_READS = Set.of("config", "status", "tasks", "topics", "offsets");
    private static final Set<String> CONNECTOR_STATE_CHANGES = Set.of("pause", "resume", "stop");

    /** What to send to Connect: method, path with encoded segments and only allowed parameters, body. */
    record Forward(String method, String path, String body, boolean changesState) {
    }

    private final ConnectRestClient connect;
    private final Runnable onChange;

    /**
     * @param onChange called after Connect accepted a request that changes state (to refresh the connector list
     *                 at once)
     */
    ConnectProxy(ConnectRestClient connect, Runnable onChange) {
        this.connect = connect;
        this.onChange = onChange;
    }

    /**
     * Forwards one request and returns the status and JSON body for the page.
     *
     * @param rawPath  the path after {@code /api/connect}, still percent-encoded
     * @param rawQuery the query string, or {@code null}
     */
    Answer forward(String method, String rawPath, String rawQuery, byte[] body) {
        Forward forward;
        try {
            forward = route(method.toUpperCase(Locale.ROOT), rawPath, rawQuery, body);
        } catch (HttpResponses.Refused e) {
            return new Answer(e.status, HttpResponses.message(e.getMessage()));
        }
        ConnectRestClient.Response response;
        try {
            response = connect.request(forward.method(), forward.path(), forward.body());
        } catch (UncheckedIOException e) {
            return new Answer(502, HttpResponses.message("Cannot reach the Connect REST API at " + connect.baseUrl()
                    + ": " + rootCause(e) + ". Is the worker running?"));
        } catch (IllegalStateException e) {
            return new Answer(503, HttpResponses.message("Interrupted while asking Connect; try again."));
        }
        if (forward.changesState() && response.isSuccess()) {
            onChange.run();
        }
        JsonNode answer = response.body();
        if (response.isSuccess()) {
            return new Answer(response.status(), answer.isMissingNode() ? "{}" : answer.toString());
        }
        String message = answer.has("message") ? answer.get("message").asText()
                : "Connect answered " + response.status() + (answer.isTextual() ? "" : ": " + answer);
        return new Answer(response.status(), HttpResponses.message(message));
    }

    /** The status and JSON body for the page. */
    record Answer(int status, String json) {
    }

    /**
     * Checks one request against the allow-list and its body, and builds what to send to Connect.
     *
     * @throws HttpResponses.Refused 404 for a path outside the list, 405 for a method it does not allow there, 400
     *                               for a bad body or name
     */
    Forward route(String method, String rawPath, String rawQuery, byte[] body) throws HttpResponses.Refused {
        List<String> s = segments(rawPath);
        Map<String, List<String>> query = query(rawQuery);
        int n = s.size();
        if (n == 0) {
            return read(method, "/", "", s);
        }
        if (s.get(0).equals("connectors")) {
            if (n == 1) {
                if (method.equals("POST")) {
                    return new Forward("POST", "/connectors", createBody(body), true);
                }
                return read(method, "/connectors", params(query, Map.of("expand", Set.of("status", "info"))), s);
            }
            String connector = "/connectors/" + ConnectRestClient.segment(s.get(1));
            if (n == 2) {
                if (method.equals("DELETE")) {
                    return new Forward("DELETE", connector, null, true);
                }
                return read(method, connector, "", s);
            }
            String what = s.get(2);
            if (n == 3 && what.equals("config") && method.equals("PUT")) {
                String name = s.get(1);
                Optional<String> problem = ConnectorNames.problem(name);
                if (problem.isPresent() && !exists(connector)) {
                    throw new HttpResponses.Refused(400, problem.get());
                }
                return new Forward("PUT", connector + "/config", configBody(body, name), true);
            }
            if (n == 3 && what.equals("offsets") && (method.equals("DELETE") || method.equals("PATCH"))) {
                return new Forward(method, connector + "/offsets",
                        method.equals("PATCH") ? HttpResponses.objectBody(body).toString() : null, true);
            }
            if (n == 3 && CONNECTOR_READS.contains(what)) {
                return read(method, connector + "/" + what, "", s);
            }
            if (n == 3 && CONNECTOR_STATE_CHANGES.contains(what)) {
                return write(method, "PUT", connector + "/" + what, s);
            }
            if (n == 3 && what.equals("restart")) {
                String params = params(query, Map.of("includeTasks", Set.of("true", "false"),
                        "onlyFailed", Set.of("true", "false")));
                return write(method, "POST", connector + "/restart" + params, s);
            }
            if (n == 5 && what.equals("tasks") && s.get(3).matches("\\d{1,6}")) {
                String task = connector + "/tasks/" + s.get(3);
                if (s.get(4).equals("restart")) {
                    return write(method, "POST", task + "/restart", s);
                }
                if (s.get(4).equals("status")) {
                    return read(method, task + "/status", "", s);
                }
            }
        } else if (s.get(0).equals("connector-plugins")) {
            if (n == 1) {
                return read(method, "/connector-plugins", params(query, Map.of("connectorsOnly", Set.of("true",
                        "false"))), s);
            }
            String plugin = "/connector-plugins/" + ConnectRestClient.segment(s.get(1));
            if (n == 3 && s.get(2).equals("config")) {
                return read(method, plugin + "/config", "", s);
            }
            if (n == 4 && s.get(2).equals("config") && s.get(3).equals("validate")) {
                if (!method.equals("PUT")) {
                    throw notAllowed(method, s);
                }
                return new Forward("PUT", plugin + "/config/validate", configBody(body, null), false);
            }
        }
        throw new HttpResponses.Refused(404, "The console does not forward " + method + " /" + String.join("/", s)
                + " to Connect: it forwards only what managing connectors needs.");
    }

    private boolean exists(String connectorPath) {
        try {
            return connect.request("GET", connectorPath, null).status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Forward read(String method, String path, String params, List<String> s) throws HttpResponses.Refused {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw notAllowed(method, s);
        }
        return new Forward("GET", path + params, null, false);
    }

    private static Forward write(String method, String expected, String path, List<String> s)
            throws HttpResponses.Refused {
        if (!method.equals(expected)) {
            throw notAllowed(method, s);
        }
        return new Forward(expected, path, null, true);
    }

    private static HttpResponses.Refused notAllowed(String method, List<String> s) {
        return new HttpResponses.Refused(405, "Method " + method + " is not allowed on /" + String.join("/", s) + ".");
    }

    /** {@code POST /connectors}: {"name": ..., "config": {...}} with a name Connect's REST API can address. */
    private static String createBody(byte[] body) throws HttpResponses.Refused {
        ObjectNode request = HttpResponses.objectBody(body);
        JsonNode name = request.path("name");
        if (!name.isTextual()) {
            throw new HttpResponses.Refused(400, "A new connector needs a \"name\" (text) and a \"config\" object.");
        }
        String problem = ConnectorNames.problem(name.asText()).orElse(null);
        if (problem != null) {
            throw new HttpResponses.Refused(400, problem);
        }
        ObjectNode result = HttpResponses.JSON.createObjectNode();
        result.put("name", name.asText());
        result.set("config", HttpResponses.JSON.valueToTree(config(request.path("config"), name.asText())));
        return result.toString();
    }

    /** A config map as Connect expects it: text values only, sizes bounded. */
    private static String configBody(byte[] body, String name) throws HttpResponses.Refused {
        return HttpResponses.toJson(config(HttpResponses.objectBody(body), name));
    }

    private static Map<String, String> config(JsonNode node, String name) throws HttpResponses.Refused {
        if (!node.isObject()) {
            throw new HttpResponses.Refused(400, "The connector's config must be a JSON object of settings.");
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            String shownKey = key.length() > 80 ? key.substring(0, 80) + "..." : key;
            if (key.isBlank() || key.length() > MAX_KEY_CHARS) {
                throw new HttpResponses.Refused(400, "A setting's name must be 1 to " + MAX_KEY_CHARS
                        + " characters long, got " + key.length() + ": '" + shownKey + "'.");
            }
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw new HttpResponses.Refused(400, shownKey + ": a setting's value must be text, not "
                        + (value.isArray() ? "a list" : "an object") + " (write lists as comma-separated text).");
            }
            String text = value.asText();
            if (text.length() > MAX_VALUE_CHARS) {
                throw new HttpResponses.Refused(400, shownKey + ": the value is " + String.format(Locale.ROOT, "%,d",
                        text.length()) + " characters long; the console accepts at most " + String.format(Locale.ROOT,
                        "%,d", MAX_VALUE_CHARS) + " per setting.");
            }
            config.put(key, text);
        }
        if (name != null && config.containsKey("name") && !config.get("name").equals(name)) {
            throw new HttpResponses.Refused(400, "The config's \"name\" (" + config.get("name") + ") differs from the"
                    + " connector's name (" + name + ").");
        }
        return config;
    }

    /** Decoded path segments; {@code +} stays a plus, as in any URL path. */
    static List<String> segments(String rawPath) throws HttpResponses.Refused {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new HttpResponses.Refused(400, "The path has a malformed %-escape: " + raw);
            }
        }
        return segments;
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** The allowed parameters with allowed values, re-encoded; others are dropped. */
    private static String params(Map<String, List<String>> query, Map<String, Set<String>> allowed) {
        StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
        for (Map.Entry<String, List<String>> param : query.entrySet()) {
            Set<String> values = allowed.get(param.getKey());
            if (values == null) {
                continue;
            }
            for (String value : param.getValue()) {
                if (values.contains(value)) {
                    joined.add(param.getKey() + "=" + value);
                }
            }
        }
        return joined.toString();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
