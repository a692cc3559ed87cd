package io.github.csvsampling.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/** Writing responses and reading bounded request bodies, the same way for every handler. */
final class HttpResponses {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The largest request body the console reads; larger ones get 413. */
    static final int MAX_BODY_BYTES = 1 << 20;

    /** A request the console refuses, with the status and the message shown on the page. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private HttpResponses() {
    }

    /** {@code {"message": text}}. */
    static String message(String text) {
        ObjectNode node = JSON.createObjectNode();
        node.put("message", text);
        return node.toString();
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static void json(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (!exchange.getResponseHeaders().containsKey("Cache-Control")) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /**
     * The request body, at most {@link #MAX_BODY_BYTES}.
     *
     * @throws Refused 413 when it is larger
     */
    static byte[] body(HttpExchange exchange) throws IOException, Refused {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = exchange.getRequestBody()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    // Read what else was sent (up to a limit), so that the browser gets the 413 and its message
                    // rather than a connection reset.
                    long discarded = 0;
                    for (int m = in.read(buffer); m >= 0 && discarded < DISCARD_LIMIT; m = in.read(buffer)) {
                        discarded += m;
                    }
                    throw tooLarge();
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * A request body that must be a JSON object.
     *
     * @throws Refused 400 saying where the JSON is broken, or that it is not an object
     */
    static ObjectNode objectBody(byte[] body) throws Refused {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                return (ObjectNode) node;
            }
            throw new Refused(400, "The request body must be a JSON object.");
        } catch (JsonProcessingException e) {
            throw new Refused(400, "The request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How much of a too large body is read and dropped before answering 413. */
    private static final long DISCARD_LIMIT = 32L << 20;

    private static Refused tooLarge() {
        return new Refused(413, "The request is larger than " + (MAX_BODY_BYTES >> 10) + " KiB; the console accepts"
                + " connector configs up to that size.");
    }
}
