package io.github.csvsampling.connect.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.github.csvsampling.stack.ConnectRestException;

/**
 * Retries the Connect REST answers that Connect itself calls transient, as an operator's script does, and keeps what
 * it retried so that tests report it:
 * <ul>
 * <li>500 "IO Error trying to forward REST request": the worker forwards the request to the group's leader, which
 * is gone; the group elects a new one after {@code session.timeout.ms};</li>
 * <li>500 "... this may be due to a transient error and the request can be safely retried": the leader could not
 * write to the config topic (seen once in a few runs on a Kafka 4.4.0 worker against a 4.1.2 broker, right after
 * the worker restarted: its transactional config-topic producer answered {@code InvalidTxnStateException}).</li>
 * </ul>
 * Rebalance conflicts (409) are already retried by {@code ConnectRestClient}.
 */
final class TransientRestErrors {

    private static final List<String> RETRIED = new CopyOnWriteArrayList<>();

    private TransientRestErrors() {
    }

    /** Calls {@code request} until it succeeds, retrying the transient errors above for up to {@code timeout}. */
    static <T> T retry(Supplier<T> request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return request.get();
            } catch (ConnectRestException e) {
                boolean transientError = e.status() == 500 && (e.getMessage().contains("trying to forward REST request")
                        || e.getMessage().contains("can be safely retried"));
                if (!transientError || System.nanoTime() > deadline) {
                    throw e;
                }
                RETRIED.add(e.getMessage());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The messages of the errors retried so far, and forgets them. */
    static List<String> drain() {
        List<String> retried = List.copyOf(RETRIED);
        RETRIED.removeAll(retried);
        return retried;
    }
}
