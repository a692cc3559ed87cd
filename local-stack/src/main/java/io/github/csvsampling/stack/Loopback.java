package io.github.csvsampling.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback address and free-port helper shared by the local servers. */
final class Loopback {

    /** The only address the local stack binds to and advertises. */
    static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /**
     * Returns {@code port} if it is positive, otherwise a port that was free on {@link #HOST} a moment ago.
     * Used where Kafka needs the port before it binds (the static KRaft voter list names the controller port).
     */
    static int portOrFree(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (pick a free one) or 1-65535, was " + port);
        }
        if (port > 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }
}
