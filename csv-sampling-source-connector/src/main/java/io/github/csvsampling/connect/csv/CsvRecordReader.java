package io.github.csvsampling.connect.csv;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

import io.github.csvsampling.connect.schema.AsciiText;

/**
 * Splits a {@link ByteSource} into CSV records on raw bytes: a line feed ends a record unless it is
 * inside quotes, so quoted fields may span lines. Reports where each record starts (byte offset and
 * 1-based line number) and its bytes, which {@link RowParser} decodes and parses.
 *
 * <p>A trailing carriage return is dropped (CRLF files), blank lines are skipped, and byte order
 * marks at the start of the file are not part of the first record (see {@link ByteOrderMarks}).
 *
 * <p>A record is <em>plain</em> when it holds only ASCII bytes and no quote, escape or NUL byte:
 * the reader then also reports where its fields end, so that a plain record, the usual case, is
 * neither copied nor decoded nor handed to opencsv. Outside quotes the reader looks at eight bytes
 * at a time (a word compare finds line feeds, quotes, escapes, separators, NUL and non-ASCII bytes
 * in one step): reading a whole file is what a task does when it starts, so this loop sets the start
 * time on large files.
 */
final class CsvRecordReader {

    private static final int BLOCK_BYTES = 256 * 1024;
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;

    private final ByteSource source;
    private final CsvDialect dialect;
    private final CRC32C checksum = new CRC32C();
    private ByteOrderMarks marks;
    private final byte quote;
    private final byte escape;
    private final boolean hasEscape;
    private final byte separator;
    private final long lineFeeds;
    private final long quotes;
    private final long escapes;
    private final long separators;

    /** Bytes of the source from {@link #bufferStart}, valid up to {@link #limit}. */
    private byte[] buffer = new byte[BLOCK_BYTES];
    private long bufferStart;
    private int limit;
    private int position;
    private boolean endOfSource;
    private long line = 1;
    /** Bytes from here on are not added to the checksum. */
    private long checksumEnd;

    private int recordOffset;
    private int recordLength;
    private long recordStart;
    private long recordLine;
    private boolean plain;
    /** Where each field of a plain record ends, relative to the record's first byte. */
    private int[] fieldEnds = new int[32];
    private int fieldCount;

    /**
     * Starts reading after the byte order marks the source starts with.
     *
     * @throws CsvFormatException when the source starts with a UTF-16 or UTF-32 byte order mark
     */
    CsvRecordReader(ByteSource source, CsvDialect dialect) throws IOException {
        this(source, dialect, Long.MAX_VALUE);
        marks = ByteOrderMarks.read(source, dialect.charset());
        // The fingerprint covers the bytes from here: see ByteOrderMarks.outsideFingerprint().
        bufferStart = marks.outsideFingerprint();
        while (position < marks.length() - marks.outsideFingerprint()) {
            if (position == limit && !fill()) {
                break;
            }
            position++;
        }
    }

    /**
     * Starts reading at {@code start}, which must be the start of a line, counting it as line 1 (see
     * {@link #shiftLines}), and adds only the bytes before {@code checksumEnd} to the checksum: a reader for one
     * stretch of a file that another thread reads up to {@code start}.
     */
    static CsvRecordReader startingAt(ByteSource source, CsvDialect dialect, long start, long checksumEnd) {
        CsvRecordReader reader = new CsvRecordReader(source, dialect, checksumEnd);
        reader.marks = ByteOrderMarks.NONE;
        reader.bufferStart = start;
        return reader;
    }

    private CsvRecordReader(ByteSource source, CsvDialect dialect, long checksumEnd) {
        this.source = source;
        this.dialect = dialect;
        this.checksumEnd = checksumEnd;
        this.quote = (byte) dialect.quote();
        this.hasEscape = dialect.hasEscape();
        this.escape = (byte) dialect.escape();
        this.separator = (byte) dialect.separator();
        this.lineFeeds = ONES * LF;
        this.quotes = ONES * (quote & 0xFF);
        // Without an escape character, the word compare looks for line feeds a second time instead.
        this.escapes = ONES * (hasEscape ? escape & 0xFF : LF);
        this.separators = ONES * (separator & 0xFF);
    }

