package io.github.csvsampling.connect.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnProfileTest {

    private static final ValueTyping TYPING = typing("yyyy-MM-dd");

    private static ValueTyping typing(String datePattern) {
        return new ValueTyping(TemporalFormat.of(datePattern, ZoneOffset.UTC),
                TemporalFormat.of("yyyy-MM-dd'T'HH:mm:ss", ZoneOffset.UTC), DateOutput.STRING);
    }

    private static ColumnType infer(ValueTyping typing, String... values) {
        ColumnProfile profile = new ColumnProfile(typing);
        for (String value : values) {
            profile.observe(value);
        }
        return profile.inferredType();
    }

    private static ColumnType infer(String... values) {
        return infer(TYPING, values);
    }

    @Test
    void aColumnWithoutValuesIsString() {
        assertThat(infer()).isEqualTo(ColumnType.STRING);
    }

    @Test
    void integersAndIntegralDecimalsAreInt64() {
        assertThat(infer("1", "-2", "300")).isEqualTo(ColumnType.INT64);
        assertThat(infer("1435980000.0", "0.0", "1000.0")).isEqualTo(ColumnType.INT64);
        assertThat(infer("1", "2.0")).isEqualTo(ColumnType.INT64);
    }

    @Test
    void mixedIntegersAndFractionsAreFloat64InAnyOrder() {
        assertThat(infer("1", "2.5", "3")).isEqualTo(ColumnType.FLOAT64);
        assertThat(infer("2.5", "1", "3")).isEqualTo(ColumnType.FLOAT64);
        assertThat(infer("1", "3", "2.5")).isEqualTo(ColumnType.FLOAT64);
        assertThat(infer("528.690002", "1.5e3")).isEqualTo(ColumnType.FLOAT64);
    }

    @Test
    void integersBeyondTheLongRangeAreFloat64() {
        assertThat(infer("1", "9223372036854775808")).isEqualTo(ColumnType.FLOAT64);
    }

    @Test
    void trueAndFalseInAnyCaseAreBoolean() {
        assertThat(infer("true", "FALSE", "True")).isEqualTo(ColumnType.BOOLEAN);
    }

    @Test
    void isoDatesAreDate() {
        assertThat(infer("2021-06-30", "1965-12-31")).isEqualTo(ColumnType.DATE);
        assertThat(infer(typing("dd/MM/yyyy"), "30/06/2021", "01/01/2020")).isEqualTo(ColumnType.DATE);
    }

    @Test
    void numbersWinOverDatesThatAreAlsoNumbers() {
        // With date.format yyyyMMdd every value is both a date and an integer; int64 comes first.
        assertThat(infer(typing("yyyyMMdd"), "20210630", "20210701")).isEqualTo(ColumnType.INT64);
    }

    @Test
    void aColumnOfDatesIsDateEvenWhenSomeOfThemAlsoReadAsNumbers() {
        // Every value matches date.format; not all are numbers, so date is the narrowest type that fits.
        ValueTyping typing = typing("yyyyMMdd[ HH:mm]");

        assertThat(infer(typing, "20210630", "20210701 10:30")).isEqualTo(ColumnType.DATE);
        assertThat(infer(typing, "20210701 10:30", "20210630")).isEqualTo(ColumnType.DATE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "int then text|1,2,x",
            "text then int|x,1,2",
            "float then text|1.5,n/a",
            "boolean then int|true,1",
            "int then boolean|1,true",
            "boolean then text|true,yes",
            "date then text|2021-06-30,tomorrow",
            "date then invalid date|2021-06-30,2021-02-30",
            "date then int|2021-06-30,20210630",
            "int then date|20210630,2021-06-30",
            "NaN among floats|1.5,NaN",
            "hex among ints|1,0x10",
            "padded number|1, 2",
            "empty text when empty is not a null value|1,",
    })
    void aValueThatFitsNoCommonTypeMakesTheColumnString(String description, String values) {
        assertThat(infer(values.split(",", -1))).isEqualTo(ColumnType.STRING);
    }

    @Test
    void aSingleNonMatchingValueAmongManyMakesTheColumnString() {
        ColumnProfile profile = new ColumnProfile(TYPING);
        for (int i = 0; i < 10_000; i++) {
            profile.observe(Integer.toString(i));
        }
        assertThat(profile.inferredType()).isEqualTo(ColumnType.INT64);

        profile.observe("-");

        assertThat(profile.inferredType()).isEqualTo(ColumnType.STRING);
    }

    @org.junit.jupiter.api.Test
    void profilesOfTwoStretchesMergeIntoTheProfileOfAll() {
        ValueTyping typing = new ValueTyping(TemporalFormat.of("yyyy-MM-dd", java.time.ZoneOffset.UTC),
                TemporalFormat.of("yyyy-MM-dd'T'HH:mm:ss", java.time.ZoneOffset.UTC), DateOutput.STRING);
        String[] values = {"true", "1", "1.5", "2021-01-01", "x", "false", "7", "2.0"};
        for (int mask = 0; mask < 1 << values.length; mask++) {
            for (int cut = 0; cut <= values.length; cut++) {
                ColumnProfile all = new ColumnProfile(typing);
                ColumnProfile first = new ColumnProfile(typing);
                ColumnProfile second = new ColumnProfile(typing);
                for (int i = 0; i < values.length; i++) {
                    if ((mask & 1 << i) != 0) {
                        all.observe(values[i]);
                        (i < cut ? first : second).observe(values[i]);
                    }
                }
                first.merge(second);
                assertThat(first.inferredType()).as("mask %d cut %d", mask, cut).isEqualTo(all.inferredType());
            }
        }
    }
}
