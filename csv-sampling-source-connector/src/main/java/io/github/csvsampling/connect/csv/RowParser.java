package io.github.csvsampling.connect.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.opencsv.CSVParser;

/**
 * The fields of one CSV record, from its bytes (without the line end).
 *
 * <p>A plain record (only ASCII bytes, no quote, escape or NUL byte) is split on the separator byte
 * directly: the common case of numeric data such as the reference file, and several times cheaper
 * than decoding and running opencsv, which the connector would otherwise do for every record it
 * emits. Any other record is decoded strictly (bytes invalid in the charset are an error naming the
 * line) and parsed by opencsv. Both paths give the same fields for a plain record; the split is
 * only used when the charset decodes every ASCII byte as itself.
 *
 * <p>Not thread-safe: one per user, like the opencsv parser and the decoder it holds.
 */
final class RowParser {

    private final CsvDialect dialect;
    private CSVParser parser;
    private final CharsetDecoder decoder;
    private final boolean asciiAsItself;

    RowParser(CsvDialect dialect) {
        this.dialect = dialect;
        this.parser = dialect.newParser();
        this.decoder = dialect.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] ascii = new byte[128];
        for (int b = 0; b < ascii.length; b++) {
            ascii[b] = (byte) b;
        }
        this.asciiAsItself = new String(ascii, dialect.charset()).equals(new String(ascii, StandardCharsets.US_ASCII));
    }

    /**
     * Parses a record.
     *
     * @param line the record's 1-based line in the file, for messages
     * @throws CsvFormatException naming the line when the bytes are not valid in the charset, hold a
     *         NUL character, or do not parse (a quote never closed)
     */
    String[] parse(byte[] bytes, int length, long line) {
        return parse(bytes, 0, length, line);
    }

    /** Parses the record at {@code offset}; see {@link #parse(byte[], int, long)}. */
    String[] parse(byte[] bytes, int offset, int length, long line) {
        int fields = plainFieldCount(bytes, offset, length);
        if (fields > 0) {
            return split(bytes, offset, length, fields);
        }
        try {
            return parser.parseLine(text(bytes, offset, length, line));
        } catch (IOException e) {
            // opencsv keeps the rejected text as pending and would prepend it to the next record: start afresh.
            parser = dialect.newParser();
            throw new CsvFormatException(line, e.getMessage());
        }
    }

    /**
     * A record's text, decoded strictly.
     *
     * @throws CsvFormatException when the bytes are not valid in the charset, or when the record
     *         holds a NUL character and there is no escape character: opencsv takes NUL for its
     *         escape character then, so it would silently drop it, merge fields or unbalance quotes
     */
    String text(byte[] bytes, int offset, int length, long line) {
        String text;
        try {
            decoder.reset();
            text = decoder.decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(line, "the bytes are not valid " + decoder.charset().name()
                    + ". Set csv.charset to the file's encoding, or convert the file");
        }
        if (!dialect.hasEscape() && text.indexOf(CsvDialect.NO_ESCAPE) >= 0) {
            throw new CsvFormatException(line, "the row contains a NUL character (byte 0), which is not"
                    + " text: the file may be binary or corrupt. Remove the NUL bytes, for example with"
                    + " tr -d '\\000'");
        }
        return text;
    }

    /** The number of fields of a plain record, or 0 when the record needs decoding and opencsv. */
    private int plainFieldCount(byte[] bytes, int offset, int length) {
        if (!asciiAsItself) {
            return 0;
        }
        byte separator = (byte) dialect.separator();
        byte quote = (byte) dialect.quote();
        byte escape = (byte) dialect.escape(); // NUL when there is none, which is never plain either
        int fields = 1;
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == separator) {
                fields++;
            } else if (b <= 0 || b == quote || b == escape) { // non-ASCII bytes are negative
                return 0;
            }
        }
        return fields;
    }

    private String[] split(byte[] bytes, int offset, int length, int fields) {
        byte separator = (byte) dialect.separator();
        String[] values = new String[fields];
        int field = 0;
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == separator) {
                values[field++] = new String(bytes, start, i - start, StandardCharsets.ISO_8859_1);
                start = i + 1;
            }
        }
        values[field] = new String(bytes, start, offset + length - start, StandardCharsets.ISO_8859_1);
        return values;
    }

    /**
     * True when a record that {@link CsvRecordReader} found plain is split on its separators as it is, each
     * byte one character: the charset decodes every ASCII byte as itself.
     */
    boolean splitsPlainRecords() {
        return asciiAsItself;
    }
}