    /** The byte order marks skipped at the start of the source. */
    ByteOrderMarks marks() {
        return marks;
    }

    /** Skips {@code count} physical lines, quotes or not: preamble lines before the header. */
    void skipLines(int count) throws IOException {
        for (int skipped = 0; skipped < count; ) {
            if (position == limit) {
                recordOffset = position; // nothing to keep
                if (!fill()) {
                    return;
                }
            }
            if (buffer[position++] == LF) {
                line++;
                skipped++;
            }
        }
    }

    /**
     * Advances to the next non-blank record.
     *
     * @return false at the end of the source
     * @throws CsvFormatException when a quote is never closed or a record exceeds the size limit
     */
    boolean next() throws IOException {
        while (true) {
            recordOffset = position;
            recordStart = bufferStart + position;
            recordLine = line;
            plain = true;
            fieldCount = 0;
            int end = scanRecord();
            int length = end - recordOffset;
            if (length > dialect.maxRowBytes()) {
                throw tooLong();
            }
            if (length > 0 && buffer[end - 1] == CR) {
                length--;
            }
            recordLength = length;
            if (length > 0) {
                if (plain) {
                    addFieldEnd(length);
                }
                return true;
            }
            if (endOfSource && position == limit) {
                return false;
            }
        }
    }

    /**
     * Reads the current record up to its line end and leaves {@link #position} after it.
     *
     * @return the buffer index of the record's end (its line feed, or the end of the source)
     */
    private int scanRecord() throws IOException {
        boolean inQuotes = false;
        boolean escaping = false;
        int i = position;
        while (true) {
            if (!inQuotes && !escaping) {
                i = scanPlainWords(i);
            }
            if (i == limit) {
                if (i - recordOffset > dialect.maxRowBytes()) {
                    throw tooLong();
                }
                int shift = recordOffset;
                if (!fill()) {
                    if (inQuotes) {
                        throw new CsvFormatException(recordLine, "a quoted field opened on this line is never"
                                + " closed. Close the quote, or set csv.quote to the file's quote character");
                    }
                    position = limit;
                    return limit;
                }
                i -= shift;
                continue;
            }
            byte b = buffer[i];
            if (b == LF) {
                line++;
                escaping = false;
                if (!inQuotes) {
                    position = i + 1;
                    return i;
                }
            } else if (escaping) {
                escaping = false;
                plain &= b > 0;
            } else if (hasEscape && b == escape) {
                // As in opencsv, inside quotes and out: an escaped quote opens or closes nothing.
                escaping = true;
                plain = false;
            } else if (b == quote) {
                inQuotes = !inQuotes;
                plain = false;
            } else if (b == separator) {
                if (plain) {
                    addFieldEnd(i - recordOffset);
                }
            } else if (b <= 0) {
                plain = false; // a NUL byte or a byte of a multi-byte character
            }
            i++;
        }
    }

    /**
     * Skips ordinary bytes (not a line feed, quote or escape) from {@code from}, eight at a time, noting the
     * separators of a plain record and whether a byte makes it not plain.
     *
     * @return the index of the first byte that is not ordinary, or a position near the end of the buffer from
     *         which the caller goes on byte by byte
     */
    private int scanPlainWords(int from) {
        int i = from;
        int last = limit - Long.BYTES;
        while (i <= last) {
            long word = (long) LONGS.get(buffer, i);
            long stops = zeroBytes(word ^ lineFeeds) | zeroBytes(word ^ quotes) | zeroBytes(word ^ escapes);
            long mask = stops == 0 ? -1L : (stops & -stops) - 1; // the bytes before the first stop
            if (plain) {
                if ((((word & HIGH) | zeroBytes(word)) & mask) != 0) {
                    plain = false;
                } else {
                    for (long seps = zeroBytes(word ^ separators) & mask; seps != 0; seps &= seps - 1) {
                        addFieldEnd(i + (Long.numberOfTrailingZeros(seps) >>> 3) - recordOffset);
                    }
                }
            }
            if (stops != 0) {
                return i + (Long.numberOfTrailingZeros(stops) >>> 3);
            }
            i += Long.BYTES;
        }
        return i;
    }

