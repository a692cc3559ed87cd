package io.github.csvsampling.connect.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.github.csvsampling.connect.sampling.ReplayPlan;
import org.junit.jupiter.api.Test;

/**
 * Fields of plain rows are checked as {@link AsciiText} over the reader's bytes, not as Strings, and some checks
 * read those bytes directly: every check must answer on such text exactly as on the String of the same field.
 */
class AsciiTextTest {

    /** Texts that sit on the edges of the checks, plus random ones from the characters numbers and dates use. */
    private static List<String> texts() {
        List<String> texts = new ArrayList<>(List.of("", "0", "-0", "+7", "007", "1.", ".5", "-.5", "+.", ".", "-", "+",
                "1.0", "1.000", "1.5", "123456789012345678", "1234567890123456789", "999999999999999999.0",
                "9223372036854775807", "9223372036854775808", "1e3", "1E-3", "1e", "1e+", "0e999999", "1e400",
                "1".repeat(308), "1".repeat(308) + ".5", "1".repeat(309), "1".repeat(309) + ".0", "-" + "9".repeat(308),
                "NaN", "Infinity", "0x10", "1d", " 1", "1 ", "1,5", "true", "TRUE", "True", "tRuE", "false", "FALSE",
                "fals", "truee", "t", "yes", "null", "NULL", "2021-06-30", "2021-02-29", "2020-02-29", "0000-01-01",
                "0001-01-01", "9999-12-31", "2021-13-01", "2021-00-10", "2021-01-32", "2021-1-05", "12021-01-05",
                "2021/06/30", "2021-06-30T10:00:00", "2021-06-30T10:00:00Z", "IDX5", "N225", "17431.050781",
                "160000000.0"));
        Random random = new Random(11);
        String alphabet = "0123456789+-.eE ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(random.nextBoolean() ? 10 : alphabet.length())));
            }
            texts.add(text.toString());
        }
        return texts;
    }

    /** The text where it lies inside a larger array, as a field of a row does. */
    private static AsciiText ascii(String text) {
        byte[] row = ("x," + text + ",y").getBytes(StandardCharsets.ISO_8859_1);
        AsciiText ascii = new AsciiText();
        ascii.set(row, 2, text.length());
        return ascii;
    }

    @Test
    void isTheTextItPointsAt() {
        AsciiText text = ascii("2021-06-30");

        assertThat(text.length()).isEqualTo(10);
        assertThat(text.charAt(4)).isEqualTo('-');
        assertThat(text.toString()).isEqualTo("2021-06-30");
        assertThat(text.subSequence(5, 7).toString()).isEqualTo("06");
    }

    @Test
    void numberChecksAnswerAsOnStrings() {
        for (String text : texts()) {
            assertThat(NumberText.isNumber(ascii(text))).as("isNumber(%s)", text).isEqualTo(NumberText.isNumber(text));
            assertThat(NumberText.isInt64(ascii(text))).as("isInt64(%s)", text).isEqualTo(NumberText.isInt64(text));
        }
    }

    @Test
    void isNumberIsTheDecimalGrammarWithAFiniteValue() {
        for (String text : texts()) {
            boolean expected = text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")
                    && Double.isFinite(Double.parseDouble(text));
            assertThat(NumberText.isNumber(text)).as("isNumber(%s)", text).isEqualTo(expected);
        }
    }

    @Test
    void everyTypeFitsAsOnStrings() {
        for (String zone : List.of("UTC", "Europe/Paris")) {
            ValueTyping typing = new ValueTyping(TemporalFormat.of("yyyy-MM-dd", ZoneId.of(zone)),
                    TemporalFormat.of("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]", ZoneId.of(zone)), DateOutput.STRING);
            for (String text : texts()) {
                for (ColumnType type : ColumnType.values()) {
                    assertThat(typing.fits(type, ascii(text))).as("%s fits %s", text, type)
                            .isEqualTo(typing.fits(type, text));
                }
            }
        }
    }

    @Test
    void nullValuesMatchAsOnStrings() {
        String long64 = "n".repeat(64);
        NullValues nulls = new NullValues(Set.of("", "null", "N/A", long64, "n".repeat(70)));
        List<String> texts = new ArrayList<>(texts());
        texts.addAll(List.of("N/A", "n/a", long64, "n".repeat(63), "n".repeat(70), "n".repeat(71)));
        for (String text : texts) {
            boolean expected = Set.of("", "null", "N/A", long64, "n".repeat(70)).contains(text);
            assertThat(nulls.matches(text)).as("matches(%s)", text).isEqualTo(expected);
            assertThat(nulls.matches(ascii(text))).as("matches(ascii %s)", text).isEqualTo(expected);
        }
    }

    @Test
    void keysGoToTheTasksTheirStringsGoTo() {
        for (String key : texts()) {
            for (int tasks = 1; tasks <= 7; tasks++) {
                int expected = (int) Math.floorMod(io.github.csvsampling.connect.sampling.Seeds.mix64(key.hashCode()),
                        (long) tasks);
                assertThat(ReplayPlan.taskOf(ascii(key), tasks)).as("task of %s", key).isEqualTo(expected);
                assertThat(ReplayPlan.taskOf(key, tasks)).as("task of %s", key).isEqualTo(expected);
            }
        }
        assertThat(ReplayPlan.taskOf(null, 3)).isEqualTo(ReplayPlan.taskOf("", 3));
    }
}
