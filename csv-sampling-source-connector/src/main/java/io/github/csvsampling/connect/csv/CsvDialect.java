package io.github.csvsampling.connect.csv;

import java.nio.charset.Charset;

import com.opencsv.CSVParser;
import com.opencsv.CSVParserBuilder;
import com.opencsv.enums.CSVReaderNullFieldIndicator;

/**
 * How a CSV file is written: its separator, quoting and escaping, whether it has a header row,
 * how many lines precede it, its charset, and the longest row it may contain.
 *
 * <p>Separator, quote and escape must be single ASCII characters and the charset must write them
 * (and the line feed) as the same single bytes as ASCII does; that lets record boundaries be found
 * on raw bytes, so rows can later be read back by byte offset without decoding the whole file.
 *
 * @param escape the escape character, or {@link #NO_ESCAPE}: quotes inside quoted fields are then
 *               written doubled, as RFC 4180 says
 */
public record CsvDialect(char separator, char quote, char escape, boolean header, int skipLines,
                         Charset charset, int maxRowBytes) {

    /** The {@code escape} of a dialect without an escape character. */
    public static final char NO_ESCAPE = CSVParser.NULL_CHARACTER;

    /** A new parser for one record's text; opencsv parsers are not thread-safe, so one per user. */
    public CSVParser newParser() {
        return new CSVParserBuilder()
                .withSeparator(separator)
                .withQuoteChar(quote)
                .withEscapeChar(escape)
                .withStrictQuotes(false)
                .withIgnoreLeadingWhiteSpace(false)
                .withIgnoreQuotations(false)
                .withFieldAsNull(CSVReaderNullFieldIndicator.NEITHER)
                .build();
    }

    boolean hasEscape() {
        return escape != NO_ESCAPE;
    }
}