    /** The high bit of each byte of {@code word} that is zero, and no other bit. */
    private static long zeroBytes(long word) {
        return ~(((word & LOW7) + LOW7) | word | LOW7);
    }

    private void addFieldEnd(int end) {
        if (fieldCount == fieldEnds.length) {
            fieldEnds = Arrays.copyOf(fieldEnds, fieldCount * 2);
        }
        fieldEnds[fieldCount++] = end;
    }

    /**
     * Reads more of the source into the buffer, first moving the current record to its start (or growing the
     * buffer when the record fills it).
     *
     * @return false at the end of the source
     */
    private boolean fill() throws IOException {
        if (endOfSource) {
            return false;
        }
        if (recordOffset > 0) {
            System.arraycopy(buffer, recordOffset, buffer, 0, limit - recordOffset);
            bufferStart += recordOffset;
            limit -= recordOffset;
            position -= Math.min(position, recordOffset);
            recordOffset = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        ByteBuffer target = ByteBuffer.wrap(buffer, limit, buffer.length - limit);
        int read = source.read(bufferStart + limit, target);
        if (read <= 0) {
            endOfSource = true;
            return false;
        }
        long counted = Math.min(read, checksumEnd - (bufferStart + limit));
        if (counted > 0) {
            checksum.update(buffer, limit, (int) counted);
        }
        limit += read;
        return true;
    }

    private CsvFormatException tooLong() {
        return new CsvFormatException(recordLine, "the row is longer than csv.row.max.bytes ("
                + dialect.maxRowBytes() + " bytes). A quote that is never closed can cause this;"
                + " otherwise raise csv.row.max.bytes");
    }

    /** Byte offset at which the current record starts. */
    long recordStart() {
        return recordStart;
    }

    /** 1-based line number on which the current record starts. */
    long recordLine() {
        return recordLine;
    }

    /** Byte offset just past the last byte read: the end of the current record's line. */
    long position() {
        return bufferStart + position;
    }

    /**
     * The CRC-32C and size of the bytes read so far, as {@code crc32c:<hex>:<bytes>}: after the
     * last record, a fingerprint of the whole file.
     */
    String fingerprint() {
        return Crc32c.fingerprint(checksum.getValue(), source.size());
    }

    /** The CRC-32C of the bytes read so far, up to the checksum's end. */
    long checksum() {
        return checksum.getValue();
    }

    /**
     * Adds no byte from {@code end} on to the checksum, when none is in yet: another reader checks the rest of the
     * file. When bytes beyond are in already (a file smaller than the buffer), {@link #checksummedTo()} says so.
     */
    void checksumUpTo(long end) {
        if (checksummedTo() <= end) {
            checksumEnd = end;
        }
    }

    /** Where the bytes added to the checksum end: every byte before it, from where the reader started, is in. */
    long checksummedTo() {
        return Math.min(bufferStart + limit, checksumEnd);
    }

    /**
     * Adds {@code lines} to the line numbers: a reader that started in the middle of the file counts from 1, and
     * is told where it is once the lines before it are counted.
     */
    void shiftLines(long lines) {
        line += lines;
        recordLine += lines;
    }

    /**
     * The array holding the current record's bytes, from {@link #recordOffset()} for {@link #recordLength()}
     * bytes, without its line end; parse with {@link RowParser}. Valid until the next call to {@link #next()}.
     */
    byte[] recordBytes() {
        return buffer;
    }

    int recordOffset() {
        return recordOffset;
    }

    int recordLength() {
        return recordLength;
    }

    /** True when the record holds only ASCII bytes and no quote, escape or NUL byte: its fields are its separators' gaps. */
    boolean plain() {
        return plain;
    }

    /** The number of fields of a plain record. */
    int fieldCount() {
        return fieldCount;
    }

    /** Points {@code fields} at the fields of the current plain record, which has {@link #fieldCount()} of them. */
    void plainFields(AsciiText[] fields) {
        int start = 0;
        for (int i = 0; i < fieldCount; i++) {
            fields[i].set(buffer, recordOffset + start, fieldEnds[i] - start);
            start = fieldEnds[i] + 1;
        }
    }
}
