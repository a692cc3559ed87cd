package io.github.csvsampling.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's server with the security filter in front of a stand-in of its parts, over raw HTTP so that every
 * header (Host, Origin, Sec-Fetch-Site) is what a browser or an attacker would send.
 */
class SecurityFilterTest {

    private ConsoleServer server;
    private String origin;
    private final List<String> forwarded = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new ConsoleServer(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4,
                port -> new SecurityFilter(List.of("http://127.0.0.1:" + port, "http://localhost:" + port)),
                new ConsoleServer.Api() {
                    @Override
                    public void events(HttpExchange exchange) throws IOException {
                        HttpResponses.json(exchange, 200, "{}");
                    }

                    @Override
                    public String info() {
                        return "{}";
                    }

                    @Override
                    public String queries() {
                        return "{}";
                    }

                    @Override
                    public void runQueries() {
                        forwarded.add("run");
                    }

                    @Override
                    public ConnectProxy.Answer sql(String text) {
                        return new ConnectProxy.Answer(403, HttpResponses.message("off"));
                    }

                    @Override
                    public ConnectProxy.Answer connect(String method, String rawPath, String rawQuery, byte[] body) {
                        forwarded.add(method + " " + rawPath);
                        return new ConnectProxy.Answer(201, "{}");
                    }
                });
        server.start();
        origin = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void thePageCarriesItsOwnTokenAndStrictHeaders() throws IOException {
        Response page = send("GET", "/", Map.of(), null);
        assertThat(page.status).isEqualTo(200);
        assertThat(token(page.body)).hasSizeGreaterThan(40);
        assertThat(token(send("GET", "/", Map.of(), null).body)).as("a new session per page load")
                .isNotEqualTo(token(page.body));
        assertThat(page.headers).containsIgnoringCase("content-security-policy: default-src 'self'; script-src 'self'")
                .containsIgnoringCase("frame-ancestors 'none'").containsIgnoringCase("x-content-type-options: nosniff")
                .doesNotContainIgnoringCase("access-control-allow");
    }

    @Test
    void aStateChangingRequestFromThePageWithItsTokenPasses() throws IOException {
        String token = token(send("GET", "/", Map.of(), null).body);
        Response ok = send("POST", "/api/connect/connectors", Map.of("Origin", origin, "Sec-Fetch-Site", "same-origin",
                SecurityFilter.TOKEN_HEADER, token, "Content-Type", "application/json"), "{\"name\":\"x\"}");
        assertThat(ok.status).isEqualTo(201);
        assertThat(forwarded).containsExactly("POST /connectors");
    }

    @Test
    void withoutTheTokenOrFromAnotherOriginOrSiteItIsRefused() throws IOException {
        String token = token(send("GET", "/", Map.of(), null).body);
        Map<String, Map<String, String>> attempts = Map.of(
                "no token", Map.of("Origin", origin, "Content-Type", "application/json"),
                "a made-up token", Map.of("Origin", origin, SecurityFilter.TOKEN_HEADER, "guess",
                        "Content-Type", "application/json"),
                "another origin", Map.of("Origin", "http://evil.example", SecurityFilter.TOKEN_HEADER, token,
                        "Content-Type", "application/json"),
                "no origin", Map.of(SecurityFilter.TOKEN_HEADER, token, "Content-Type", "application/json"),
                "a cross-site fetch", Map.of("Origin", origin, "Sec-Fetch-Site", "cross-site",
                        SecurityFilter.TOKEN_HEADER, token, "Content-Type", "application/json"),
                "a form post", Map.of("Origin", origin, SecurityFilter.TOKEN_HEADER, token,
                        "Content-Type", "application/x-www-form-urlencoded"));
        for (Map.Entry<String, Map<String, String>> attempt : attempts.entrySet()) {
            Response refused = send("POST", "/api/connect/connectors", attempt.getValue(), "{\"name\":\"x\"}");
            assertThat(refused.status).as(attempt.getKey()).isEqualTo(403);
            assertThat(refused.body).as(attempt.getKey()).startsWith("{\"message\":\"Refused");
        }
        assertThat(forwarded).isEmpty();
    }

    @Test
    void anotherHostNameIsRefusedEvenForReadsAgainstDnsRebinding() throws IOException {
        Response rebound = send("GET", "/api/connect/connectors", Map.of("Host", "evil.example:" + server.port()),
                null);
        assertThat(rebound.status).isEqualTo(403);
        assertThat(rebound.body).contains("answers only at");
        assertThat(send("GET", "/", Map.of("Host", "localhost:" + server.port()), null).status).isEqualTo(200);
        assertThat(forwarded).isEmpty();
    }

    @Test
    void otherMethodsUnknownPathsAndLargeBodiesGetAMessageNeverATrace() throws IOException {
        String token = token(send("GET", "/", Map.of(), null).body);
        assertThat(send("TRACE", "/", Map.of(), null).status).isEqualTo(405);
        assertThat(send("GET", "/api/nothing", Map.of(), null).body).contains("No such console endpoint");
        assertThat(send("GET", "/static/../../etc/passwd", Map.of(), null).status).isEqualTo(404);
        Response large = send("PUT", "/api/connect/connectors/x/config", Map.of("Origin", origin,
                SecurityFilter.TOKEN_HEADER, token, "Content-Type", "application/json"),
                "{\"v\":\"" + "x".repeat(HttpResponses.MAX_BODY_BYTES) + "\"}");
        assertThat(large.status).isEqualTo(413);
        assertThat(large.body).contains("larger than 1024 KiB");
    }

    private record Response(int status, String headers, String body) {
    }

    private static String token(String page) {
        Matcher m = Pattern.compile("name=\"console-token\" content=\"([^\"]+)\"").matcher(page);
        return m.find() ? m.group(1) : "";
    }

    private Response send(String method, String path, Map<String, String> headers, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            if (!headers.containsKey("Host")) {
                request.append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
            }
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            request.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // the server answered (413) before reading everything
            }
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            String head = response.substring(0, end);
            String rest = response.substring(end + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                rest = dechunk(rest);
            }
            return new Response(Integer.parseInt(head.split(" ")[1]), head, rest);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
