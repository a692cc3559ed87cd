package io.github.csvsampling.connect.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Splits a {@link ByteSource} into CSV records on raw bytes: a line feed ends a record unless it is
 * inside quotes, so quoted fields may span lines. Reports where each record starts (byte offset and
 * 1-based line number) and its bytes, which {@link RowParser} decodes and parses.
 *
 * <p>A trailing carriage return is dropped (CRLF files), blank lines are skipped, and byte order
 * marks at the start of the file are not part of the first record (see {@link ByteOrderMarks}).
 */
final class CsvRecordReader {

    private static final int BLOCK_BYTES = 64 * 1024;
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final ByteSource source;
    private final CsvDialect dialect;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES);
    private final CRC32C checksum = new CRC32C();
    private long blockStart;
    private long position;
    private long line = 1;

    private byte[] record = new byte[256];
    private int recordLength;
    private long recordStart;
    private long recordLine;
    private final ByteOrderMarks marks;

    /**
     * Starts reading after the byte order marks the source starts with.
     *
     * @throws CsvFormatException when the source starts with a UTF-16 or UTF-32 byte order mark
     */
    CsvRecordReader(ByteSource source, CsvDialect dialect) throws IOException {
        this.source = source;
        this.dialect = dialect;
        block.limit(0);
        ByteBuffer head = ByteBuffer.allocate(ByteOrderMarks.HEAD_BYTES);
        source.read(0, head);
        marks = ByteOrderMarks.of(head.array(), head.position(), dialect.charset());
        position = marks.outsideFingerprint();
        while (position < marks.length()) {
            nextByte();
        }
    }

    /** The byte order marks skipped at the start of the source. */
    ByteOrderMarks marks() {
        return marks;
    }

    /** Skips {@code count} physical lines, quotes or not: preamble lines before the header. */
    void skipLines(int count) throws IOException {
        for (int skipped = 0; skipped < count; ) {
            int b = nextByte();
            if (b < 0) {
                return;
            }
            if (b == LF) {
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
            recordLength = 0;
            recordStart = position;
            recordLine = line;
            boolean inQuotes = false;
            boolean escaping = false;
            int b;
            while ((b = nextByte()) >= 0) {
                if (b == LF) {
                    line++;
                    escaping = false;
                    if (!inQuotes) {
                        break;
                    }
                } else if (escaping) {
                    escaping = false;
                } else if (dialect.hasEscape() && b == dialect.escape()) {
                    // As in opencsv, inside quotes and out: an escaped quote opens or closes nothing.
                    escaping = true;
                } else if (b == dialect.quote()) {
                    inQuotes = !inQuotes;
                }
                append((byte) b);
            }
            if (inQuotes) {
                throw new CsvFormatException(recordLine, "a quoted field opened on this line is never closed."
                        + " Close the quote, or set csv.quote to the file's quote character");
            }
            if (recordLength > 0 && record[recordLength - 1] == CR) {
                recordLength--;
            }
            if (recordLength > 0) {
                return true;
            }
            if (b < 0) {
                return false;
            }
        }
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
        return position;
    }

    /**
     * The CRC-32C and size of the bytes read so far, as {@code crc32c:<hex>:<bytes>}: after the
     * last record, a fingerprint of the whole file.
     */
    String fingerprint() {
        return String.format(java.util.Locale.ROOT, "crc32c:%08x:%d", checksum.getValue(), source.size());
    }

    /** The current record's bytes, from 0 to {@link #recordLength()}, without its line end; parse with {@link RowParser}. */
    byte[] recordBytes() {
        return record;
    }

    int recordLength() {
        return recordLength;
    }

    private void append(byte b) {
        if (recordLength == dialect.maxRowBytes()) {
            throw new CsvFormatException(recordLine, "the row is longer than csv.row.max.bytes ("
                    + dialect.maxRowBytes() + " bytes). A quote that is never closed can cause this;"
                    + " otherwise raise csv.row.max.bytes");
        }
        if (recordLength == record.length) {
            record = Arrays.copyOf(record, Math.min(record.length * 2, Math.max(dialect.maxRowBytes(), 1)));
        }
        record[recordLength++] = b;
    }

    private int nextByte() throws IOException {
        if (!block.hasRemaining()) {
            blockStart = position;
            block.clear();
            int read = source.read(blockStart, block);
            block.flip();
            checksum.update(block.array(), 0, block.limit());
            if (read <= 0) {
                return -1;
            }
        }
        position++;
        return block.get() & 0xFF;
    }
}
