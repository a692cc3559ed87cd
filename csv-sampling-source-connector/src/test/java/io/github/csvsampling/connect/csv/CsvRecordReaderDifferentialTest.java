package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.github.csvsampling.connect.schema.AsciiText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader looks at eight bytes at a time outside quotes; this compares it, on random files full of what
 * makes CSV hard (quotes, line breaks inside quotes, CR, blank lines, escapes, NUL and multi-byte characters,
 * rows across its 256 KiB buffer), with the byte-at-a-time splitter it replaced: the same records at the same
 * offsets and lines, the same errors, and for plain records the fields {@link RowParser} would split.
 */
class CsvRecordReaderDifferentialTest {

    private static final byte[][] PIECES = {
        "a".getBytes(StandardCharsets.UTF_8), "12.5".getBytes(StandardCharsets.UTF_8), ",".getBytes(StandardCharsets.UTF_8),
        ",".getBytes(StandardCharsets.UTF_8), "\"".getBytes(StandardCharsets.UTF_8), "\n".getBytes(StandardCharsets.UTF_8),
        "\r\n".getBytes(StandardCharsets.UTF_8), "\r".getBytes(StandardCharsets.UTF_8), "\\".getBytes(StandardCharsets.UTF_8),
        " ".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8), new byte[] {0},
        "2021-06-30".getBytes(StandardCharsets.UTF_8), "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8),
    };

    /** One record as a reader reports it. */
    private record Rec(long start, long line, long position, String bytes, boolean plain, List<String> fields) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theWordReaderFindsWhatTheByteReaderFinds(long seed) throws IOException {
        Random random = new Random(seed);
        for (int file = 0; file < 40; file++) {
            boolean quotesRare = random.nextBoolean();
            byte[] bytes = randomCsv(random, file % 10 == 0 ? 700_000 : random.nextInt(3_000), quotesRare);
            char escape = random.nextBoolean() ? '\\' : CsvDialect.NO_ESCAPE;
            int maxRowBytes = random.nextInt(4) == 0 ? 64 + random.nextInt(200) : 1 << 20;
            CsvDialect dialect = new CsvDialect(',', '"', escape, true, 0, StandardCharsets.UTF_8, maxRowBytes);

            Outcome expected = reference(bytes, dialect);
            Outcome actual = read(bytes, dialect);

            assertThat(actual.records()).as("seed %d file %d", seed, file).isEqualTo(expected.records());
            assertThat(actual.error()).as("seed %d file %d: error", seed, file).isEqualTo(expected.error());
        }
    }

    private static byte[] randomCsv(Random random, int approximateBytes, boolean quotesRare) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < approximateBytes) {
            if (random.nextInt(3) > 0) {
                // A plain row, the usual case: words, numbers and separators.
                int fields = 1 + random.nextInt(12);
                for (int f = 0; f < fields; f++) {
                    out.writeBytes(f > 0 ? PIECES[2] : new byte[0]);
                    out.writeBytes(PIECES[random.nextInt(2) == 0 ? 1 : 12 + random.nextInt(2)]);
                }
                out.writeBytes(PIECES[random.nextInt(10) == 0 ? 6 : 5]);
            } else {
                int piece = random.nextInt(PIECES.length);
                if (piece == 4 && quotesRare && random.nextInt(20) > 0) {
                    piece = 0;
                }
                out.writeBytes(PIECES[piece]);
            }
        }
        return out.toByteArray();
    }

    /** The records and the error (its message and line) of a whole file. */
    private record Outcome(List<Rec> records, String error) {
    }

    private static Outcome read(byte[] bytes, CsvDialect dialect) throws IOException {
        List<Rec> records = new ArrayList<>();
        CsvRecordReader reader = new CsvRecordReader(new MemoryByteSource("test.csv", ByteBuffer.wrap(bytes)), dialect);
        Throwable error = catchThrowable(() -> {
            while (reader.next()) {
                byte[] record = Arrays.copyOfRange(reader.recordBytes(), reader.recordOffset(),
                        reader.recordOffset() + reader.recordLength());
                List<String> fields = null;
                if (reader.plain()) {
                    AsciiText[] texts = new AsciiText[reader.fieldCount()];
                    for (int i = 0; i < texts.length; i++) {
                        texts[i] = new AsciiText();
                    }
                    reader.plainFields(texts);
                    fields = Arrays.stream(texts).map(AsciiText::toString).toList();
                }
                records.add(new Rec(reader.recordStart(), reader.recordLine(), reader.position(),
                        new String(record, StandardCharsets.ISO_8859_1), reader.plain(), fields));
            }
        });
        return new Outcome(records, describe(error));
    }

    private static String describe(Throwable error) {
        if (error == null) {
            return null;
        }
        return error instanceof CsvFormatException ? "line " + ((CsvFormatException) error).line() + ": "
                + error.getMessage() : error.toString();
    }

    /** The byte-at-a-time splitter the reader had before, with plain records split as {@link RowParser} splits them. */
    private static Outcome reference(byte[] bytes, CsvDialect dialect) {
        List<Rec> records = new ArrayList<>();
        int position = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        long line = 1;
        try {
            while (true) {
                int start = position;
                long recordLine = line;
                boolean inQuotes = false;
                boolean escaping = false;
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                boolean lineEnded = false;
                while (position < bytes.length) {
                    int b = bytes[position++] & 0xFF;
                    if (b == '\n') {
                        line++;
                        escaping = false;
                        if (!inQuotes) {
                            lineEnded = true;
                            break;
                        }
                    } else if (escaping) {
                        escaping = false;
                    } else if (dialect.escape() != CsvDialect.NO_ESCAPE && b == dialect.escape()) {
                        escaping = true;
                    } else if (b == dialect.quote()) {
                        inQuotes = !inQuotes;
                    }
                    if (record.size() == dialect.maxRowBytes()) {
                        throw new CsvFormatException(recordLine, "the row is longer than csv.row.max.bytes ("
                                + dialect.maxRowBytes() + " bytes). A quote that is never closed can cause this;"
                                + " otherwise raise csv.row.max.bytes");
                    }
                    record.write(b);
                }
                if (inQuotes) {
                    throw new CsvFormatException(recordLine, "a quoted field opened on this line is never closed."
                            + " Close the quote, or set csv.quote to the file's quote character");
                }
                byte[] text = record.toByteArray();
                int length = text.length > 0 && text[text.length - 1] == '\r' ? text.length - 1 : text.length;
                if (length > 0) {
                    byte[] kept = Arrays.copyOf(text, length);
                    boolean plain = true;
                    for (byte k : kept) {
                        plain &= k > 0 && k != dialect.quote() && k != dialect.escape();
                    }
                    List<String> fields = plain ? Arrays.asList(new RowParser(dialect).parse(kept, kept.length, 0))
                            : null;
                    records.add(new Rec(start, recordLine, position, new String(kept, StandardCharsets.ISO_8859_1),
                            plain, fields));
                } else if (!lineEnded) {
                    return new Outcome(records, null);
                }
            }
        } catch (CsvFormatException e) {
            return new Outcome(records, describe(e));
        }
    }
}
