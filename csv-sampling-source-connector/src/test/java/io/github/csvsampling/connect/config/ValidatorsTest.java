package io.github.csvsampling.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.schema.DateOutput;
import io.github.csvsampling.connect.schema.FieldNaming;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidatorsTest {

    private static void assertValid(ConfigDef.Validator validator, Object value) {
        assertThatCode(() -> validator.ensureValid("some.key", value)).as("%s", value).doesNotThrowAnyException();
    }

    /** The message names the key and the value, as ConfigException(name, value, message) does. */
    private static void assertInvalid(ConfigDef.Validator validator, Object value, String... hints) {
        assertThatThrownBy(() -> validator.ensureValid("some.key", value))
                .as("%s", value)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("some.key")
                .hasMessageContaining("Invalid value " + value + " ")
                .hasMessageContaining(hints.length == 0 ? "" : hints[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"prices", "stock-prices", "stock_prices.v1", "A", "a.b-c_D9", "..a", "..."})
    void validTopicNames(String topic) {
        assertValid(Validators.topicName(), topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "my topic", "prices!", "prix€", "a/b", "a:b", ".", ".."})
    void invalidTopicNames(String topic) {
        assertInvalid(Validators.topicName(), topic, "topic name");
    }

    @Test
    void topicNamesAreLimitedTo249Characters() {
        assertValid(Validators.topicName(), "t".repeat(249));
        assertInvalid(Validators.topicName(), "t".repeat(250));
    }

    @Test
    void topicNamesFollowKafkasOwnRule() {
        for (String topic : List.of("prices", ".", "..", "...", "a.b", "", " ", "a b", "t".repeat(249),
                "t".repeat(250), "ä", "a|b", "__consumer_offsets", "a+b")) {
            boolean kafkaAccepts;
            try {
                Topic.validate(topic);
                kafkaAccepts = true;
            } catch (InvalidTopicException e) {
                kafkaAccepts = false;
            }
            boolean weAccept;
            try {
                Validators.topicName().ensureValid("topic", topic);
                weAccept = true;
            } catch (ConfigException e) {
                weAccept = false;
            }
            assertThat(weAccept).as("'%s' accepted", topic).isEqualTo(kafkaAccepts);
        }
    }

    @Test
    void aMissingTopicIsReportedOnceAsMissing() {
        // Required-ness is the ConfigDef's job; the validator must not add a second message for null.
        Map<String, ConfigValue> values = CsvSamplingSourceConfig.CONFIG_DEF.validate(Map.of()).stream()
                .collect(Collectors.toMap(ConfigValue::name, v -> v));

        assertThat(values.get("topic").errorMessages()).singleElement(InstanceOfAssertFactories.STRING)
                .contains("Missing required configuration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.github.csvsampling.CsvRow", "Row", "_Row", "com.example.Stock_Quote2", "a.b.c"})
    void validSchemaNames(String name) {
        assertValid(Validators.schemaFullName(), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1Row", "com.1example.Row", "a..b", "a.", ".a", "stock-quote", "stock quote",
            "Stück", "a$b"})
    void invalidSchemaNames(String name) {
        assertInvalid(Validators.schemaFullName(), name, "com.example.StockQuote");
    }

    @ParameterizedTest
    @ValueSource(strings = {",", ";", "|", "\\t", "\t", "'", "\"", "\\", "#"})
    void singleCharacters(String text) {
        assertValid(Validators.singleCharacter(false), text);
        assertValid(Validators.singleCharacter(true), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {";;", "ab", "\\n", "é", "€", "\n", "\r", "\\\\"})
    void notSingleAsciiCharacters(String text) {
        assertInvalid(Validators.singleCharacter(false), text, "one ASCII character");
        assertInvalid(Validators.singleCharacter(true), text, "one ASCII character");
    }

    @Test
    void emptyIsNoneOnlyWhereAllowed() {
        assertValid(Validators.singleCharacter(true), "");
        assertValid(Validators.singleCharacter(true), null);
        assertThatThrownBy(() -> Validators.singleCharacter(false).ensureValid("csv.quote", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("csv.quote is empty. Kafka Connect trims spaces, tabs and line breaks")
                .hasMessageContaining("cannot be whitespace");
        assertThat(Validators.singleCharacter(true).toString()).contains("empty for none");
        assertThat(Validators.singleCharacter(false).toString()).contains("\\t for tab").doesNotContain("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {",", ";", "|", "\\t", "tab", "TAB", "Tab", "space", "\\s", "#"})
    void separators(String text) {
        assertValid(Validators.separator(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {";;", "tabs", "\\n", "é", "\n", "\\S", "\\\\"})
    void notSeparators(String text) {
        assertInvalid(Validators.separator(), text, "one ASCII character; tab or \\t for a tab, space or \\s");
    }

    @Test
    void anEmptySeparatorIsExplainedAsConnectsTrimmingWithTheFixInJson() {
        assertThatThrownBy(() -> Validators.separator().ensureValid("csv.separator", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("csv.separator is empty. Kafka Connect trims spaces, tabs and line breaks"
                        + " from both ends of every configuration value")
                .hasMessageContaining("\"csv.separator\": \"tab\" (or \"\\\\t\") in JSON")
                .hasMessageContaining("csv.separator=tab in a properties file");
    }

    @Test
    void separatorCharacters() {
        assertThat(Validators.separatorCharacter("tab")).isEqualTo('\t');
        assertThat(Validators.separatorCharacter("Tab")).isEqualTo('\t');
        assertThat(Validators.separatorCharacter("\\t")).isEqualTo('\t');
        assertThat(Validators.separatorCharacter("space")).isEqualTo(' ');
        assertThat(Validators.separatorCharacter("\\s")).isEqualTo(' ');
        assertThat(Validators.separatorCharacter(";")).isEqualTo(';');
        assertThat(Validators.separatorCharacter("t")).isEqualTo('t');
        assertThat(Validators.separatorCharacter("tabs")).isNull();
    }

    @Test
    void theWordsAreNotQuotesOrEscapes() {
        assertInvalid(Validators.singleCharacter(false), "tab", "one ASCII character");
        assertInvalid(Validators.singleCharacter(true), "space", "one ASCII character");
    }

    @Test
    void whitespaceEscapesInNullValues() {
        assertThat(Validators.unescapeWhitespace("\\s")).isEqualTo(" ");
        assertThat(Validators.unescapeWhitespace("\\s\\s")).isEqualTo("  ");
        assertThat(Validators.unescapeWhitespace("\\t")).isEqualTo("\t");
        assertThat(Validators.unescapeWhitespace("N\\sA")).isEqualTo("N A");
        assertThat(Validators.unescapeWhitespace("\\N")).as("MySQL's null marker stays as written").isEqualTo("\\N");
        assertThat(Validators.unescapeWhitespace("NA")).isEqualTo("NA");
        assertThat(Validators.unescapeWhitespace("")).isEmpty();
    }

    @Test
    void unescapeCharacter() {
        assertThat(Validators.unescapeCharacter("\\t")).isEqualTo('\t');
        assertThat(Validators.unescapeCharacter(";")).isEqualTo(';');
        assertThat(Validators.unescapeCharacter("\\")).isEqualTo('\\');
        assertThat(Validators.unescapeCharacter("")).isNull();
        assertThat(Validators.unescapeCharacter("ab")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "utf-8", "UTF8", "ISO-8859-1", "iso-8859-15", "windows-1252", "US-ASCII",
            " UTF-8 "})
    void asciiCompatibleCharsets(String charset) {
        assertValid(Validators.asciiCompatibleCharset(), charset);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32"})
    void charsetsThatDoNotExtendAsciiAreRejected(String charset) {
        assertInvalid(Validators.asciiCompatibleCharset(), charset, "extend ASCII");
        assertThatThrownBy(() -> Validators.asciiCompatibleCharset().ensureValid("csv.charset", charset))
                .hasMessageContaining("iconv -f " + charset + " -t UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-9", "latin-42", "no such charset", ""})
    void unknownCharsetsAreRejected(String charset) {
        assertInvalid(Validators.asciiCompatibleCharset(), charset, "UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yyyy-MM-dd", "dd/MM/yyyy", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]",
            "uuuu-MM-dd", "yyyyMMdd", "d MMM yyyy"})
    void validTemporalPatterns(String pattern) {
        assertValid(Validators.temporalPattern(), pattern);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yyyy-MM-dd'", "{yyyy}", "yyyy-MM-dd#", "yyyy-MM-ddbb", "yyyy]"})
    void invalidTemporalPatterns(String pattern) {
        assertInvalid(Validators.temporalPattern(), pattern, "DateTimeFormatter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Paris", "America/New_York", "+02:00", "-05:30", "GMT", "UTC+1", " UTC "})
    void validZones(String zone) {
        assertValid(Validators.zoneId(), zone);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Mars/Olympus", "Europe/Pariss", "+25:00", "CEST"})
    void invalidZones(String zone) {
        assertInvalid(Validators.zoneId(), zone, "time-zone ID");
    }

    @Test
    void validColumnTypes() {
        assertValid(Validators.columnTypes(), List.of());
        assertValid(Validators.columnTypes(), List.of("Volume:int64", "Adj Close:FLOAT64", "a:b:date", "x: string "));
    }

    @Test
    void columnTypeItemsWithoutAColumnOrATypeAreRejected() {
        for (String item : List.of("Volume", ":int64", "Volume:", "")) {
            List<String> value = List.of("Date:date", item);
            assertThatThrownBy(() -> Validators.columnTypes().ensureValid("column.types", value))
                    .as(item)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("column.types")
                    .hasMessageContaining("Item '" + item + "' is not column:type");
        }
    }

    @Test
    void unknownColumnTypesAreRejectedWithTheValidTypes() {
        assertThatThrownBy(() -> Validators.columnTypes().ensureValid("column.types", List.of("Volume:int32")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("column.types")
                .hasMessageContaining("'Volume:int32'")
                .hasMessageContaining("'int32' is not a column type")
                .hasMessageContaining("string, int64, float64, boolean, date, timestamp");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.000001, 1, 10_000_000})
    void positiveRatesUpToTheMaximum(double rate) {
        assertValid(Validators.positiveAtMost(10_000_000), rate);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.0, -1, 10_000_000.5, Double.NaN, Double.POSITIVE_INFINITY})
    void zeroNegativeAndTooLargeRatesAreRejected(double rate) {
        assertInvalid(Validators.positiveAtMost(10_000_000), rate, "greater than 0 and at most 10000000");
    }

    @Test
    void oneOfMatchesEnumNamesInAnyCase() {
        ConfigDef.Validator validator = Validators.oneOf(FieldNaming.class);

        for (String value : List.of("original", "ORIGINAL", "snake_case", "Snake_Case", " snake_case ")) {
            assertValid(validator, value);
        }
        assertInvalid(validator, "snake-case", "Valid values are original, snake_case.");
        assertInvalid(validator, "", "Valid values are");
        assertInvalid(Validators.oneOf(DateOutput.class), "iso", "Valid values are string, logical.");
    }

    @Test
    void enumNamesAreLowerCaseInDeclarationOrder() {
        assertThat(Validators.enumNames(FieldNaming.class)).containsExactly("original", "snake_case");
        assertThat(Validators.enumNames(SamplingMode.class)).containsExactly("random", "shuffle", "sequential", "replay");
    }

    @Test
    void descriptionsListWhatIsValid() {
        assertThat(Validators.oneOf(FieldNaming.class)).hasToString("original, snake_case");
        assertThat(Validators.positiveAtMost(10_000_000)).hasToString("(0, 10000000]");
        assertThat(Validators.columnTypes().toString()).contains("column:type").contains("timestamp");
        assertThat(Validators.topicName().toString()).contains("249");
        assertThat(Validators.asciiCompatibleCharset().toString()).contains("UTF-8");
        assertThat(Validators.temporalPattern().toString()).contains("DateTimeFormatter");
        assertThat(Validators.zoneId().toString()).contains("UTC");
        assertThat(Validators.schemaFullName().toString()).contains("com.example.Row");
    }

    @Test
    void enumValuesMatchExactlyWhatTheAccessorsParse() {
        ConfigDef.Validator samplingMode = Validators.oneOf(SamplingMode.class);
        assertValid(samplingMode, " Shuffle ");
        assertValid(samplingMode, "REPLAY");
        // equalsIgnoreCase accepts a Turkish dotted capital I for i, which valueOf(toUpperCase(ROOT)) then refuses.
        assertInvalid(samplingMode, "SEQUENT\u0130AL", "random");
        assertInvalid(Validators.oneOf(MalformedRows.class), "FA\u0130L", "fail");
    }
}
