package io.github.csvsampling.stack;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Connect REST call answered with an unexpected (non-2xx) status. The message holds the method, URL, status
 * and Connect's error message, so a failing test says what the worker refused and why.
 */
public final class ConnectRestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient JsonNode body;

    /** Creates the exception for {@code method url} answered with {@code status} and {@code body}. */
    public ConnectRestException(String method, String url, int status, JsonNode body) {
        super(method + " " + url + " -> " + status + ": "
                + (body.has("message") ? body.get("message").asText() : ConnectRestClient.pretty(body)));
        this.status = status;
        this.body = body;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The response body ({@code error_code} and {@code message} for Connect errors). */
    public JsonNode body() {
        return body;
    }
}
