package io.github.csvsampling.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.csv.CsvDialect;
import io.github.csvsampling.connect.schema.ColumnType;
import io.github.csvsampling.connect.schema.FieldNaming;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsvSamplingSourceConfigTest {

    private static final Set<String> OPTION_KEYS = Set.of("field.names", "sampling.mode", "date.output",
            "csv.change.policy", "csv.malformed.rows", "replay.pacing", "replay.end");

    private static Map<String, String> props(String... keysAndValues) {
        Map<String, String> props = new HashMap<>();
        props.put("topic", "prices");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return props;
    }

    private static CsvSamplingSourceConfig config(String... keysAndValues) {
        return new CsvSamplingSourceConfig(props(keysAndValues));
    }

    private static ConfigKey key(String name) {
        return CsvSamplingSourceConfig.CONFIG_DEF.configKeys().get(name);
    }

    @Test
    void everyKeyIsDocumentedForUisAndTheReference() {
        Map<String, ConfigKey> keys = CsvSamplingSourceConfig.CONFIG_DEF.configKeys();
        assertThat(keys).hasSizeGreaterThan(20);
        for (ConfigKey key : keys.values()) {
            assertThat(key.documentation).as("documentation of %s", key.name).isNotBlank().endsWith(".");
            assertThat(key.group).as("group of %s", key.name).isNotBlank();
            assertThat(key.orderInGroup).as("order in group of %s", key.name).isPositive();
            assertThat(key.displayName).as("display name of %s", key.name).isNotBlank().isNotEqualTo(key.name);
            assertThat(key.width).as("width of %s", key.name).isNotEqualTo(ConfigDef.Width.NONE);
            assertThat(key.importance).as("importance of %s", key.name).isNotNull();
            if (key.validator != null) {
                assertThat(key.validator.toString()).as("validator description of %s", key.name)
                        .isNotBlank()
                        .doesNotContain("$$Lambda")
                        .doesNotContain("@");
            }
        }
    }

    @Test
    void ordersInEachGroupRunFromOneWithoutGapsOrDuplicates() {
        Map<String, List<Integer>> orders = CsvSamplingSourceConfig.CONFIG_DEF.configKeys().values().stream()
                .collect(Collectors.groupingBy(k -> k.group,
                        Collectors.mapping(k -> k.orderInGroup, Collectors.toList())));
        assertThat(orders.keySet()).containsExactlyInAnyOrder(CsvSamplingSourceConfig.GROUP_DESTINATION,
                CsvSamplingSourceConfig.GROUP_RATE, CsvSamplingSourceConfig.GROUP_FILE,
                CsvSamplingSourceConfig.GROUP_TYPES, CsvSamplingSourceConfig.GROUP_TIMESTAMP,
                CsvSamplingSourceConfig.GROUP_REPLAY);
        orders.forEach((group, list) -> {
            List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, list.size()).boxed().toList();
            assertThat(new TreeSet<>(list)).as("orders in %s", group).containsExactlyElementsOf(expected);
        });
    }

    @Test
    void optionKeysRecommendTheirValuesAndDocumentEachOfThem() {
        for (String name : OPTION_KEYS) {
            ConfigKey key = key(name);
            assertThat(key.recommender).as("recommender of %s", name).isNotNull();
            List<Object> values = key.recommender.validValues(name, Map.of());
            assertThat(values).as("values of %s", name).isNotEmpty();
            assertThat(key.recommender.visible(name, Map.of())).isTrue();
            for (Object value : values) {
                assertThat(key.documentation).as("documentation of %s", name).contains(value + ":");
                assertThat(key.validator.toString()).contains(value.toString());
            }
            assertThat(values).as("the default of %s is recommended", name).contains(key.defaultValue);
        }
        assertThat(key("field.names").recommender.validValues("field.names", Map.of()))
                .containsExactly("original", "snake_case");
        assertThat(key("date.output").recommender.validValues("date.output", Map.of()))
                .containsExactly("string", "logical");
        assertThat(key("sampling.mode").recommender.validValues("sampling.mode", Map.of()))
                .containsExactly("random", "shuffle", "sequential", "replay");
        assertThat(key("replay.pacing").recommender.validValues("replay.pacing", Map.of()))
                .containsExactly("steps", "time");
        assertThat(key("replay.end").recommender.validValues("replay.end", Map.of()))
                .containsExactly("loop", "stop");
        assertThat(key("csv.change.policy").recommender.validValues("csv.change.policy", Map.of()))
                .containsExactly("restart", "fail");
    }

    @Test
    void everyKeyValidatedAgainstAFixedListHasARecommender() {
        // Validators.oneOf describes itself as the list of its values, such as "original, snake_case".
        List<String> listed = CsvSamplingSourceConfig.CONFIG_DEF.configKeys().values().stream()
                .filter(k -> k.validator != null && k.validator.toString().matches("[a-z0-9_]+(, [a-z0-9_]+)*"))
                .map(k -> k.name)
                .toList();

        assertThat(listed).containsExactlyInAnyOrderElementsOf(OPTION_KEYS);
        for (String name : listed) {
            assertThat(key(name).recommender.validValues(name, Map.of()))
                    .as("recommended values of %s", name)
                    .containsExactlyElementsOf(List.of(key(name).validator.toString().split(", ")));
        }
    }

    @Test
    void recommendedValuesPassTheirValidatorsInAnyCase() {
        for (ConfigKey key : CsvSamplingSourceConfig.CONFIG_DEF.configKeys().values()) {
            if (key.recommender == null) {
                continue;
            }
            for (Object value : key.recommender.validValues(key.name, Map.of())) {
                key.validator.ensureValid(key.name, value);
                key.validator.ensureValid(key.name, value.toString().toUpperCase(java.util.Locale.ROOT));
            }
        }
    }

    @Test
    void validationOffersTheRecommendedValues() {
        Map<String, ConfigValue> values = CsvSamplingSourceConfig.CONFIG_DEF.validate(props()).stream()
                .collect(Collectors.toMap(ConfigValue::name, v -> v));

        assertThat(values.get("field.names").recommendedValues()).containsExactly("original", "snake_case");
        assertThat(values.values()).allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @Test
    void defaults() {
        CsvSamplingSourceConfig config = config();

        assertThat(config.topic()).isEqualTo("prices");
        assertThat(config.csvPath()).isEmpty();
        assertThat(config.recordsPerSecond()).isEqualTo(1.0);
        assertThat(config.samplingMode()).isEqualTo(SamplingMode.RANDOM);
        assertThat(config.randomSeed()).isEmpty();
        assertThat(config.maxRecords()).isZero();
        assertThat(config.batchSize()).isEqualTo(1000);
        assertThat(config.maxCatchUpMillis()).isEqualTo(1000);
        assertThat(config.keyColumn()).isEmpty();
        assertThat(config.fieldNaming()).isEqualTo(FieldNaming.ORIGINAL);
        assertThat(config.schemaName()).isEqualTo("io.github.csvsampling.CsvRow");
        assertThat(config.dialect()).isEqualTo(new CsvDialect(',', '"', CsvDialect.NO_ESCAPE, true, 0,
                StandardCharsets.UTF_8, 1 << 20));
        assertThat(config.nullValues()).containsExactly("", "null");
        assertThat(config.columnTypes()).isEmpty();
        assertThat(config.timezone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(config.timestampColumn()).isEmpty();
        assertThat(config.timestampColumnFormat().pattern()).isEqualTo("yyyy-MM-dd");
    }

    @Test
    void theTopicIsRequired() {
        Map<String, String> props = props();
        props.remove("topic");

        assertThatThrownBy(() -> new CsvSamplingSourceConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic");
    }

    @Test
    void optionKeysAreCaseInsensitive() {
        CsvSamplingSourceConfig config = config("sampling.mode", "RANDOM", "field.names", "Snake_Case",
                "date.output", "LOGICAL");

        assertThat(config.samplingMode()).isEqualTo(SamplingMode.RANDOM);
        assertThat(config.fieldNaming()).isEqualTo(FieldNaming.SNAKE_CASE);
        assertThat(config.valueTyping().schema(ColumnType.DATE).name())
                .isEqualTo(org.apache.kafka.connect.data.Date.LOGICAL_NAME);
    }

    @Test
    void optionKeysToleratePaddingAsTheConnectRestApiMayPassIt() {
        assertThat(config("field.names", " snake_case ").fieldNaming()).isEqualTo(FieldNaming.SNAKE_CASE);
    }

    @ParameterizedTest
    @CsvSource({
            "field.names, camelCase, 'original, snake_case'",
            "sampling.mode, stratified, 'random, shuffle, sequential, replay'",
            "replay.pacing, ticks, 'steps, time'",
            "date.output, epoch, 'string, logical'",
    })
    void unknownOptionsNameTheKeyTheValueAndTheValidValues(String key, String value, String valid) {
        assertThatThrownBy(() -> config(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(value)
                .hasMessageContaining("Valid values are " + valid);
    }

    @Test
    void dialect() {
        CsvDialect dialect = config("csv.separator", "\\t", "csv.quote", "'", "csv.escape", "\\", "csv.header",
                "false", "csv.skip.lines", "3", "csv.charset", "ISO-8859-1", "csv.row.max.bytes", "4096").dialect();

        assertThat(dialect).isEqualTo(new CsvDialect('\t', '\'', '\\', false, 3, StandardCharsets.ISO_8859_1, 4096));
    }

    @Test
    void whitespaceSeparatorsAreWrittenAsNames() {
        assertThat(config("csv.separator", "tab").dialect().separator()).isEqualTo('\t');
        assertThat(config("csv.separator", " Tab ").dialect().separator()).isEqualTo('\t');
        assertThat(config("csv.separator", "\\t").dialect().separator()).isEqualTo('\t');
        assertThat(config("csv.separator", "space").dialect().separator()).isEqualTo(' ');
        assertThat(config("csv.separator", "\\s").dialect().separator()).isEqualTo(' ');
    }

    /**
     * What the whitespace handling rests on: Kafka's {@link ConfigDef} (4.1 here; 3.6 behaves the same) trims
     * STRING values, and trims and splits LIST values on commas with the whitespace around them. If a Kafka
     * version stops doing so, this fails, and the names and messages about trimming need another look.
     */
    @Test
    void kafkaTrimsWhitespaceValuesAndListItems() {
        assertThat(ConfigDef.parseType("k", "\t", ConfigDef.Type.STRING)).isEqualTo("");
        assertThat(ConfigDef.parseType("k", " ; ", ConfigDef.Type.STRING)).isEqualTo(";");
        assertThat(ConfigDef.parseType("k", " ", ConfigDef.Type.LIST)).isEqualTo(List.of());
        assertThat(ConfigDef.parseType("k", "NA, ,\tnull ", ConfigDef.Type.LIST)).isEqualTo(List.of("NA", "", "null"));

        Map<String, ConfigValue> values = CsvSamplingSourceConfig.CONFIG_DEF.validate(props("csv.separator", "\t"))
                .stream().collect(Collectors.toMap(ConfigValue::name, v -> v));
        assertThat(values.get("csv.separator").value()).as("the value the validator sees").isEqualTo("");
        assertThat(values.get("csv.separator").errorMessages()).singleElement().asString()
                .startsWith("csv.separator is empty. Kafka Connect trims");
    }

    @Test
    void aTabSeparatorWrittenAsItselfIsRefusedWithTheWayToWriteIt() {
        assertThatThrownBy(() -> config("csv.separator", "\t"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"csv.separator\": \"tab\"");
        assertThatThrownBy(() -> config("csv.quote", " "))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("csv.quote is empty. Kafka Connect trims");
    }

    @Test
    void nullValuesOfWhitespaceAreWrittenAsEscapes() {
        assertThat(config("csv.null.values", ",\\s,\\t,\\s\\s,N\\sA,\\N").nullValues())
                .containsExactly("", " ", "\t", "  ", "N A", "\\N");
    }

    @Test
    void whitespaceThatTrimmingWouldTurnIntoAnotherSettingIsFoundInTheValuesAsWritten() {
        assertThat(CsvSamplingSourceConfig.whitespaceLostToTrimming(props())).isEmpty();
        assertThat(CsvSamplingSourceConfig.whitespaceLostToTrimming(props("csv.null.values", ",NA, null",
                "csv.escape", "", "csv.separator", "\t"))).as("nothing lost: a leading space, an empty item")
                .isEmpty();

        Map<String, String> errors = CsvSamplingSourceConfig.whitespaceLostToTrimming(props(
                "csv.null.values", "NA, ,\t", "csv.escape", "\t"));

        assertThat(errors).containsOnlyKeys("csv.null.values", "csv.escape");
        assertThat(errors.get("csv.null.values"))
                .startsWith("csv.null.values has an item of only whitespace, which would match empty fields instead."
                        + " Kafka Connect trims")
                .contains("Write a space as \\s and a tab as \\t: NA,\\s,\\t (in JSON \"csv.null.values\":"
                        + " \"NA,\\\\s,\\\\t\")");
        assertThat(errors.get("csv.escape")).startsWith("csv.escape is only whitespace. Kafka Connect trims")
                .contains("which means no escape character");
        assertThat(CsvSamplingSourceConfig.whitespaceLostToTrimming(props("csv.null.values", " ")))
                .as("a value of only whitespace would mean no null values at all")
                .extractingByKey("csv.null.values").asString().contains(": \\s (in JSON");
    }

    @Test
    void columnTypesKeepTheirOrderAndAllowColonsAndSpacesInNames() {
        Map<String, ColumnType> types = config("column.types", "Volume:float64, Adj Close : STRING,a:b:int64")
                .columnTypes();

        assertThat(types).containsExactly(Map.entry("Volume", ColumnType.FLOAT64),
                Map.entry("Adj Close", ColumnType.STRING), Map.entry("a:b", ColumnType.INT64));
    }

    @Test
    void csvPath() {
        assertThat(config("csv.path", "/data/indexProcessed.csv").csvPath())
                .contains(Path.of("/data/indexProcessed.csv"));
        assertThat(config("csv.path", "  ").csvPath()).isEmpty();
        assertThat(config("csv.path", " /data/x.csv ").csvPath()).contains(Path.of("/data/x.csv"));
    }

    @Test
    void seedKeyAndTimestampColumn() {
        CsvSamplingSourceConfig config = config("random.seed", "-42", "key.column", " Index ",
                "timestamp.column", "Date", "timestamp.column.format", "dd/MM/yyyy", "timezone", "Europe/Paris");

        assertThat(config.randomSeed()).contains(-42L);
        assertThat(config.keyColumn()).contains("Index");
        assertThat(config.timestampColumn()).contains("Date");
        assertThat(config.timestampColumnFormat().parseInstant("30/06/2021"))
                .isEqualTo(java.time.Instant.parse("2021-06-29T22:00:00Z"));
    }

    @Test
    void customNullValues() {
        assertThat(config("csv.null.values", ",NA,N/A").nullValues()).containsExactly("", "NA", "N/A");
        assertThat(config("csv.null.values", "NA").nullValues()).containsExactly("NA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-0.5", "NaN", "Infinity"})
    void ratesOutsideTheRangeAreRejected(String rate) {
        assertThatThrownBy(() -> config("records.per.second", rate))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("records.per.second")
                .hasMessageContaining(rate)
                .hasMessageContaining("greater than 0")
                .hasMessageContaining("0.2 means one record every 5 seconds");
    }

    @Test
    void ratesAboveTheMaximumAreRejected() {
        assertThatThrownBy(() -> config("records.per.second", "10000001"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("records.per.second")
                .hasMessageContaining("at most 10000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.2", "0.001", "1", "2500.5", "10000000"})
    void positiveRatesAndFractionsAreAccepted(String rate) {
        assertThat(config("records.per.second", rate).recordsPerSecond()).isEqualTo(Double.parseDouble(rate));
    }

    @ParameterizedTest
    @CsvSource({
            "max.records, -1",
            "batch.size, 0",
            "batch.size, 100001",
            "pacing.max.catchup.ms, -1",
            "pacing.max.catchup.ms, 3600001",
            "csv.skip.lines, -1",
            "csv.row.max.bytes, 63",
            "random.seed, abc",
            "csv.header, maybe",
    })
    void numbersOutsideTheirRangeAreRejected(String key, String value) {
        assertThatThrownBy(() -> config(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "topic|my topic",
            "schema.name|1row",
            "csv.separator|;;",
            "csv.quote|ab",
            "csv.charset|UTF-16",
            "date.format|yyyy-MM-dd'",
            "timestamp.format|{x}",
            "timestamp.column.format|bb",
            "timezone|Mars/Olympus",
            "column.types|Volume:int32",
    })
    void everyValidatedKeyRejectsABadValueByName(String key, String value) {
        assertThatThrownBy(() -> config(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(value);
    }
}
