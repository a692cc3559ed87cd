package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteOrderMarksTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** The UTF-8 mark decoded as Latin-1 ("ï»¿") and encoded again as UTF-8. */
    private static final byte[] GARBLED = "\u00EF\u00BB\u00BF".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEADER = "Index,Close\n".getBytes(StandardCharsets.US_ASCII);
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private static ByteOrderMarks marks(Charset charset, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        byte[] file = out.toByteArray();
        return ByteOrderMarks.of(file, Math.min(file.length, ByteOrderMarks.HEAD_BYTES), charset);
    }

    @Test
    void theGarbledMarkIsTheBytesTheIssueShows() {
        assertThat(GARBLED).containsExactly(0xC3, 0xAF, 0xC2, 0xBB, 0xC2, 0xBF);
    }

    @Test
    void aFileWithoutMarksStartsAtItsFirstByte() {
        ByteOrderMarks marks = marks(StandardCharsets.UTF_8, HEADER);

        assertThat(marks.length()).isZero();
        assertThat(marks.outsideFingerprint()).isZero();
        assertThat(marks.warning()).isNull();
    }

    @Test
    void aUtf8MarkOfAUtf8FileIsSkippedSilentlyAndLeftOutOfTheFingerprintAsAlways() {
        ByteOrderMarks marks = marks(StandardCharsets.UTF_8, BOM, HEADER);

        assertThat(marks.length()).isEqualTo(3);
        assertThat(marks.outsideFingerprint()).isEqualTo(3);
        assertThat(marks.warning()).isNull();
    }

    @Test
    void aGarbledUtf8MarkIsSkippedWithAWarningThatSaysWhatAndHowToCleanTheFile() {
        ByteOrderMarks marks = marks(StandardCharsets.UTF_8, GARBLED, HEADER);

        assertThat(marks.length()).isEqualTo(6);
        assertThat(marks.outsideFingerprint()).as("read through the fingerprint, as before it was recognised").isZero();
        assertThat(marks.warning())
                .startsWith("starts with a UTF-8 byte order mark that a tool read as Latin-1 or windows-1252")
                .contains("C3 AF C2 BB C2 BF", "shown as \u00EF\u00BB\u00BF", "Skipped", "tail -c +7 in.csv > out.csv")
                .doesNotContain("csv.charset");
    }

    @Test
    void marksInARowAreAllSkipped() {
        ByteOrderMarks marks = marks(StandardCharsets.UTF_8, BOM, GARBLED, GARBLED, HEADER);

        assertThat(marks.length()).isEqualTo(15);
        assertThat(marks.outsideFingerprint()).isEqualTo(3);
        assertThat(marks.warning()).contains(" followed by ", "tail -c +16", "named without them");
    }

    @Test
    void aUtf8MarkWithAnotherCharsetIsSkippedWithAdviceToSetUtf8() {
        ByteOrderMarks marks = marks(WINDOWS_1252, BOM, HEADER);

        assertThat(marks.length()).isEqualTo(3);
        assertThat(marks.outsideFingerprint()).as("read through the fingerprint, as before it was recognised").isZero();
        assertThat(marks.warning()).contains("a UTF-8 byte order mark (EF BB BF)", "csv.charset is windows-1252",
                "set csv.charset=UTF-8");
    }

    @Test
    void withAnotherCharsetTheGarbledBytesAreText() {
        // In Latin-1 they read as "Ã¯Â»Â¿": text, however unlikely, and not what a tool makes of a mark.
        assertThat(marks(StandardCharsets.ISO_8859_1, GARBLED, HEADER).length()).isZero();
    }

    @Test
    void partOfAMarkIsText() {
        assertThat(marks(StandardCharsets.UTF_8, new byte[] {(byte) 0xC3, (byte) 0xAF, (byte) 0xC2, (byte) 0xBB},
                HEADER).length()).as("ï» followed by text").isZero();
        assertThat(marks(StandardCharsets.UTF_8, new byte[] {(byte) 0xEF, (byte) 0xBB}).length()).isZero();
        assertThat(marks(StandardCharsets.UTF_8).length()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
            "FFFE, UTF-16 LE, FF FE, UTF-16",
            "FEFF, UTF-16 BE, FE FF, UTF-16",
            "FFFE0000, UTF-32 LE, FF FE 00 00, UTF-32",
            "0000FEFF, UTF-32 BE, 00 00 FE FF, UTF-32",
    })
    void aWideMarkIsAnErrorThatSaysWhatWasFoundAndHowToConvert(String hex, String name, String shown, String family) {
        byte[] mark = java.util.HexFormat.of().parseHex(hex);
        byte[] text = "a,b\n".getBytes(Charset.forName(family + (name.endsWith("LE") ? "LE" : "BE")));

        for (Charset charset : new Charset[] {StandardCharsets.UTF_8, WINDOWS_1252}) {
            assertThatThrownBy(() -> marks(charset, mark, text))
                    .isInstanceOf(CsvFormatException.class)
                    .hasMessageContaining("starts with a " + name + " byte order mark (" + shown + ")")
                    .hasMessageContaining("Save the file again as UTF-8")
                    .hasMessageContaining("iconv -f " + family + " -t UTF-8")
                    .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "ISO-8859-1", "windows-1252"})
    void aPlainHeaderIsNeverAMark(String charset) {
        assertThat(marks(Charset.forName(charset), "\u00EFndex,x\n".getBytes(Charset.forName(charset))).length())
                .isZero();
    }
}
