package io.github.csvsampling.stack;

import org.apache.kafka.common.utils.internals.Exit;

/**
 * Turns Kafka's {@link Exit#exit} and {@link Exit#halt} calls into exceptions while an in-JVM server runs.
 *
 * <p>Kafka and Connect call {@code Exit.exit}/{@code Exit.halt} on fatal errors (a Connect worker that fails to
 * start, a herder thread that dies, a broker fault handler). In a test JVM that would kill the Surefire fork
 * without a report; with the mask the calling thread gets an {@link IllegalStateException} instead, the error is
 * logged by Kafka, and the test fails with a readable message. This is the same approach as Kafka's own
 * {@code EmbeddedConnectCluster}. The mask is reference counted: it is installed while at least one server that
 * asked for it runs, and the default procedures are restored when the last one stops. Note that {@link Exit} is
 * JVM-global state (its setters are meant for tests): a procedure someone else installed meanwhile is replaced
 * by the JVM default ({@code System.exit}/{@code Runtime.halt}) on the last release.
 */
final class ExitMask {

    private static int holders;

    private ExitMask() {
    }

    static synchronized void acquire() {
        if (holders++ == 0) {
            Exit.setExitProcedure((code, message) -> {
                throw new IllegalStateException("Kafka called Exit.exit(" + code + ")" + suffix(message));
            });
            Exit.setHaltProcedure((code, message) -> {
                throw new IllegalStateException("Kafka called Exit.halt(" + code + ")" + suffix(message));
            });
        }
    }

    static synchronized void release() {
        if (holders == 0) {
            return;
        }
        if (--holders == 0) {
            // Exit.reset*Procedure() would install procedures that throw; restore the real JVM behaviour instead.
            Exit.setExitProcedure((code, message) -> System.exit(code));
            Exit.setHaltProcedure((code, message) -> Runtime.getRuntime().halt(code));
        }
    }

    private static String suffix(String message) {
        return message == null ? " (masked by the local stack)" : ": " + message + " (masked by the local stack)";
    }
}
