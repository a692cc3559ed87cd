package io.github.csvsampling.connect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypingTest {

    private static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]";

    private static ValueTyping typing(DateOutput output) {
        return typing(output, ZoneOffset.UTC);
    }

    private static ValueTyping typing(DateOutput output, ZoneId zone) {
        return new ValueTyping(TemporalFormat.of("yyyy-MM-dd", zone), TemporalFormat.of(TIMESTAMP_PATTERN, zone),
                output);
    }

    @ParameterizedTest
    @EnumSource(DateOutput.class)
    void everySchemaIsOptional(DateOutput output) {
        for (ColumnType type : ColumnType.values()) {
            assertThat(typing(output).schema(type).isOptional()).as("%s with %s", type, output).isTrue();
        }
    }

    @Test
    void primitiveSchemasDoNotDependOnDateOutput() {
        for (DateOutput output : DateOutput.values()) {
            ValueTyping typing = typing(output);
            assertThat(typing.schema(ColumnType.STRING)).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
            assertThat(typing.schema(ColumnType.INT64)).isEqualTo(Schema.OPTIONAL_INT64_SCHEMA);
            assertThat(typing.schema(ColumnType.FLOAT64)).isEqualTo(Schema.OPTIONAL_FLOAT64_SCHEMA);
            assertThat(typing.schema(ColumnType.BOOLEAN)).isEqualTo(Schema.OPTIONAL_BOOLEAN_SCHEMA);
        }
    }

    @Test
    void datesAndTimestampsAreIsoStringsByDefault() {
        ValueTyping typing = typing(DateOutput.STRING);

        assertThat(typing.schema(ColumnType.DATE)).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(typing.schema(ColumnType.TIMESTAMP)).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(typing.convert(ColumnType.DATE, "2021-06-30")).isEqualTo("2021-06-30");
        assertThat(typing.convert(ColumnType.TIMESTAMP, "2021-06-30T14:00:00Z")).isEqualTo("2021-06-30T14:00:00Z");
        assertThat(typing.convert(ColumnType.TIMESTAMP, "2021-06-30T16:00:00.500+02:00"))
                .isEqualTo("2021-06-30T14:00:00.500Z");
    }

    @Test
    void isoDateStringsAreNormalisedFromOtherPatterns() {
        ValueTyping typing = new ValueTyping(TemporalFormat.of("dd/MM/yyyy", ZoneOffset.UTC),
                TemporalFormat.of(TIMESTAMP_PATTERN, ZoneOffset.UTC), DateOutput.STRING);

        assertThat(typing.convert(ColumnType.DATE, "05/01/2021")).isEqualTo("2021-01-05");
    }

    @Test
    void logicalDatesAndTimestampsUseConnectLogicalTypes() {
        ValueTyping typing = typing(DateOutput.LOGICAL);

        Schema date = typing.schema(ColumnType.DATE);
        assertThat(date.name()).isEqualTo(org.apache.kafka.connect.data.Date.LOGICAL_NAME);
        assertThat(date.type()).isEqualTo(Schema.Type.INT32);
        assertThat(date.isOptional()).isTrue();
        Schema timestamp = typing.schema(ColumnType.TIMESTAMP);
        assertThat(timestamp.name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(timestamp.type()).isEqualTo(Schema.Type.INT64);
        assertThat(timestamp.isOptional()).isTrue();
    }

    @Test
    void logicalDatesAreUtcMidnightWhateverTheZone() {
        ValueTyping typing = typing(DateOutput.LOGICAL, ZoneId.of("Asia/Tokyo"));
        Schema schema = typing.schema(ColumnType.DATE);

        Object value = typing.convert(ColumnType.DATE, "2021-06-30");

        assertThat(value).isEqualTo(Date.from(Instant.parse("2021-06-30T00:00:00Z")));
        // Connect's converters accept only UTC midnight for the Date logical type.
        assertThat(org.apache.kafka.connect.data.Date.fromLogical(schema, (Date) value))
                .isEqualTo((int) java.time.LocalDate.of(2021, 6, 30).toEpochDay());
    }

    @Test
    void logicalTimestampsAreTheInstantInTheConfiguredZone() {
        ValueTyping typing = typing(DateOutput.LOGICAL, ZoneId.of("Europe/Paris"));

        assertThat(typing.convert(ColumnType.TIMESTAMP, "2021-06-30T14:00:00"))
                .isEqualTo(Date.from(Instant.parse("2021-06-30T12:00:00Z")));
        assertThat(typing.convert(ColumnType.TIMESTAMP, "2021-06-30T14:00:00Z"))
                .isEqualTo(Date.from(Instant.parse("2021-06-30T14:00:00Z")));
    }

    @Test
    void int64AcceptsIntegralDecimals() {
        ValueTyping typing = typing(DateOutput.STRING);

        assertThat(typing.convert(ColumnType.INT64, "1435980000.0")).isEqualTo(1_435_980_000L);
        assertThat(typing.convert(ColumnType.INT64, "0.0")).isEqualTo(0L);
        assertThat(typing.convert(ColumnType.INT64, "-42")).isEqualTo(-42L);
        assertThat(typing.fits(ColumnType.INT64, "123.0")).isTrue();
        assertThat(typing.fits(ColumnType.INT64, "123.5")).isFalse();
        assertThat(typing.fits(ColumnType.INT64, "9223372036854775808")).isFalse();
        assertThatThrownBy(() -> typing.convert(ColumnType.INT64, "123.5"))
                .isInstanceOf(NumberFormatException.class);
    }

    @Test
    void float64ParsesDecimalText() {
        ValueTyping typing = typing(DateOutput.STRING);

        assertThat(typing.convert(ColumnType.FLOAT64, "528.690002")).isEqualTo(528.690002d);
        assertThat(typing.convert(ColumnType.FLOAT64, "1.5e3")).isEqualTo(1500d);
        assertThat(typing.convert(ColumnType.FLOAT64, "42")).isEqualTo(42d);
        assertThat(typing.convert(ColumnType.FLOAT64, "-.5")).isEqualTo(-0.5d);
        assertThat(typing.fits(ColumnType.FLOAT64, "9223372036854775808")).isTrue();
        assertThat(typing.fits(ColumnType.FLOAT64, "NaN")).isFalse();
        assertThat(typing.fits(ColumnType.FLOAT64, "Infinity")).isFalse();
        assertThat(typing.fits(ColumnType.FLOAT64, "1d")).isFalse();
        assertThat(typing.fits(ColumnType.FLOAT64, "0x10")).isFalse();
        assertThat(typing.fits(ColumnType.FLOAT64, " 1")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "tRuE"})
    void booleanTrueInAnyCase(String text) {
        ValueTyping typing = typing(DateOutput.STRING);

        assertThat(typing.fits(ColumnType.BOOLEAN, text)).isTrue();
        assertThat(typing.convert(ColumnType.BOOLEAN, text)).isEqualTo(Boolean.TRUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "False"})
    void booleanFalseInAnyCase(String text) {
        ValueTyping typing = typing(DateOutput.STRING);

        assertThat(typing.fits(ColumnType.BOOLEAN, text)).isTrue();
        assertThat(typing.convert(ColumnType.BOOLEAN, text)).isEqualTo(Boolean.FALSE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "t", "f", " true", "true ", "", "truex"})
    void otherTextIsNotBoolean(String text) {
        ValueTyping typing = typing(DateOutput.STRING);

        assertThat(typing.fits(ColumnType.BOOLEAN, text)).isFalse();
        assertThatThrownBy(() -> typing.convert(ColumnType.BOOLEAN, text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void datesAreStrict() {
        ValueTyping typing = typing(DateOutput.STRING);

        assertThat(typing.fits(ColumnType.DATE, "2021-02-28")).isTrue();
        assertThat(typing.fits(ColumnType.DATE, "2021-02-30")).isFalse();
        assertThatThrownBy(() -> typing.convert(ColumnType.DATE, "2021-02-30"))
                .isInstanceOf(DateTimeException.class);
        assertThat(typing.fits(ColumnType.TIMESTAMP, "2021-02-28T10:00:00")).isTrue();
        assertThat(typing.fits(ColumnType.TIMESTAMP, "2021-02-30T10:00:00")).isFalse();
    }

    @Test
    void stringsAreKeptAsWritten() {
        ValueTyping typing = typing(DateOutput.LOGICAL);

        for (String text : new String[] {"", " padded ", "NYA", "123", "2021-06-30", "line\nbreak"}) {
            assertThat(typing.fits(ColumnType.STRING, text)).isTrue();
            assertThat(typing.convert(ColumnType.STRING, text)).isEqualTo(text);
        }
    }

    @Test
    void everyValueThatFitsConverts() {
        String[] samples = {"1", "1.0", "1.5", "-2e3", "true", "FALSE", "2021-06-30", "2021-06-30T14:00:00",
                "2021-06-30T14:00:00.123+05:30", "x", ""};
        for (DateOutput output : DateOutput.values()) {
            ValueTyping typing = typing(output);
            for (ColumnType type : ColumnType.values()) {
                for (String text : samples) {
                    if (typing.fits(type, text)) {
                        Object value = typing.convert(type, text);
                        // The value must be accepted by the field schema, as Struct.put checks.
                        org.apache.kafka.connect.data.ConnectSchema.validateValue(typing.schema(type), value);
                    }
                }
            }
        }
    }

    @Test
    void expectationsNameTheFormat() {
        ValueTyping typing = typing(DateOutput.STRING);

        assertThat(typing.expectation(ColumnType.DATE)).contains("yyyy-MM-dd").contains("date.format");
        assertThat(typing.expectation(ColumnType.TIMESTAMP)).contains(TIMESTAMP_PATTERN).contains("timestamp.format");
        assertThat(typing.expectation(ColumnType.INT64)).contains("42.0");
        assertThat(typing.expectation(ColumnType.BOOLEAN)).contains("true").contains("false");
    }
}
