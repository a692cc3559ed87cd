package io.github.csvsampling.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The version of the Kafka client library on the class path, read from the file every
 * {@code kafka-clients} jar carries ({@code kafka/kafka-version.properties}) rather than from a
 * class of Kafka's internals, which move between releases.
 */
public final class KafkaVersion {

    private KafkaVersion() {
    }

    /** For example {@code 4.4.0}. */
    public static String current() {
        try (InputStream in = KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("kafka-clients has no kafka/kafka-version.properties");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
