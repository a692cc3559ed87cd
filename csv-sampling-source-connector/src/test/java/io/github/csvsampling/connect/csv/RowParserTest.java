package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import com.opencsv.CSVParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RowParserTest {

    private static final CsvDialect COMMA = dialect(',', '"', CsvDialect.NO_ESCAPE, StandardCharsets.UTF_8);

    private static CsvDialect dialect(char separator, char quote, char escape, Charset charset) {
        return new CsvDialect(separator, quote, escape, true, 0, charset, 1 << 20);
    }

    private static String[] parse(CsvDialect dialect, String row) {
        byte[] bytes = row.getBytes(dialect.charset());
        return new RowParser(dialect).parse(bytes, bytes.length, 7);
    }

    @Test
    void aPlainRowIsSplitOnTheSeparatorKeepingEmptyFieldsAndSpaces() {
        assertThat(parse(COMMA, "GSPTSE,2020-03-13, 12.5,,-3e2,")).containsExactly(
                "GSPTSE", "2020-03-13", " 12.5", "", "-3e2", "");
    }

    @Test
    void quotedFieldsAndEscapesAreParsedAsOpencsvDoes() {
        assertThat(parse(COMMA, "\"a,b\",\"say \"\"hi\"\"\",c")).containsExactly("a,b", "say \"hi\"", "c");
        assertThat(parse(dialect(',', '"', '\\', StandardCharsets.UTF_8), "a\\\"b,c")).containsExactly("a\"b", "c");
    }

    @Test
    void nonAsciiTextIsDecodedInTheFilesCharset() {
        assertThat(parse(COMMA, "Zoë,東京")).containsExactly("Zoë", "東京");
        assertThat(parse(dialect(';', '"', CsvDialect.NO_ESCAPE, StandardCharsets.ISO_8859_1), "Zoë;Zürich"))
                .containsExactly("Zoë", "Zürich");
    }

    @Test
    void bytesInvalidInTheCharsetAreAnErrorNamingTheLine() {
        byte[] bytes = {'a', ',', (byte) 0xC3, (byte) 0x28};

        assertThatThrownBy(() -> new RowParser(COMMA).parse(bytes, bytes.length, 12))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("csv.charset")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(12));
    }

    @Test
    void aNulByteIsAnErrorWithoutAnEscapeCharacter() {
        byte[] bytes = {'1', ',', 0, '2'};

        assertThatThrownBy(() -> new RowParser(COMMA).parse(bytes, bytes.length, 3))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("NUL character");
    }

    @Test
    void aRowOpencsvRejectsLeavesNothingBehindForTheNextRow() {
        RowParser parser = new RowParser(COMMA);
        byte[] unterminated = "a,\"b".getBytes(StandardCharsets.US_ASCII);
        byte[] next = "\"\"b".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> parser.parse(unterminated, unterminated.length, 4))
                .isInstanceOf(CsvFormatException.class)
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(4));
        assertThat(parser.parse(next, next.length, 5)).containsExactly("b");
    }

    @Test
    void onlyTheGivenLengthOfTheBufferIsParsed() {
        byte[] bytes = "1,2,3,4".getBytes(StandardCharsets.US_ASCII);

        assertThat(new RowParser(COMMA).parse(bytes, 3, 1)).containsExactly("1", "2");
    }

    static Stream<Arguments> dialects() {
        return Stream.of(
                Arguments.of(COMMA),
                Arguments.of(dialect(',', '"', '\\', StandardCharsets.UTF_8)),
                Arguments.of(dialect(';', '\'', CsvDialect.NO_ESCAPE, StandardCharsets.ISO_8859_1)),
                Arguments.of(dialect('\t', '"', CsvDialect.NO_ESCAPE, StandardCharsets.UTF_8)),
                Arguments.of(dialect(',', '"', CsvDialect.NO_ESCAPE, StandardCharsets.UTF_16LE)));
    }

    /**
     * Differential check of both paths against opencsv on decoded text, for random rows mixing plain rows and rows
     * with quotes, escapes, separators of other dialects, spaces, carriage returns and non-ASCII letters.
     */
    @ParameterizedTest
    @MethodSource("dialects")
    void everyRowParsesExactlyAsOpencsvParsesItsText(CsvDialect dialect) throws IOException {
        String alphabet = "ab1.-  ,;\t\"'\\\ré€";
        Random random = new Random(11);
        RowParser rowParser = new RowParser(dialect);
        CSVParser opencsv = dialect.newParser();
        int plain = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder row = new StringBuilder();
            boolean special = random.nextInt(4) == 0;
            for (int i = random.nextInt(40); i >= 0; i--) {
                char c = alphabet.charAt(random.nextInt(special ? alphabet.length() : 6));
                row.append(c == ' ' && !special ? (char) dialect.separator() : c);
            }
            String text = row.toString();
            byte[] bytes = text.getBytes(dialect.charset());
            String[] expected;
            try {
                expected = opencsv.parseLine(new String(bytes, dialect.charset()));
            } catch (IOException unterminatedQuote) {
                opencsv = dialect.newParser(); // it keeps the rejected text for the next line otherwise
                assertThatThrownBy(() -> rowParser.parse(bytes, bytes.length, 1))
                        .as("row %s", text).isInstanceOf(CsvFormatException.class);
                continue;
            }
            plain += special ? 0 : 1;
            assertThat(rowParser.parse(bytes, bytes.length, 1)).as("row %s", text).containsExactly(expected);
        }
        assertThat(plain).as("plain rows checked").isGreaterThan(10_000);
    }
}
