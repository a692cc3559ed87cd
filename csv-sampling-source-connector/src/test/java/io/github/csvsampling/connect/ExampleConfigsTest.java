package io.github.csvsampling.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every source connector config shipped in {@code connect-configs/} parses and passes the
 * connector's own {@code validate()}: examples that users copy must not rot.
 */
class ExampleConfigsTest {

    private static final Path CONFIGS = Path.of("..", "connect-configs");

    @TestFactory
    Stream<DynamicTest> shippedSourceConfigsAreValid() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(CONFIGS)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<DynamicTest> tests = files.stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)))
                .toList();
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    private static void check(Path file) throws IOException {
        JsonNode body = new ObjectMapper().readTree(file.toFile());
        JsonNode config = body.has("config") ? body.get("config") : body;
        if (!CsvSamplingSourceConnector.class.getName().equals(config.path("connector.class").asText())) {
            return;
        }
        if (body.has("config")) {
            assertThat(body.path("name").asText()).as("a POST body names the connector").isNotBlank();
        }
        Map<String, String> props = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> {
            assertThat(e.getValue().isTextual()).as("%s: %s is a string, as Connect expects", file, e.getKey()).isTrue();
            props.put(e.getKey(), e.getValue().asText());
        });
        List<ConfigValue> values = new CsvSamplingSourceConnector().validate(props).configValues();
        for (ConfigValue value : values) {
            assertThat(value.errorMessages()).as("%s: %s", file, value.name()).isEmpty();
        }
    }
}
