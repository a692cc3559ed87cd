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

    @ParameterizedTest
    @ValueSource(strings = {"17431.050781", "0.1", "-0.0", "-0", "+2.5", "1.", ".5", "007.250", "123456789012345",
        "1234567890123456", "99999999999999999999", "0.30000000000000004", "1e3", "-1.5E-7", "2.2250738585072014e-308",
        "0.0000000000000000000001", "0.00000000000000000000001", "4.9e-324", "123.4567890123456789"})
    void float64ValuesAreExactlyThoseOfParseDouble(String text) {
        assertThat(Double.doubleToRawLongBits(NumberText.toFloat64(text)))
                .as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
    }

    /** The fast path against Double.parseDouble, bit for bit, on a million random decimals of every shape it takes. */
    @org.junit.jupiter.api.Test
    void float64FastPathMatchesParseDoubleOnRandomDecimals() {
        java.util.Random random = new java.util.Random(5);
        for (int n = 0; n < 1_000_000; n++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "" : random.nextBoolean() ? "-" : "+");
            int intDigits = random.nextInt(17);
            for (int i = 0; i < intDigits; i++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
            if (intDigits == 0 || random.nextBoolean()) {
                text.append('.');
                for (int i = random.nextInt(24) + (intDigits == 0 ? 1 : 0); i > 0; i--) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            String decimal = text.toString();
            assertThat(Double.doubleToRawLongBits(NumberText.toFloat64(decimal)))
                    .as(decimal).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(decimal)));
        }
    }

    /** toInt64 against BigDecimal on random integral and non-integral texts around the 18-digit fast path. */
    @org.junit.jupiter.api.Test
    void int64ValuesAreThoseOfBigDecimal() {
        java.util.Random random = new java.util.Random(3);
        for (int n = 0; n < 300_000; n++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "" : random.nextBoolean() ? "-" : "+");
            for (int i = random.nextInt(21) + 1; i > 0; i--) {
                text.append((char) ('0' + random.nextInt(10)));
            }
            if (random.nextBoolean()) {
                text.append('.');
                for (int i = random.nextInt(4); i > 0; i--) {
                    text.append(random.nextInt(5) == 0 ? (char) ('0' + random.nextInt(10)) : '0');
                }
            }
            String integral = text.toString();
            Long expected;
            try {
                expected = new java.math.BigDecimal(integral).longValueExact();
            } catch (ArithmeticException notAnInt64) {
                expected = null;
            }
            if (expected == null) {
                assertThatThrownBy(() -> NumberText.toInt64(integral)).as(integral)
                        .isInstanceOf(NumberFormatException.class);
            } else {
                assertThat(NumberText.toInt64(integral)).as(integral).isEqualTo(expected);
            }
        }
    }
}
