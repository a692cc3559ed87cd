package io.github.csvsampling.connect.csv;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * The CSV file cannot be used with the given configuration. Carries the configuration key to fix,
 * so {@code validate()} can show the message on that key's field in Connect UIs, and the message
 * names the file, the line where relevant, what is wrong and how to fix it.
 */
public final class DatasetException extends ConnectException {

    private static final long serialVersionUID = 1L;

    private final String configKey;

    public DatasetException(String configKey, String message) {
        super(message);
        this.configKey = configKey;
    }

    public DatasetException(String configKey, String message, Throwable cause) {
        super(message, cause);
        this.configKey = configKey;
    }

    /** The configuration key whose value (or whose file) is at fault. */
    public String configKey() {
        return configKey;
    }
}
