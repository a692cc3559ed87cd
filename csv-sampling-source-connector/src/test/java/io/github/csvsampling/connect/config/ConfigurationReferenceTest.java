package io.github.csvsampling.connect.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference, docs/configuration.md, is generated from {@link CsvSamplingSourceConfig#CONFIG_DEF}
 * and must match it, so it cannot drift from the code. Regenerate it with
 * {@code ./mvnw -pl csv-sampling-source-connector -am test -Dtest=ConfigurationReferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dreference.update=true}.
 */
class ConfigurationReferenceTest {

    static final String START = "<!-- configuration-reference:start (generated from CsvSamplingSourceConfig; do not edit) -->";
    static final String END = "<!-- configuration-reference:end -->";
    private static final Path README = Path.of("..", "docs", "configuration.md");

    @Test
    void readmeReferenceMatchesConfigDef() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("docs/configuration.md has the marker %s", START).isNotNegative();
        assertThat(end).as("docs/configuration.md has the marker %s", END).isGreaterThan(start);
        String expected = START + "\n" + markdown(CsvSamplingSourceConfig.CONFIG_DEF) + END;
        String actual = readme.substring(start, end + END.length());
        if (Boolean.getBoolean("reference.update") && !actual.equals(expected)) {
            Files.writeString(README, readme.substring(0, start) + expected + readme.substring(end + END.length()),
                    StandardCharsets.UTF_8);
            actual = expected;
        }
        assertThat(actual)
                .as("The configuration reference in docs/configuration.md is stale. Regenerate it with: ./mvnw -pl"
                        + " csv-sampling-source-connector -am test -Dtest=ConfigurationReferenceTest"
                        + " -Dsurefire.failIfNoSpecifiedTests=false -Dreference.update=true")
                .isEqualTo(expected);
    }

    /** One section per group: a summary table, then each key's documentation. */
    static String markdown(ConfigDef def) {
        StringBuilder out = new StringBuilder();
        for (String group : def.groups()) {
            List<ConfigKey> keys = def.configKeys().values().stream()
                    .filter(k -> group.equals(k.group))
                    .sorted(Comparator.comparingInt(k -> k.orderInGroup))
                    .collect(Collectors.toList());
            out.append("\n#### ").append(group).append("\n\n");
            out.append("| Key | Type | Default | Valid values | Importance |\n");
            out.append("|---|---|---|---|---|\n");
            for (ConfigKey key : keys) {
                out.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(defaultValue(key)).append(" | ")
                        .append(key.validator == null ? "" : prose(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase(Locale.ROOT)).append(" |\n");
            }
            out.append('\n');
            for (ConfigKey key : keys) {
                out.append("- **`").append(key.name).append("`** (").append(key.displayName).append("): ")
                        .append(prose(key.documentation)).append('\n');
            }
        }
        out.append('\n');
        return out.toString();
    }

    private static String defaultValue(ConfigKey key) {
        if (!key.hasDefault()) {
            return "*required*";
        }
        if (key.defaultValue == null) {
            return "*none*";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text.isEmpty() ? "\"\"" : "`" + escape(text) + "`";
    }

    /** Text for a code span in a table cell. */
    private static String escape(String text) {
        return text.replace("|", "\\|");
    }

    /**
     * Text outside code spans, shown as written: Markdown would take a backslash before punctuation as an escape
     * (the JSON {@code "\\t"} would show as {@code "\t"}).
     */
    private static String prose(String text) {
        return escape(text.replace("\\", "\\\\"));
    }
}
