package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    private static final int MAX_ROW_BYTES = 1 << 20;
    private static final byte[] GARBLED_BOM = "\u00EF\u00BB\u00BF".getBytes(StandardCharsets.UTF_8);

    /** One record as the reader reports it. */
    private record Rec(String text, long line, long start) {
    }

    private static CsvDialect dialect(char escape, Charset charset, int maxRowBytes) {
        return new CsvDialect(',', '"', escape, true, 0, charset, maxRowBytes);
    }

    private static CsvDialect utf8() {
        return dialect(CsvDialect.NO_ESCAPE, StandardCharsets.UTF_8, MAX_ROW_BYTES);
    }

    private static CsvRecordReader reader(byte[] bytes, CsvDialect dialect) throws IOException {
        return new CsvRecordReader(new MemoryByteSource("test.csv", ByteBuffer.wrap(bytes)), dialect);
    }

    /** The current record's text, decoded strictly as the dataset decodes a record that is not plain. */
    private static String text(CsvRecordReader reader, CsvDialect dialect) {
        return new RowParser(dialect).text(reader.recordBytes(), reader.recordOffset(), reader.recordLength(),
                reader.recordLine());
    }

    private static List<Rec> records(byte[] bytes, CsvDialect dialect) throws IOException {
        CsvRecordReader reader = reader(bytes, dialect);
        List<Rec> records = new ArrayList<>();
        while (reader.next()) {
            records.add(new Rec(text(reader, dialect), reader.recordLine(), reader.recordStart()));
        }
        assertThat(reader.next()).as("next() stays false at the end").isFalse();
        return records;
    }

    private static List<Rec> records(String text) throws IOException {
        return records(text.getBytes(StandardCharsets.UTF_8), utf8());
    }

    private static List<String> texts(String text) throws IOException {
        return records(text).stream().map(Rec::text).toList();
    }

    @Test
    void splitsRecordsAtLineFeedsAndReportsLinesAndOffsets() throws IOException {
        assertThat(records("a,b\n1,2\n3,4\n")).containsExactly(
                new Rec("a,b", 1, 0),
                new Rec("1,2", 2, 4),
                new Rec("3,4", 3, 8));
    }

    @Test
    void theLastRecordNeedsNoLineFeed() throws IOException {
        assertThat(texts("a,b\n1,2")).containsExactly("a,b", "1,2");
    }

    @Test
    void positionIsTheEndOfTheCurrentRecordsLine() throws IOException {
        CsvRecordReader reader = reader("a,b\n1,2\n3,4".getBytes(StandardCharsets.UTF_8), utf8());

        reader.next();
        assertThat(reader.position()).isEqualTo(4);
        reader.next();
        assertThat(reader.position()).isEqualTo(8);
        reader.next();
        assertThat(reader.position()).isEqualTo(11);
    }

    @Test
    void quotedFieldsMaySpanLinesAndLaterLinesAreStillCounted() throws IOException {
        assertThat(records("id,text\n1,\"two\nlines\"\n2,\"three\n\nlines\"\n3,x\n")).containsExactly(
                new Rec("id,text", 1, 0),
                new Rec("1,\"two\nlines\"", 2, 8),
                new Rec("2,\"three\n\nlines\"", 4, 22),
                new Rec("3,x", 7, 39));
    }

    @Test
    void doubledQuotesAndQuotedSeparatorsStayInOneRecord() throws IOException {
        assertThat(texts("1,\"say \"\"hi\"\", then\nleave\",2\n3,4\n"))
                .containsExactly("1,\"say \"\"hi\"\", then\nleave\",2", "3,4");
    }

    @Test
    void crlfLineEndsAreDropped() throws IOException {
        assertThat(records("a,b\r\n1,2\r\n3,4\r\n")).containsExactly(
                new Rec("a,b", 1, 0),
                new Rec("1,2", 2, 5),
                new Rec("3,4", 3, 10));
    }

    @Test
    void lineBreaksInsideQuotesAreKeptAsWritten() throws IOException {
        assertThat(texts("1,\"a\r\nb\"\r\n2,c\r\n")).containsExactly("1,\"a\r\nb\"", "2,c");
    }

    @Test
    void blankLinesAreSkippedButCounted() throws IOException {
        assertThat(records("\na,b\n\n\n1,2\r\n\r\n3,4\n\n")).containsExactly(
                new Rec("a,b", 2, 1),
                new Rec("1,2", 5, 7),
                new Rec("3,4", 7, 14));
    }

    @Test
    void anEmptySourceHasNoRecords() throws IOException {
        assertThat(records("")).isEmpty();
        assertThat(records("\n\r\n\n")).isEmpty();
    }

    @Test
    void aUtf8ByteOrderMarkIsSkipped() throws IOException {
        byte[] bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "Index,Date\nNYA,2021-06-30\n".getBytes(StandardCharsets.UTF_8));

        assertThat(records(bytes, utf8())).containsExactly(
                new Rec("Index,Date", 1, 3),
                new Rec("NYA,2021-06-30", 2, 14));
    }

    @Test
    void aByteOrderMarkAloneIsAnEmptySource() throws IOException {
        assertThat(records(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8())).isEmpty();
    }

    @Test
    void skipLinesSkipsPhysicalLinesWhateverTheirQuotes() throws IOException {
        CsvRecordReader reader = reader("# export of \"prices\n# second line\na,b\n1,2\n"
                .getBytes(StandardCharsets.UTF_8), utf8());

        reader.skipLines(2);

        assertThat(reader.next()).isTrue();
        assertThat(text(reader, utf8())).isEqualTo("a,b");
        assertThat(reader.recordLine()).isEqualTo(3);
        assertThat(reader.next()).isTrue();
        assertThat(text(reader, utf8())).isEqualTo("1,2");
        assertThat(reader.recordLine()).isEqualTo(4);
        assertThat(reader.next()).isFalse();
    }

    @Test
    void skippingMoreLinesThanTheSourceHasLeavesNoRecords() throws IOException {
        CsvRecordReader reader = reader("a,b\n1,2".getBytes(StandardCharsets.UTF_8), utf8());

        reader.skipLines(5);

        assertThat(reader.next()).isFalse();
    }

    @Test
    void anUnclosedQuoteNamesTheLineWhereItOpened() throws IOException {
        CsvRecordReader reader = reader("a,b\n1,2\n3,\"open\n4,5\n6,7\n".getBytes(StandardCharsets.UTF_8), utf8());
        reader.next();
        reader.next();

        assertThatThrownBy(reader::next)
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("never closed")
                .hasMessageContaining("csv.quote")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void aRowOfExactlyTheMaximumSizeIsAccepted() throws IOException {
        String row = "x".repeat(100);

        CsvRecordReader reader = reader((row + "\n").getBytes(StandardCharsets.UTF_8),
                dialect(CsvDialect.NO_ESCAPE, StandardCharsets.UTF_8, 100));

        assertThat(reader.next()).isTrue();
        assertThat(text(reader, utf8())).isEqualTo(row);
    }

    @Test
    void aLongerRowIsRejectedWithItsLine() throws IOException {
        String text = "a\n" + "x".repeat(64) + "\n" + "y".repeat(65) + "\n";
        CsvRecordReader reader = reader(text.getBytes(StandardCharsets.UTF_8),
                dialect(CsvDialect.NO_ESCAPE, StandardCharsets.UTF_8, 64));
        reader.next();
        reader.next();

        assertThatThrownBy(reader::next)
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("csv.row.max.bytes (64 bytes)")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void anUnclosedQuoteStopsAtTheRowSizeLimitInsteadOfReadingTheWholeFile() throws IOException {
        StringBuilder text = new StringBuilder("a,b\n1,\"never closed\n");
        for (int i = 0; i < 1000; i++) {
            text.append(i).append(",row\n");
        }
        CsvRecordReader reader = reader(text.toString().getBytes(StandardCharsets.UTF_8),
                dialect(CsvDialect.NO_ESCAPE, StandardCharsets.UTF_8, 256));
        reader.next();

        assertThatThrownBy(reader::next)
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("csv.row.max.bytes")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(2));
    }

    @Test
    void anUnclosedQuoteOneByteOverTheLimitAtTheEndOfTheFileIsTooLongNotUnclosed() throws IOException {
        // As before: the size limit is checked as the bytes come, so it is what a too long unclosed quote reports.
        String text = "a\n\"" + "x".repeat(64);
        CsvRecordReader reader = reader(text.getBytes(StandardCharsets.UTF_8),
                dialect(CsvDialect.NO_ESCAPE, StandardCharsets.UTF_8, 64));
        reader.next();

        assertThatThrownBy(reader::next)
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("csv.row.max.bytes (64 bytes)");
    }

    @Test
    void longRowsAndRecordsAcrossReadBlocksAreReadWhole() throws IOException {
        // Rows longer than the record buffer, and a total larger than one 64 KiB read block.
        List<String> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String row = i + "," + "v".repeat(i * 7) + ",\"q\n" + i + "\"";
            rows.add(row);
            text.append(row).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        assertThat(text.length()).isGreaterThan(3 * 64 * 1024);

        assertThat(texts(text.toString())).containsExactlyElementsOf(rows);
    }

    @Test
    void bytesThatAreNotValidInTheCharsetAreAnErrorNamingTheLine() throws IOException {
        byte[] bytes = concat("a,b\n1,2\n3,".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28}, "\n".getBytes(StandardCharsets.UTF_8));
        CsvRecordReader reader = reader(bytes, utf8());
        reader.next();
        reader.next();
        reader.next();

        assertThatThrownBy(() -> text(reader, utf8()))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("csv.charset")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void aTruncatedMultiByteCharacterIsAnError() throws IOException {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = concat("a\n".getBytes(StandardCharsets.UTF_8), new byte[] {euro[0], euro[1]});
        CsvRecordReader reader = reader(bytes, utf8());
        reader.next();
        reader.next();

        assertThatThrownBy(() -> text(reader, utf8())).isInstanceOf(CsvFormatException.class);
    }

    @Test
    void multiByteCharactersAreDecoded() throws IOException {
        assertThat(texts("name,city\nZoë,Zürich\n李,東京\n")).containsExactly("name,city", "Zoë,Zürich", "李,東京");
    }

    @Test
    void singleByteCharsetsAreDecodedWithTheirOwnTable() throws IOException {
        byte[] bytes = concat("name\nZo".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xEB},
                "\n".getBytes(StandardCharsets.US_ASCII));

        List<Rec> latin1 = records(bytes, dialect(CsvDialect.NO_ESCAPE, StandardCharsets.ISO_8859_1, MAX_ROW_BYTES));

        assertThat(latin1).extracting(Rec::text).containsExactly("name", "Zoë");
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedWhateverTheCharset() throws IOException {
        byte[] bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "a\n".getBytes(StandardCharsets.UTF_8));

        List<Rec> latin1 = records(bytes, dialect(CsvDialect.NO_ESCAPE, StandardCharsets.ISO_8859_1, MAX_ROW_BYTES));

        assertThat(latin1).containsExactly(new Rec("a", 1, 3));
    }

    @Test
    void aGarbledByteOrderMarkIsSkippedAndRowsKeepTheirOffsetsAndLines() throws IOException {
        byte[] bytes = concat(GARBLED_BOM, "Index,Date\nNYA,2021-06-30\n".getBytes(StandardCharsets.UTF_8));

        assertThat(records(bytes, utf8())).containsExactly(
                new Rec("Index,Date", 1, 6),
                new Rec("NYA,2021-06-30", 2, 17));
    }

    @Test
    void theFingerprintCoversTheBytesItCoveredBeforeMarksWereRecognised() throws IOException {
        byte[] body = "Index,Close\nNYA,1.5\n".getBytes(StandardCharsets.UTF_8);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        CsvDialect latin1 = dialect(CsvDialect.NO_ESCAPE, StandardCharsets.ISO_8859_1, MAX_ROW_BYTES);

        // A UTF-8 file's own mark has always been left out; everything else, marks included, has always been read.
        assertThat(fingerprint(concat(bom, body), utf8())).isEqualTo(crc32c(body, body.length + 3));
        assertThat(fingerprint(concat(GARBLED_BOM, body), utf8())).isEqualTo(crc32c(concat(GARBLED_BOM, body), 0));
        assertThat(fingerprint(concat(bom, GARBLED_BOM, body), utf8()))
                .isEqualTo(crc32c(concat(GARBLED_BOM, body), body.length + 9));
        assertThat(fingerprint(concat(bom, body), latin1)).isEqualTo(crc32c(concat(bom, body), 0));
    }

    @Test
    void aUtf16FileIsRefusedBeforeAnyRecord() {
        byte[] bytes = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "a,b\n".getBytes(StandardCharsets.UTF_16LE));

        assertThatThrownBy(() -> reader(bytes, utf8()))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("UTF-16 LE byte order mark");
    }

    @Test
    void anEscapedQuoteInsideQuotesDoesNotCloseThem() throws IOException {
        CsvDialect dialect = dialect('\\', StandardCharsets.UTF_8, MAX_ROW_BYTES);

        List<Rec> records = records("1,\"say \\\"hi\\\",\nbye\"\n2,\"C:\\\\\"\n3,x\n".getBytes(StandardCharsets.UTF_8),
                dialect);

        assertThat(records).extracting(Rec::text)
                .containsExactly("1,\"say \\\"hi\\\",\nbye\"", "2,\"C:\\\\\"", "3,x");
        assertThat(records).extracting(Rec::line).containsExactly(1L, 3L, 4L);
    }

    @Test
    void anEscapedQuoteOutsideQuotesOpensNoQuotedField() throws IOException {
        // opencsv reads a\"b as a"b, so the record reader must not see a quote opening there.
        CsvDialect dialect = dialect('\\', StandardCharsets.UTF_8, MAX_ROW_BYTES);

        List<Rec> records = records("1,a\\\"b\n2,\\\"c\n3,x\n".getBytes(StandardCharsets.UTF_8), dialect);

        assertThat(records).extracting(Rec::text).containsExactly("1,a\\\"b", "2,\\\"c", "3,x");
    }

    @Test
    void withoutAnEscapeCharacterABackslashIsOrdinary() throws IOException {
        assertThat(texts("1,\"C:\\\"\n2,x\n")).containsExactly("1,\"C:\\\"", "2,x");
    }

    @Test
    void aReaderStartingInTheMiddleCountsLinesFromThereAndChecksumsOnlyItsStretch() throws IOException {
        byte[] bytes = "a,b\n1,2\n3,4\n5,6\n".getBytes(StandardCharsets.UTF_8);
        CsvRecordReader reader = CsvRecordReader.startingAt(new MemoryByteSource("test.csv", ByteBuffer.wrap(bytes)),
                utf8(), 4, 12);

        assertThat(reader.next()).isTrue();
        assertThat(text(reader, utf8())).isEqualTo("1,2");
        assertThat(reader.recordStart()).isEqualTo(4);
        assertThat(reader.recordLine()).isEqualTo(1);
        reader.shiftLines(1);
        assertThat(reader.recordLine()).isEqualTo(2);
        assertThat(reader.next()).isTrue();
        assertThat(reader.recordLine()).isEqualTo(3);
        while (reader.next()) {
            // to the end
        }
        java.util.zip.CRC32C stretch = new java.util.zip.CRC32C();
        stretch.update(bytes, 4, 8);
        assertThat(reader.checksummedTo()).isEqualTo(12);
        assertThat(reader.checksum()).isEqualTo(stretch.getValue());
    }

    /** The fingerprint after reading every record. */
    private static String fingerprint(byte[] bytes, CsvDialect dialect) throws IOException {
        CsvRecordReader reader = reader(bytes, dialect);
        while (reader.next()) {
            // read to the end
        }
        return reader.fingerprint();
    }

    /** The fingerprint format over {@code covered}, for a file of {@code size} bytes (0: the covered bytes'). */
    private static String crc32c(byte[] covered, long size) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(covered);
        return String.format(java.util.Locale.ROOT, "crc32c:%08x:%d", crc.getValue(), size == 0 ? covered.length : size);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
