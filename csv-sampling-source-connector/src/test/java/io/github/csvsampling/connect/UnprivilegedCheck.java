package io.github.csvsampling.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;
import io.github.csvsampling.connect.csv.DatasetException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Runs {@code validate()} and a task's start for the connector settings given as {@code key=value}
 * arguments, and prints what each reported as tab-separated lines. {@link BadInputCorpusTest} runs
 * it in a child JVM as an unprivileged user when the tests run as root, who can read any file, so
 * that "no read permission" is checked as a worker's user meets it.
 */
public final class UnprivilegedCheck {

    private UnprivilegedCheck() {
    }

    public static void main(String[] args) {
        Map<String, String> props = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            props.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        Path file = Path.of(props.get(CsvSamplingSourceConfig.CSV_PATH));
        print("user", System.getProperty("user.name"));
        print("readable", Boolean.toString(Files.isReadable(file)));

        Map<String, String> errors = new java.util.TreeMap<>();
        for (ConfigValue value : new CsvSamplingSourceConnector().validate(props).configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), String.join(" | ", value.errorMessages()));
            }
        }
        print("validate.keys", String.join(",", errors.keySet()));
        errors.forEach((key, message) -> print("validate." + key, message));

        CsvSamplingSourceTask task = new CsvSamplingSourceTask();
        try {
            task.start(CsvSamplingSourceTaskConfig.forTask(props, 0, 1));
            print("task.class", "started");
        } catch (RuntimeException e) {
            print("task.class", e.getClass().getName());
            print("task.key", e instanceof DatasetException ? ((DatasetException) e).configKey() : "");
            print("task.message", e.getMessage());
        } finally {
            task.stop();
        }
    }

    private static void print(String name, String value) {
        System.out.println(name + "\t" + (value == null ? "" : value.lines().collect(Collectors.joining(" "))));
    }
}
