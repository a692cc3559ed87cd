package io.github.csvsampling.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event stream over a real HTTP connection: snapshot first, then published events, and its bounds. */
class SseHubTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aPageGetsTheSnapshotThenEveryPublishedEvent() throws Exception {
        SseHub hub = new SseHub(2, 16, 60_000, () -> List.of(new SseHub.Event("info", "{\"a\":1}")));
        HttpURLConnection page = open(hub);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(page.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(page.getContentType()).startsWith("text/event-stream");
            assertThat(readEvent(in)).containsExactly("event: info", "data: {\"a\":1}");
            awaitClients(hub, 1);
            hub.publish("stream", "{\"records\":5}");
            assertThat(readEvent(in)).containsExactly("event: stream", "data: {\"records\":5}");
        }
        hub.close();
    }

    @Test
    void aPageThatFallsBehindIsDisconnectedInsteadOfBufferedWithoutBound() throws Exception {
        SseHub hub = new SseHub(2, 4, 60_000, List::of);
        HttpURLConnection page = open(hub);
        page.getInputStream(); // connected, but reads nothing more
        awaitClients(hub, 1);
        for (int i = 0; i < 100_000 && hub.clients() > 0; i++) {
            hub.publish("stream", "{\"n\":" + i + ",\"padding\":\"" + "x".repeat(1000) + "\"}");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (hub.clients() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(hub.clients()).isZero();
        hub.close();
    }

    @Test
    void moreThanMaxClientsGet503AndEventsAreOneLine() throws Exception {
        SseHub hub = new SseHub(1, 4, 60_000, List::of);
        HttpURLConnection first = open(hub);
        first.getInputStream();
        awaitClients(hub, 1);
        HttpURLConnection second = open(hub);
        assertThat(second.getResponseCode()).isEqualTo(503);
        assertThatThrownBy(() -> new SseHub.Event("x", "a\nb")).isInstanceOf(IllegalArgumentException.class);
        hub.close();
    }

    private HttpURLConnection open(SseHub hub) throws Exception {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/events", hub::serve);
            server.start();
        }
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setReadTimeout(10_000);
        return connection;
    }

    private static List<String> readEvent(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (!lines.isEmpty()) {
                    return lines;
                }
            } else if (!line.startsWith("retry:") && !line.startsWith(":")) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static void awaitClients(SseHub hub, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (hub.clients() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
