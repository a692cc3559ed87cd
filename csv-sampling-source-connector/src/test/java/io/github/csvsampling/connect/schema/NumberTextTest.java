package io.github.csvsampling.connect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumberTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0, 0",
            "123, 123",
            "-4, -4",
            "+7, 7",
            "007, 7",
            "-0, 0",
            "9223372036854775807, 9223372036854775807",
            "-9223372036854775808, -9223372036854775808",
    })
    void integersAreInt64(String text, long expected) {
        assertThat(NumberText.isInt64(text)).isTrue();
        assertThat(NumberText.isNumber(text)).isTrue();
        assertThat(NumberText.toInt64(text)).isEqualTo(expected);
    }

    /** The reference stock file writes volumes with a zero fraction, such as 1435980000.0. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1435980000.0, 1435980000",
            "0.0, 0",
            "123.0, 123",
            "123.000, 123",
            "-5.0, -5",
            "+5.00, 5",
            "1., 1",
            "-0.0, 0",
            "9223372036854775807.0, 9223372036854775807",
    })
    void zeroFractionsAreInt64(String text, long expected) {
        assertThat(NumberText.isInt64(text)).isTrue();
        assertThat(NumberText.toInt64(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1e3, 1000",
            "1E3, 1000",
            "1.5e3, 1500",
            "2.50E+2, 250",
            "12000e-3, 12",
            "-1e18, -1000000000000000000",
            "0e999999, 0",
            ".0, 0",
            "+.0e5, 0",
    })
    void exponentsAndLeadingPointsWithIntegralValuesAreInt64(String text, long expected) {
        assertThat(NumberText.isInt64(text)).isTrue();
        assertThat(NumberText.toInt64(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"528.690002", "0.5", "-0.25", ".5", "-.5", "+.5", "1.5e-3", "1.25E1", "1e-1",
            "123.01", "1.0000000001", "1e-400"})
    void fractionsAreNumbersButNotInt64(String text) {
        assertThat(NumberText.isNumber(text)).isTrue();
        assertThat(NumberText.isInt64(text)).isFalse();
        assertThatThrownBy(() -> NumberText.toInt64(text)).isInstanceOf(NumberFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "0x1A", "0X1a", "0x1p3", "1d",
            "1D", "1f", "2F", "1.5d", "1L", " 1", "1 ", " ", "", "-", "+", ".", "-.", "+.", "1e", "1e+", "1E-",
            "e5", ".e5", "1..2", "1.2.3", "1e5e5", "1e5.0", "--1", "+-1", "1-", "1,000", "1_000", "12abc",
            "\u0661\u0662", "1\t", "true"})
    void rejectsWhatIsNotDecimalNumberText(String text) {
        assertThat(NumberText.isNumber(text)).as("isNumber(%s)", text).isFalse();
        assertThat(NumberText.isInt64(text)).as("isInt64(%s)", text).isFalse();
        assertThatThrownBy(() -> NumberText.toInt64(text))
                .isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "9223372036854775808.0",
            "99999999999999999999999", "1e19", "-1e19", "9.3e18"})
    void integralValuesBeyondTheLongRangeAreNumbersButNotInt64(String text) {
        assertThat(NumberText.isNumber(text)).isTrue();
        assertThat(NumberText.isInt64(text)).isFalse();
        assertThatThrownBy(() -> NumberText.toInt64(text)).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void overflowMessageSaysTheValueIsOutOfRange() {
        assertThatThrownBy(() -> NumberText.toInt64("1e19"))
                .isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("64-bit range")
                .hasMessageContaining("'1e19'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1e999999999", "1e99999999999", "1.5E+2147483648"})
    void hugeExponentsOverflowToNotANumber(String text) {
        assertThat(NumberText.isNumber(text)).isFalse();
        assertThat(NumberText.isInt64(text)).isFalse();
        assertThatThrownBy(() -> NumberText.toInt64(text)).isInstanceOf(NumberFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-999999999", "1e-99999999999", "5E-2147483649"})
    void hugeNegativeExponentsAreTinyNumbersNotIntegers(String text) {
        assertThat(NumberText.isNumber(text)).isTrue();
        assertThat(NumberText.isInt64(text)).isFalse();
        assertThatThrownBy(() -> NumberText.toInt64(text)).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void longestRepresentableValuesStayExact() {
        assertThat(NumberText.toInt64("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(NumberText.toInt64("-9223372036854775808.000")).isEqualTo(Long.MIN_VALUE);
        assertThat(NumberText.toInt64("9.223372036854775807e18")).isEqualTo(Long.MAX_VALUE);
    }
}
