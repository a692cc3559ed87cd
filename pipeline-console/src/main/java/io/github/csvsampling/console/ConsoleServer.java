package io.github.csvsampling.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP server: the JDK's {@link HttpServer} (no framework, nothing beyond what the JVM has), every
 * request through the {@link SecurityFilter}, then one of: the page (with its session token), its CSS and ES
 * modules, the charting library from its WebJar, the event stream, the lake's query results, SQL typed on the page,
 * or the {@link ConnectProxy}. A handler that fails answers 500 with a message and logs the exception: the page never
 * gets a stack trace.
 */
final class ConsoleServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
    private static final String WEB = "/io/github/csvsampling/console/web/";
    private static final String UPLOT = uplotFolder();
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png");

    /** What the server serves from the console's parts. */
    interface Api {
        void events(HttpExchange exchange) throws IOException;

        String info();

        String queries();

        void runQueries();

        ConnectProxy.Answer sql(String text);

        ConnectProxy.Answer connect(String method, String rawPath, String rawQuery, byte[] body);
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final SecurityFilter security;
    private final Api api;
    private final String page;

    /** Binds now (so that the port is known and a port in use fails here), serves after {@link #start()}. */
    ConsoleServer(InetSocketAddress address, int threads, java.util.function.Function<Integer, SecurityFilter> filter,
                  Api api) throws IOException {
        this.server = HttpServer.create(address, 64);
        this.security = filter.apply(server.getAddress().getPort());
        this.api = api;
        this.page = resource(WEB + "index.html");
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "console-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle).getFilters().add(security);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void start() {
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (HttpResponses.Refused e) {
            HttpResponses.json(exchange, e.status, HttpResponses.message(e.getMessage()));
        } catch (IOException e) {
            exchange.close(); // the browser went away
        } catch (RuntimeException | Error e) {
            log.error("The console failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            HttpResponses.json(exchange, 500, HttpResponses.message("The console failed on this request ("
                    + e.getClass().getSimpleName() + "); its log has the details."));
        }
    }

    private void route(HttpExchange exchange) throws IOException, HttpResponses.Refused {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.startsWith("/api/connect/") || path.equals("/api/connect")) {
            byte[] body = read ? new byte[0] : HttpResponses.body(exchange);
            ConnectProxy.Answer answer = api.connect(method, path.substring("/api/connect".length()),
                    uri.getRawQuery(), body);
            HttpResponses.json(exchange, answer.status(), answer.json());
        } else if (path.equals("/api/events") && read) {
            api.events(exchange);
        } else if (path.equals("/api/info") && read) {
            HttpResponses.json(exchange, 200, api.info());
        } else if (path.equals("/api/lake/queries") && read) {
            HttpResponses.json(exchange, 200, api.queries());
        } else if (path.equals("/api/lake/queries/run") && method.equals("POST")) {
            api.runQueries();
            HttpResponses.json(exchange, 202, HttpResponses.message("The queries run within a few seconds."));
        } else if (path.equals("/api/lake/sql") && method.equals("POST")) {
            JsonNode request = HttpResponses.objectBody(HttpResponses.body(exchange));
            ConnectProxy.Answer answer = api.sql(request.path("sql").asText(null));
            HttpResponses.json(exchange, answer.status(), answer.json());
        } else if (path.startsWith("/api/")) {
            throw new HttpResponses.Refused(404, "No such console endpoint: " + method + " " + path);
        } else if (!read) {
            throw new HttpResponses.Refused(405, "Method " + method + " is not allowed on " + path);
        } else if (path.equals("/") || path.equals("/index.html")) {
            String html = page.replace("__CONSOLE_TOKEN__", security.newSession());
            HttpResponses.send(exchange, 200, TYPES.get("html"), html.getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/favicon.ico")) {
            file(exchange, WEB + "favicon.svg", "public, max-age=86400");
        } else if (path.startsWith("/vendor/uplot/") && UPLOT != null) {
            file(exchange, UPLOT + path.substring("/vendor/uplot/".length()), "public, max-age=86400");
        } else if (path.startsWith("/static/")) {
            file(exchange, WEB + path.substring("/static/".length()), "no-cache");
        } else {
            HttpResponses.send(exchange, 404, "text/plain; charset=utf-8",
                    "Not found. The console is at /".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A file of the class path, if its name is plain ({@code a-z0-9._-} and folders) and its type is known. */
    private static void file(HttpExchange exchange, String resource, String cache) throws IOException {
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null || !resource.matches("[/A-Za-z0-9._-]+") || resource.contains("..")) {
            HttpResponses.send(exchange, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = ConsoleServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                HttpResponses.send(exchange, 404, "text/plain; charset=utf-8",
                        "Not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().set("Cache-Control", cache);
            HttpResponses.send(exchange, 200, type, in.readAllBytes());
        }
    }

    static String resource(String name) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + name + " in the console's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The WebJar's folder of uPlot's files, by the version its pom.properties names (so no version in code). */
    private static String uplotFolder() {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties props = new Properties();
            props.load(in);
            return "/META-INF/resources/webjars/uplot/" + props.getProperty("version") + "/dist/";
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
