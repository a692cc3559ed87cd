package io.github.csvsampling.pipeline.local;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM as an orderly stop. The JVM's default turns them into a shutdown in
 * which every shutdown hook runs at once (Connect's own among them), so the tasks stopped before the
 * job said so and the exit code was 130. Instead the first signal counts the stop latch down: the
 * job stops the connectors, the worker, the S3 server and Kafka in that order and exits with 0. A
 * second signal, for a stop that hangs, ends the JVM at once with the usual 128 + signal number.
 */
final class StopSignals {

    private StopSignals() {
    }

    static void install(CountDownLatch stop) {
        AtomicInteger received = new AtomicInteger();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (received.incrementAndGet() == 1) {
                        stop.countDown();
                    } else {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                });
            } catch (IllegalArgumentException e) {
                // a platform without this signal: its default stays
            }
        }
    }
}
