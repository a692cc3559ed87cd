package io.github.csvsampling.console;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * The one place that decides whether a request may reach the console, so that another web site open in the same
 * browser can neither drive it nor read it.
 *
 * <ul>
 *   <li>Every request must name one of the console's own hosts in {@code Host} (against DNS rebinding: a site that
 *       points its own name at 127.0.0.1 would otherwise be "same origin" with the console).</li>
 *   <li>A request that changes state (POST, PUT, PATCH, DELETE) must come from the console's own page: an
 *       {@code Origin} that is one of the console's, no {@code Sec-Fetch-Site} other than {@code same-origin}, a JSON
 *       body (a form of another site cannot send one without a CORS preflight, which is never granted), and this
 *       page session's token in {@code X-Console-Token}. The token is issued with the page ({@link #newSession()})
 *       and is never readable by another origin; the console sends no CORS headers at all.</li>
 *   <li>Other methods are refused; every response carries a strict Content-Security-Policy (scripts and styles only
 *       from the console, no framing), {@code nosniff} and no referrer.</li>
 * </ul>
 *
 * Sessions are bounded: the oldest of more than {@value #MAX_SESSIONS} page loads is forgotten (that page is asked
 * to reload).
 */
final class SecurityFilter extends Filter {

    static final String TOKEN_HEADER = "X-Console-Token";
    static final int MAX_SESSIONS = 256;
    private static final Set<String> READS = Set.of("GET", "HEAD");
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Set<String> origins;
    private final Set<String> hosts;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Boolean> sessions = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_SESSIONS;
        }
    });

    /**
     * @param origins the console's origins, such as {@code http://127.0.0.1:8090}; their host:port pairs are the
     *                accepted {@code Host} values
     */
    SecurityFilter(List<String> origins) {
        this.origins = new LinkedHashSet<>();
        this.hosts = new LinkedHashSet<>();
        for (String origin : origins) {
            URI uri = URI.create(origin);
            String normalised = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority()
                    .toLowerCase(Locale.ROOT);
            this.origins.add(normalised);
            this.hosts.add(uri.getRawAuthority().toLowerCase(Locale.ROOT));
        }
    }

    /** A new page session: its token, for the page and for {@code X-Console-Token}. */
    String newSession() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, Boolean.TRUE);
        return token;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Headers response = exchange.getResponseHeaders();
        response.set("Content-Security-Policy", CSP);
        response.set("X-Content-Type-Options", "nosniff");
        response.set("X-Frame-Options", "DENY");
        response.set("Referrer-Policy", "no-referrer");
        response.set("Cross-Origin-Opener-Policy", "same-origin");
        response.set("Cross-Origin-Resource-Policy", "same-origin");
        String refusal = refusal(exchange);
        if (refusal != null) {
            int status = refusal.startsWith("Method") ? 405 : 403;
            HttpResponses.json(exchange, status, HttpResponses.message(refusal));
            return;
        }
        chain.doFilter(exchange);
    }

    /** Why the request is refused, or {@code null} when it may go on. */
    String refusal(HttpExchange exchange) {
        Headers headers = exchange.getRequestHeaders();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String host = headers.getFirst("Host");
        String own = origins.iterator().next();
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            return "Refused: this console answers only at " + String.join(", ", origins) + ", and the request was for"
                    + " host '" + printable(host) + "'. If you reach it under another name, start it with"
                    + " --allowed-origin.";
        }
        if (READS.contains(method)) {
            return null;
        }
        if (!WRITES.contains(method)) {
            return "Method " + printable(method) + " is not allowed.";
        }
        String site = headers.getFirst("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin")) {
            return "Refused: the request comes from another site (Sec-Fetch-Site: " + printable(site) + "). Only the"
                    + " console's own page can change connectors.";
        }
        String origin = headers.getFirst("Origin");
        if (origin == null) {
            return "Refused: a request that changes something must come from the console's page, and this one has"
                    + " no Origin header (a script may add Origin: " + own + ").";
        }
        if (!origins.contains(origin.toLowerCase(Locale.ROOT))) {
            return "Refused: the request comes from " + printable(origin) + ", not from the console's page (" + own
                    + ").";
        }
        if (hasBody(headers)) {
            String type = headers.getFirst("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return "Refused: the console accepts JSON bodies only (Content-Type: application/json), not '"
                        + printable(type) + "'.";
            }
        }
        String token = headers.getFirst(TOKEN_HEADER);
        if (token == null || !knownToken(token)) {
            return "Refused: the request does not carry this page's session token (" + TOKEN_HEADER + "). Reload the"
                    + " page.";
        }
        return null;
    }

    private boolean knownToken(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        synchronized (sessions) {
            for (String known : sessions.keySet()) {
                if (MessageDigest.isEqual(given, known.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasBody(Headers headers) {
        String length = headers.getFirst("Content-Length");
        return headers.containsKey("Transfer-Encoding") || (length != null && !length.strip().equals("0"));
    }

    /** At most 100 printable ASCII characters of a header, for a message. */
    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String clean = value.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }

    @Override
    public String description() {
        return "Host, Origin, Sec-Fetch-Site and session token checks";
    }
}
