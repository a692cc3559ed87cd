package io.github.csvsampling.connect.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The byte order marks a file starts with: bytes before its first row that are not text, which
 * spreadsheets and Windows tools write and which would otherwise become part of the first column's
 * name ({@code ï»¿Index} instead of {@code Index}).
 *
 * <ul>
 *   <li>A UTF-8 mark ({@code EF BB BF}) is skipped. With a charset other than UTF-8 a warning says so,
 *       because the mark says the file is UTF-8.</li>
 *   <li>With UTF-8, a UTF-8 mark garbled by a tool that decoded it as Latin-1 or windows-1252 and saved
 *       it again as UTF-8 ({@code C3 AF C2 BB C2 BF}, shown as {@code ï»¿}) is skipped with a warning.
 *       Several marks in a row are all skipped.</li>
 *   <li>A UTF-16 or UTF-32 mark is an error: no charset the connector accepts can read those files.</li>
 * </ul>
 *
 * <p>Only the first bytes of the file are looked at, once, when it is opened: rows pay nothing.
 */
final class ByteOrderMarks {

    /** Bytes of the file's start that {@link #of} needs to see all the marks it recognises in a row. */
    static final int HEAD_BYTES = 64;

    private static final byte[] UTF8 = bytes(0xEF, 0xBB, 0xBF);
    private static final byte[] UTF8_AS_LATIN1 = bytes(0xC3, 0xAF, 0xC2, 0xBB, 0xC2, 0xBF);
    /** Longest first: the UTF-32 LE mark starts with the UTF-16 LE one. */
    private static final List<Wide> WIDE = List.of(
            new Wide("UTF-32 LE", "UTF-32", bytes(0xFF, 0xFE, 0x00, 0x00)),
            new Wide("UTF-32 BE", "UTF-32", bytes(0x00, 0x00, 0xFE, 0xFF)),
            new Wide("UTF-16 LE", "UTF-16", bytes(0xFF, 0xFE)),
            new Wide("UTF-16 BE", "UTF-16", bytes(0xFE, 0xFF)));

    /** No marks: a reader that starts after the start of the file. */
    static final ByteOrderMarks NONE = new ByteOrderMarks(0, 0, null);

    private final int length;
    private final int outsideFingerprint;
    private final String warning;

    private ByteOrderMarks(int length, int outsideFingerprint, String warning) {
        this.length = length;
        this.outsideFingerprint = outsideFingerprint;
        this.warning = warning;
    }

    /**
     * The marks at the start of {@code source}, read from its first bytes.
     *
     * @throws CsvFormatException (line 1) when the file starts with a UTF-16 or UTF-32 byte order mark
     */
    static ByteOrderMarks read(ByteSource source, Charset charset) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES);
        source.read(0, head);
        return of(head.array(), head.position(), charset);
    }

    /**
     * The marks at the start of a file.
     *
     * @param head the file's first bytes, at least {@link #HEAD_BYTES} of them unless the file is shorter
     * @param charset {@code csv.charset}
     * @throws CsvFormatException (line 1) when the file starts with a UTF-16 or UTF-32 byte order mark
     */
    static ByteOrderMarks of(byte[] head, int headLength, Charset charset) {
        for (Wide wide : WIDE) {
            if (startsWith(head, headLength, 0, wide.bytes)) {
                throw new CsvFormatException(1, "the file starts with a " + wide.name + " byte order mark ("
                        + hex(wide.bytes) + "): it is " + wide.family + " text, which the connector cannot read"
                        + " (csv.charset takes only charsets that extend ASCII, such as UTF-8, because rows are"
                        + " found on raw bytes). Save the file again as UTF-8 (in Excel: CSV UTF-8), or convert"
                        + " it, for example with iconv -f " + wide.family + " -t UTF-8 in.csv > out.csv");
            }
        }
        boolean utf8 = charset.equals(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        int at = 0;
        int outsideFingerprint = 0;
        boolean utf8MarkWithOtherCharset = false;
        while (true) {
            if (startsWith(head, headLength, at, UTF8)) {
                if (at == 0 && utf8) {
                    outsideFingerprint = UTF8.length; // the one mark a UTF-8 file may carry: nothing to say
                } else {
                    found.add("a UTF-8 byte order mark (" + hex(UTF8) + ")");
                    utf8MarkWithOtherCharset |= !utf8;
                }
                at += UTF8.length;
            } else if (utf8 && startsWith(head, headLength, at, UTF8_AS_LATIN1)) {
                found.add("a UTF-8 byte order mark that a tool read as Latin-1 or windows-1252 and saved again"
                        + " as UTF-8 (" + hex(UTF8_AS_LATIN1) + ", shown as \u00EF\u00BB\u00BF)");
                at += UTF8_AS_LATIN1.length;
            } else {
                break;
            }
        }
        if (found.isEmpty()) {
            return new ByteOrderMarks(at, outsideFingerprint, null);
        }
        String warning = "starts with " + String.join(" followed by ", found) + ", which would otherwise be"
                + " read as part of the first column's name. Skipped: the first column is named without "
                + (found.size() > 1 ? "them" : "it") + ". To clean the file, remove its first " + at
                + " bytes, for example with tail -c +" + (at + 1) + " in.csv > out.csv."
                + (utf8MarkWithOtherCharset ? " A UTF-8 byte order mark says the file is UTF-8, but csv.charset is "
                + charset.name() + ": set csv.charset=UTF-8 unless you know the file is " + charset.name() + "."
                : "");
        return new ByteOrderMarks(at, outsideFingerprint, warning);
    }

    /** Bytes before the first row: where reading starts. */
    int length() {
        return length;
    }

    /**
     * Leading bytes not covered by the content fingerprint: a UTF-8 mark at the start of a UTF-8 file, which
     * the connector has always skipped before computing it. Marks recognised later are read through the
     * fingerprint as before, so offsets stored by earlier versions still match the file.
     */
    int outsideFingerprint() {
        return outsideFingerprint;
    }

    /** What to tell the user about the marks skipped, after the file's name; null when there is nothing to say. */
    String warning() {
        return warning;
    }

    private static boolean startsWith(byte[] head, int headLength, int at, byte[] mark) {
        if (headLength - at < mark.length) {
            return false;
        }
        for (int i = 0; i < mark.length; i++) {
            if (head[at + i] != mark[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02X", b & 0xFF));
        }
        return text.toString();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** A byte order mark of an encoding whose characters take more than one byte, ASCII included. */
    private record Wide(String name, String family, byte[] bytes) {
    }
}
