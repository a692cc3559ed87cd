package io.github.csvsampling.console;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;

/**
 * Server-Sent Events to every open page: one stream per page, so that rates, quotes, states and lake figures are
 * pushed as they change instead of each chart polling.
 *
 * <p>A page that connects first gets a snapshot (the {@code snapshot} supplier: the current state of every section),
 * then every event {@linkplain #publish published} after. Each client has a bounded queue: a page that cannot keep
 * up (queue full) is disconnected, and its {@code EventSource} reconnects and starts again from a fresh snapshot,
 * so a stalled tab never makes the server buffer without bound. The number of clients is capped too. A comment line
 * every {@code heartbeatMillis} finds closed connections.
 */
final class SseHub {

    /** One event: its name (the page's listener) and its data, one line of JSON. */
    record Event(String name, String data) {

        Event {
            Objects.requireNonNull(name);
            if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("SSE data must be one line");
            }
        }

        byte[] bytes() {
            return ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final Event DISCONNECT = new Event("-", "");
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private final int maxClients;
    private final int queueCapacity;
    private final long heartbeatMillis;
    private final Supplier<List<Event>> snapshot;
    private final List<BlockingQueue<Event>> clients = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * @param maxClients    pages served at once; more get 503
     * @param queueCapacity events queued per page before it is disconnected
     * @param snapshot      what a page gets first
     */
    SseHub(int maxClients, int queueCapacity, long heartbeatMillis, Supplier<List<Event>> snapshot) {
        this.maxClients = maxClients;
        this.queueCapacity = queueCapacity;
        this.heartbeatMillis = heartbeatMillis;
        this.snapshot = snapshot;
    }

    /** Sends an event to every page. Never blocks: a page whose queue is full is disconnected. */
    void publish(String name, String data) {
        Event event = new Event(name, data);
        for (BlockingQueue<Event> queue : clients) {
            if (!queue.offer(event)) {
                queue.clear();
                queue.offer(DISCONNECT);
            }
        }
    }

    /** Pages connected now. */
    int clients() {
        return clients.size();
    }

    /**
     * Serves one page until it goes away or the hub closes; blocks the calling thread (one of the server's pool).
     */
    void serve(HttpExchange exchange) throws IOException {
        if (closed || clients.size() >= maxClients) {
            HttpResponses.json(exchange, 503, HttpResponses.message("Too many open console pages ("
                    + maxClients + "); close some tabs."));
            return;
        }
        BlockingQueue<Event> queue = new ArrayBlockingQueue<>(queueCapacity);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        clients.add(queue);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII));
            for (Event event : snapshot.get()) {
                out.write(event.bytes());
            }
            out.flush();
            while (!closed) {
                Event event = queue.poll(heartbeatMillis, TimeUnit.MILLISECONDS);
                if (event == DISCONNECT) {
                    return;
                }
                out.write(event == null ? HEARTBEAT : event.bytes());
                // Drain what else is queued before flushing: one write for a burst of events.
                for (Event next = queue.poll(); next != null; next = queue.poll()) {
                    if (next == DISCONNECT) {
                        return;
                    }
                    out.write(next.bytes());
                }
                out.flush();
            }
        } catch (IOException e) {
            // the page went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(queue);
            exchange.close();
        }
    }

    /** Disconnects every page. */
    void close() {
        closed = true;
        for (BlockingQueue<Event> queue : clients) {
            queue.clear();
            queue.offer(DISCONNECT);
        }
    }
}
