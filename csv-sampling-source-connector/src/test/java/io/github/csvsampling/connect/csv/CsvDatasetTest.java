package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import io.github.csvsampling.connect.sample.SyntheticStockIndexData;
import io.github.csvsampling.connect.schema.ColumnType;
import io.github.csvsampling.connect.schema.RowSchema;
import io.github.csvsampling.connect.schema.RowSchema.Column;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {

    /** A few rows in the layout of Kaggle's indexProcessed.csv. */
    static final String STOCKS = """
            Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD
            HSI,1986-12-31,2568.300049,2568.300049,2568.300049,2568.300049,2568.300049,0.0,333.879006
            HSI,1987-01-02,2540.100098,2540.100098,2540.100098,2540.100098,2540.100098,0.0,330.213013
            NYA,2021-05-28,16555.660156,16577.339844,16526.039063,16555.660156,16555.660156,1000.0,16555.660156
            N225,2021-06-02,28730.810547,28869.939453,28645.199219,28946.140625,28946.140625,1435980000.0,263.409879
            """;

    @TempDir
    Path dir;

    private final List<CsvDataset> opened = new ArrayList<>();
    private int files;

    @AfterEach
    void closeDatasets() throws IOException {
        for (CsvDataset dataset : opened) {
            dataset.close();
        }
    }

    private Path write(String content) throws IOException {
        return write(content.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(byte[] content) throws IOException {
        Path file = dir.resolve("data-" + ++files + ".csv");
        Files.write(file, content);
        return file;
    }

    private static CsvSamplingSourceConfig config(Path file, String... keysAndValues) {
        Map<String, String> props = new HashMap<>();
        props.put("topic", "t");
        props.put("csv.path", file == null ? "" : file.toString());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new CsvSamplingSourceConfig(props);
    }

    private CsvDataset load(Path file, String... keysAndValues) {
        return load(config(file, keysAndValues), Long.MAX_VALUE);
    }

    private CsvDataset load(CsvSamplingSourceConfig config, long rowLimit) {
        CsvDataset dataset = CsvDataset.load(config, rowLimit);
        opened.add(dataset);
        return dataset;
    }

    private CsvDataset load(String content, String... keysAndValues) throws IOException {
        return load(write(content), keysAndValues);
    }

    private static List<String> headers(CsvDataset dataset) {
        return dataset.schema().columns().stream().map(Column::header).toList();
    }

    private static List<String> fields(CsvDataset dataset) {
        return dataset.schema().columns().stream().map(Column::field).toList();
    }

    private static List<ColumnType> types(CsvDataset dataset) {
        return dataset.schema().columns().stream().map(Column::type).toList();
    }

    private static List<String[]> rows(CsvDataset dataset) {
        List<String[]> rows = new ArrayList<>();
        for (long i = 0; i < dataset.rowCount(); i++) {
            rows.add(dataset.row(i));
        }
        return rows;
    }

    private static Struct struct(CsvDataset dataset, long row) {
        return dataset.schema().toStruct(dataset.row(row));
    }

    private static final byte[] GARBLED_BOM = "\u00EF\u00BB\u00BF".getBytes(StandardCharsets.UTF_8);

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static String[] row(String... fields) {
        return fields;
    }

    @Nested
    class StockFile {

        @Test
        void headerAndInferredTypes() throws IOException {
            CsvDataset dataset = load(STOCKS);

            assertThat(headers(dataset)).containsExactly("Index", "Date", "Open", "High", "Low", "Close",
                    "Adj Close", "Volume", "CloseUSD");
            assertThat(fields(dataset)).isEqualTo(headers(dataset));
            assertThat(types(dataset)).containsExactly(ColumnType.STRING, ColumnType.DATE, ColumnType.FLOAT64,
                    ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.INT64,
                    ColumnType.FLOAT64);
            assertThat(dataset.rowCount()).isEqualTo(4);
        }

        @Test
        void valueSchemaHasOneOptionalFieldPerColumnWithDatesAsIsoStrings() throws IOException {
            Schema schema = load(STOCKS).schema().valueSchema();

            assertThat(schema.name()).isEqualTo(CsvSamplingSourceConfig.SCHEMA_NAME_DEFAULT);
            assertThat(schema.fields()).hasSize(9);
            assertThat(schema.fields()).allSatisfy(f -> assertThat(f.schema().isOptional()).isTrue());
            assertThat(schema.field("Index").schema().type()).isEqualTo(Schema.Type.STRING);
            assertThat(schema.field("Date").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
            assertThat(schema.field("Adj Close").schema()).isEqualTo(Schema.OPTIONAL_FLOAT64_SCHEMA);
            assertThat(schema.field("Volume").schema()).isEqualTo(Schema.OPTIONAL_INT64_SCHEMA);
        }

        @Test
        void rowsConvertToTypedValues() throws IOException {
            CsvDataset dataset = load(STOCKS);

            Struct first = struct(dataset, 0);
            assertThat(first.get("Index")).isEqualTo("HSI");
            assertThat(first.get("Date")).isEqualTo("1986-12-31");
            assertThat(first.get("Open")).isEqualTo(2568.300049);
            assertThat(first.get("Volume")).isEqualTo(0L);
            assertThat(first.get("CloseUSD")).isEqualTo(333.879006);
            Struct last = struct(dataset, 3);
            assertThat(last.get("Index")).isEqualTo("N225");
            assertThat(last.get("Volume")).isEqualTo(1_435_980_000L);
            assertThat(struct(dataset, 2).get("Volume")).isEqualTo(1000L);
        }

        @Test
        void logicalDateOutputGivesConnectDates() throws IOException {
            CsvDataset dataset = load(STOCKS, "date.output", "logical");

            assertThat(dataset.schema().valueSchema().field("Date").schema().name())
                    .isEqualTo(org.apache.kafka.connect.data.Date.LOGICAL_NAME);
            assertThat(struct(dataset, 0).get("Date"))
                    .isEqualTo(java.util.Date.from(Instant.parse("1986-12-31T00:00:00Z")));
        }

        @Test
        void snakeCaseFieldNames() throws IOException {
            CsvDataset dataset = load(STOCKS, "field.names", "snake_case");

            assertThat(fields(dataset)).containsExactly("index", "date", "open", "high", "low", "close", "adj_close",
                    "volume", "close_usd");
            assertThat(headers(dataset)).contains("Adj Close", "CloseUSD");
            assertThat(struct(dataset, 3).get("close_usd")).isEqualTo(263.409879);
        }

        @Test
        void keyColumnByHeaderOrFieldName() throws IOException {
            Path file = write(STOCKS);

            assertThat(load(file, "key.column", "Index").keyColumn()).get()
                    .extracting(Column::field).isEqualTo("Index");
            assertThat(load(file, "key.column", "Adj Close", "field.names", "snake_case").keyColumn()).get()
                    .extracting(Column::field).isEqualTo("adj_close");
            assertThat(load(file, "key.column", "close_usd", "field.names", "snake_case").keyColumn()).get()
                    .extracting(Column::header).isEqualTo("CloseUSD");
            assertThat(load(file).keyColumn()).isEmpty();
        }

        @Test
        void timestampColumnGivesRecordTimestamps() throws IOException {
            CsvDataset dataset = load(STOCKS, "timestamp.column", "Date");

            assertThat(dataset.typedRow(2).timestampMillis())
                    .isEqualTo(Instant.parse("2021-05-28T00:00:00Z").toEpochMilli());
            CsvDataset inNewYork = load(STOCKS, "timestamp.column", "Date", "timezone", "America/New_York");
            assertThat(inNewYork.typedRow(2).timestampMillis())
                    .isEqualTo(Instant.parse("2021-05-28T04:00:00Z").toEpochMilli());
            assertThat(load(STOCKS).typedRow(2).timestampMillis()).isNull();
        }

        @Test
        void nameIsThePath() throws IOException {
            Path file = write(STOCKS);

            assertThat(load(file).name()).isEqualTo(file.toString());
        }
    }

    @Nested
    class Quoting {

        @Test
        void quotedSeparatorsDoubledQuotesAndLineBreaks() throws IOException {
            CsvDataset dataset = load("id,name,comment\n"
                    + "1,\"Smith, John\",\"said \"\"hi\"\"\"\n"
                    + "2,\"multi\nline\ntext\",plain\n"
                    + "3,after,\"x\"\n");

            assertThat(rows(dataset)).containsExactly(
                    row("1", "Smith, John", "said \"hi\""),
                    row("2", "multi\nline\ntext", "plain"),
                    row("3", "after", "x"));
            assertThat(types(dataset)).containsExactly(ColumnType.INT64, ColumnType.STRING, ColumnType.STRING);
        }

        @Test
        void linesAfterAMultiLineRowAreNumberedPhysically() throws IOException {
            Path file = write("id,text\n1,\"a\nb\nc\"\n2,ok\n3,too,many\n");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("line 6");
        }

        @Test
        void crlfLineEnds() throws IOException {
            CsvDataset dataset = load("a,b,c\r\n1,x,\"multi\r\nline\"\r\n2,y,z\r\n");

            assertThat(rows(dataset)).containsExactly(row("1", "x", "multi\r\nline"), row("2", "y", "z"));
            assertThat(headers(dataset)).containsExactly("a", "b", "c");
        }

        @Test
        void escapeCharacter() throws IOException {
            CsvDataset dataset = load("id,text\n1,\"say \\\"hi\\\", then\"\n2,a\\\"b\n3,\"C:\\\\dir\\\\\"\n4,plain\n",
                    "csv.escape", "\\");

            assertThat(rows(dataset)).containsExactly(
                    row("1", "say \"hi\", then"),
                    row("2", "a\"b"),
                    row("3", "C:\\dir\\"),
                    row("4", "plain"));
        }

        @Test
        void otherQuoteCharacter() throws IOException {
            CsvDataset dataset = load("a,b\n'x, y','it''s'\n", "csv.quote", "'");

            assertThat(rows(dataset)).containsExactly(row("x, y", "it's"));
        }

        @Test
        void anUnterminatedQuoteIsReportedWithItsLine() throws IOException {
            Path file = write("a,b\n1,2\n3,\"open\n4,5\n");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("never closed");
        }

        @Test
        void aRowOverTheSizeLimitIsReported() throws IOException {
            Path file = write("a,b\n1,2\n3," + "x".repeat(100) + "\n");

            assertThatThrownBy(() -> load(file, "csv.row.max.bytes", "64"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("csv.row.max.bytes");
        }
    }

    @Nested
    class Layout {

        @Test
        void utf8ByteOrderMarkIsNotPartOfTheFirstName() throws IOException {
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            byte[] body = "Index,Value\nNYA,1\n".getBytes(StandardCharsets.UTF_8);
            byte[] content = new byte[bom.length + body.length];
            System.arraycopy(bom, 0, content, 0, 3);
            System.arraycopy(body, 0, content, 3, body.length);

            CsvDataset dataset = load(write(content), "key.column", "Index");

            assertThat(headers(dataset)).containsExactly("Index", "Value");
            assertThat(rows(dataset)).containsExactly(row("NYA", "1"));
        }

        @Test
        void aGarbledUtf8ByteOrderMarkIsNotPartOfTheFirstName() throws IOException {
            Path file = write(concat(GARBLED_BOM, "Index,Value\nNYA,1\nHSI,2\n".getBytes(StandardCharsets.UTF_8)));

            CsvDataset dataset = load(file, "key.column", "Index");

            assertThat(headers(dataset)).containsExactly("Index", "Value");
            assertThat(rows(dataset)).containsExactly(row("NYA", "1"), row("HSI", "2"));
            assertThat(dataset.keyColumn()).map(Column::header).contains("Index");
        }

        @Test
        void withoutHeaderAGarbledMarkIsNotPartOfTheFirstValue() throws IOException {
            Path file = write(concat(GARBLED_BOM, "NYA,1\nHSI,2\n".getBytes(StandardCharsets.UTF_8)));

            CsvDataset dataset = load(file, "csv.header", "false");

            assertThat(rows(dataset)).containsExactly(row("NYA", "1"), row("HSI", "2"));
        }

        @Test
        void aUtf16FileIsRefusedNamingTheFileAndTheFix() throws IOException {
            Path file = write(concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16BE)));

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class, e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageStartingWith(file + " line 1: the file starts with a UTF-16 BE byte order mark (FE FF)")
                    .hasMessageContaining("Save the file again as UTF-8");
        }

        @Test
        void blankLinesAreSkipped() throws IOException {
            CsvDataset dataset = load("\na,b\n\n1,2\n\n\n3,4\r\n\r\n\n5,6\n\n");

            assertThat(rows(dataset)).containsExactly(row("1", "2"), row("3", "4"), row("5", "6"));
        }

        @Test
        void skipLinesBeforeTheHeader() throws IOException {
            CsvDataset dataset = load("# exported 2021-06-30\n# \"quoted, note\nid,v\n1,2\n", "csv.skip.lines", "2");

            assertThat(headers(dataset)).containsExactly("id", "v");
            assertThat(rows(dataset)).containsExactly(row("1", "2"));
        }

        @Test
        void withoutHeaderColumnsAreNumberedAndTheFirstRowIsData() throws IOException {
            CsvDataset dataset = load("1,a,true\n2,b,false\n", "csv.header", "false");

            assertThat(headers(dataset)).containsExactly("column_1", "column_2", "column_3");
            assertThat(fields(dataset)).containsExactly("column_1", "column_2", "column_3");
            assertThat(types(dataset)).containsExactly(ColumnType.INT64, ColumnType.STRING, ColumnType.BOOLEAN);
            assertThat(rows(dataset)).containsExactly(row("1", "a", "true"), row("2", "b", "false"));
        }

        @Test
        void withoutHeaderASingleRowFileHasOneRow() throws IOException {
            CsvDataset dataset = load("1,a", "csv.header", "false");

            assertThat(dataset.rowCount()).isEqualTo(1);
            assertThat(dataset.row(0)).containsExactly("1", "a");
        }

        @Test
        void semicolonSeparator() throws IOException {
            CsvDataset dataset = load("name;price\nabc;1,5\ndef;2\n", "csv.separator", ";");

            assertThat(headers(dataset)).containsExactly("name", "price");
            assertThat(rows(dataset)).containsExactly(row("abc", "1,5"), row("def", "2"));
            assertThat(types(dataset)).containsExactly(ColumnType.STRING, ColumnType.STRING);
        }

        @Test
        void tabSeparator() throws IOException {
            CsvDataset dataset = load("name\tprice\nabc, inc\t1.5\n", "csv.separator", "\\t");

            assertThat(headers(dataset)).containsExactly("name", "price");
            assertThat(rows(dataset)).containsExactly(row("abc, inc", "1.5"));
            assertThat(types(dataset)).containsExactly(ColumnType.STRING, ColumnType.FLOAT64);
        }

        @Test
        void whitespaceSeparatorsByName() throws IOException {
            for (String tab : List.of("tab", "TAB", "\\t")) {
                assertThat(rows(load("name\tprice\nabc\t1.5\n", "csv.separator", tab))).as(tab)
                        .containsExactly(row("abc", "1.5"));
            }
            for (String space : List.of("space", "\\s")) {
                assertThat(rows(load("name price\n\"abc, inc\" 1.5\n", "csv.separator", space))).as(space)
                        .containsExactly(row("abc, inc", "1.5"));
            }
        }

        @Test
        void aSemicolonFileReadWithCommasIsDetected() throws IOException {
            Path file = write("a;b;c\n1;2;3\n");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.separator"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'a;b;c'")
                    .hasMessageContaining("Set csv.separator to ';'");
        }

        @Test
        void aTabFileReadWithCommasIsDetected() throws IOException {
            assertThatThrownBy(() -> load("a\tb\n1\t2\n"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.separator"))
                    .hasMessageContaining("contains tabs")
                    .hasMessageContaining("Set csv.separator to 'tab'");
        }

        @Test
        void aRealOneColumnFileIsFine() throws IOException {
            CsvDataset dataset = load("ticker\nNYA\nHSI\n");

            assertThat(headers(dataset)).containsExactly("ticker");
            assertThat(rows(dataset)).containsExactly(row("NYA"), row("HSI"));
        }

        @Test
        void otherCharsets() throws IOException {
            byte[] latin1 = "name,city\nZoë,Zürich\n".getBytes(StandardCharsets.ISO_8859_1);

            CsvDataset dataset = load(write(latin1), "csv.charset", "ISO-8859-1");

            assertThat(rows(dataset)).containsExactly(row("Zoë", "Zürich"));
        }

        @Test
        void invalidBytesAreReportedWithTheirLine() throws IOException {
            byte[] latin1 = "name,city\nAnn,Oslo\nZoë,Zürich\n".getBytes(StandardCharsets.ISO_8859_1);
            Path file = write(latin1);

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("UTF-8")
                    .hasMessageContaining("csv.charset");
        }

        @Test
        void rowLimitReadsOnlyTheFirstRows() throws IOException {
            StringBuilder text = new StringBuilder("n,v\n");
            for (int i = 0; i < 10; i++) {
                text.append(i).append(',').append(i * 10).append('\n');
            }
            text.append("not a number,x,too many fields\n");
            Path file = write(text.toString());

            CsvDataset dataset = load(config(file), 3);

            assertThat(dataset.rowCount()).isEqualTo(3);
            assertThat(rows(dataset)).containsExactly(row("0", "0"), row("1", "10"), row("2", "20"));
            assertThat(types(dataset)).containsExactly(ColumnType.INT64, ColumnType.INT64);
        }

        @Test
        void everyRowReadsBackAsParsed() throws IOException {
            List<String[]> expected = new ArrayList<>();
            StringBuilder text = new StringBuilder("id,text,n\r\n");
            for (int i = 0; i < 2_000; i++) {
                String value;
                String written;
                switch (i % 5) {
                    case 0 -> {
                        value = "plain " + i;
                        written = value;
                    }
                    case 1 -> {
                        value = "comma, " + "x".repeat(i % 300);
                        written = "\"" + value + "\"";
                    }
                    case 2 -> {
                        value = "line\nbreak \"" + i + "\"";
                        written = "\"line\nbreak \"\"" + i + "\"\"\"";
                    }
                    case 3 -> {
                        value = "ünïcödé " + i;
                        written = value;
                    }
                    default -> {
                        value = "";
                        written = "";
                    }
                }
                expected.add(row(Integer.toString(i), value, Integer.toString(i * 3)));
                text.append(i).append(',').append(written).append(',').append(i * 3)
                        .append(i % 2 == 0 ? "\n" : "\r\n");
                if (i % 97 == 0) {
                    text.append("\n\r\n");
                }
            }
            CsvDataset dataset = load(text.toString());

            assertThat(dataset.rowCount()).isEqualTo(2_000);
            assertThat(rows(dataset)).containsExactlyElementsOf(expected);
            // Random access in any order gives the same rows.
            for (long i = 1_999; i >= 0; i -= 7) {
                assertThat(dataset.row(i)).containsExactly(expected.get((int) i));
            }
        }
    }

    @Nested
    class NullsAndTypes {

        @Test
        void emptyAndNullTextAreNullFields() throws IOException {
            CsvDataset dataset = load("a,b,c\n1,,x\n2,null,y\nnull,3,\n");

            assertThat(types(dataset)).containsExactly(ColumnType.INT64, ColumnType.INT64, ColumnType.STRING);
            Struct first = struct(dataset, 0);
            assertThat(first.get("a")).isEqualTo(1L);
            assertThat(first.get("b")).isNull();
            assertThat(struct(dataset, 1).get("b")).isNull();
            Struct last = struct(dataset, 2);
            assertThat(last.get("a")).isNull();
            assertThat(last.get("b")).isEqualTo(3L);
            assertThat(last.get("c")).isNull();
        }

        @Test
        void aColumnOfOnlyNullsIsAStringColumn() throws IOException {
            CsvDataset dataset = load("a,b\n1,\n2,null\n");

            assertThat(types(dataset)).containsExactly(ColumnType.INT64, ColumnType.STRING);
            assertThat(struct(dataset, 0).get("b")).isNull();
        }

        @Test
        void customNullValues() throws IOException {
            CsvDataset dataset = load("a,b\nNA,\n1,x\n", "csv.null.values", "NA");

            assertThat(types(dataset)).containsExactly(ColumnType.INT64, ColumnType.STRING);
            Struct first = struct(dataset, 0);
            assertThat(first.get("a")).isNull();
            assertThat(first.get("b")).isEqualTo("");
        }

        @Test
        void nullValuesOfWhitespaceAreWrittenWithEscapes() throws IOException {
            CsvDataset dataset = load("a,b\n1, \n ,\t\n3,x\n", "csv.null.values", "\\s,\\t");

            assertThat(types(dataset)).containsExactly(ColumnType.INT64, ColumnType.STRING);
            assertThat(struct(dataset, 0).get("b")).isNull();
            assertThat(struct(dataset, 1).get("a")).isNull();
            assertThat(struct(dataset, 1).get("b")).isNull();
        }

        @Test
        void quotedEmptyTextIsNullToo() throws IOException {
            CsvDataset dataset = load("a,b\n1,\"\"\n2,\"null\"\n");

            assertThat(struct(dataset, 0).get("b")).isNull();
            assertThat(struct(dataset, 1).get("b")).isNull();
        }

        @Test
        void booleanAndDateColumns() throws IOException {
            CsvDataset dataset = load("flag,day,when\ntrue,30/06/2021,x\nFALSE,01/07/2021,y\n",
                    "date.format", "dd/MM/yyyy");

            assertThat(types(dataset)).containsExactly(ColumnType.BOOLEAN, ColumnType.DATE, ColumnType.STRING);
            assertThat(struct(dataset, 1).get("flag")).isEqualTo(false);
            assertThat(struct(dataset, 1).get("day")).isEqualTo("2021-07-01");
        }

        @Test
        void anInvalidDateMakesTheColumnString() throws IOException {
            CsvDataset dataset = load("day\n2021-02-28\n2021-02-30\n");

            assertThat(types(dataset)).containsExactly(ColumnType.STRING);
        }

        @Test
        void overridesByHeaderName() throws IOException {
            CsvDataset dataset = load(STOCKS, "column.types", "Volume:float64, Date:string,Adj Close:string");

            assertThat(types(dataset)).containsExactly(ColumnType.STRING, ColumnType.STRING, ColumnType.FLOAT64,
                    ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.STRING, ColumnType.FLOAT64,
                    ColumnType.FLOAT64);
            Struct last = struct(dataset, 3);
            assertThat(last.get("Volume")).isEqualTo(1_435_980_000.0);
            assertThat(last.get("Adj Close")).isEqualTo("28946.140625");
        }

        @Test
        void overridesBySnakeCaseFieldName() throws IOException {
            CsvDataset dataset = load(STOCKS, "field.names", "snake_case",
                    "column.types", "adj_close:string,close_usd:string,Volume:float64");

            RowSchema schema = dataset.schema();
            assertThat(schema.column("adj_close")).get().extracting(Column::type).isEqualTo(ColumnType.STRING);
            assertThat(schema.column("close_usd")).get().extracting(Column::type).isEqualTo(ColumnType.STRING);
            assertThat(schema.column("volume")).get().extracting(Column::type).isEqualTo(ColumnType.FLOAT64);
            assertThat(struct(dataset, 0).get("close_usd")).isEqualTo("333.879006");
        }

        @Test
        void timestampOverride() throws IOException {
            CsvDataset dataset = load("id,at\n1,2021-06-30T14:00:00\n2,2021-06-30T16:00:00+02:00\n3,\n",
                    "column.types", "at:timestamp");

            assertThat(types(dataset)).containsExactly(ColumnType.INT64, ColumnType.TIMESTAMP);
            assertThat(struct(dataset, 0).get("at")).isEqualTo("2021-06-30T14:00:00Z");
            assertThat(struct(dataset, 1).get("at")).isEqualTo("2021-06-30T14:00:00Z");
            assertThat(struct(dataset, 2).get("at")).isNull();
        }

        @Test
        void anOverrideThatDoesNotFitAValueIsReported() throws IOException {
            Path file = write(STOCKS);

            assertThatThrownBy(() -> load(file, "column.types", "Index:int64"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("column.types"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("line 2")
                    .hasMessageContaining("'Index'")
                    .hasMessageContaining("'HSI'")
                    .hasMessageContaining("int64");
        }

        @Test
        void anOverrideFailingOnALaterRowNamesThatRow() throws IOException {
            Path file = write("id,flag\n1,true\n2,false\n3,yes\n");

            assertThatThrownBy(() -> load(file, "column.types", "flag:boolean"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("column.types"))
                    .hasMessageContaining("line 4")
                    .hasMessageContaining("'yes'");
        }

        @Test
        void anOverrideOfAnUnknownColumnIsReported() throws IOException {
            Path file = write(STOCKS);

            assertThatThrownBy(() -> load(file, "column.types", "Price:float64"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("column.types"))
                    .hasMessageContaining("'Price'")
                    .hasMessageContaining("Adj Close");
        }
    }

    @Nested
    class HeaderProblems {

        @Test
        void aRaggedRowIsReportedWithItsLine() throws IOException {
            Path file = write("a,b,c\n1,2,3\n4,5\n");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("2 fields")
                    .hasMessageContaining("header has 3");
        }

        @Test
        void aRowWithTooManyFieldsIsReported() throws IOException {
            assertThatThrownBy(() -> load("a,b\n1,2,3\n"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining("line 2")
                    .hasMessageContaining("3 fields");
        }

        @Test
        void duplicateHeaderNames() throws IOException {
            Path file = write("a,b,a\n1,2,3\n");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'a'");
        }

        @Test
        void namesCollidingAfterSnakeCase() throws IOException {
            Path file = write("Adj Close,adj_close\n1,2\n");

            assertThatThrownBy(() -> load(file, "field.names", "snake_case"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("field.names"))
                    .hasMessageContaining("'Adj Close'")
                    .hasMessageContaining("'adj_close'")
                    .hasMessageContaining("field.names=original");
            assertThat(fields(load(file))).containsExactly("Adj Close", "adj_close");
        }

        @Test
        void aNameWithoutLettersUnderSnakeCase() throws IOException {
            Path file = write("id,%\n1,2\n");

            assertThatThrownBy(() -> load(file, "field.names", "snake_case"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("field.names"))
                    .hasMessageContaining("'%'");
        }

        @Test
        void anEmptyHeaderName() throws IOException {
            Path file = write("a,,c\n1,2,3\n");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.header"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("column 2");
        }

        @Test
        void keyColumnNotFound() throws IOException {
            Path file = write(STOCKS);

            assertThatThrownBy(() -> load(file, "key.column", "Ticker"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("key.column"))
                    .hasMessageContaining("'Ticker'")
                    .hasMessageContaining("Index, Date");
        }

        @Test
        void columnsWhoseHeadersHaveSpacesAroundThemAreNamedWithoutThem() throws IOException {
            Path file = write("Index, Date, Close\nNYA,2021-06-30,1.5\nHSI,2021-07-01,2\n");

            CsvDataset dataset = load(file, "key.column", "Index", "timestamp.column", "Date",
                    "column.types", "Close:string");

            assertThat(headers(dataset)).as("the headers as written").containsExactly("Index", " Date", " Close");
            assertThat(dataset.schema().columns().get(2).type()).isEqualTo(ColumnType.STRING);
            assertThat(dataset.typedRow(0).timestampMillis())
                    .isEqualTo(Instant.parse("2021-06-30T00:00:00Z").toEpochMilli());
            assertThat(load(file, "key.column", "Close").keyColumn()).map(Column::header).contains(" Close");
        }

        @Test
        void aNameMatchingSeveralPaddedHeadersIsAmbiguous() throws IOException {
            Path file = write("a, Date,Date \n1,2,3\n");

            assertThatThrownBy(() -> load(file, "key.column", "Date"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("key.column"))
                    .hasMessageContaining("' Date' and 'Date '")
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("Rename the columns in the file");
        }

        @Test
        void timestampColumnNotFound() throws IOException {
            assertThatThrownBy(() -> load(STOCKS, "timestamp.column", "Day"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("timestamp.column"))
                    .hasMessageContaining("'Day'");
        }

        @Test
        void timestampColumnWithANull() throws IOException {
            Path file = write("id,day\n1,2021-06-30\n2,\n");

            assertThatThrownBy(() -> load(file, "timestamp.column", "day"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("timestamp.column"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("line 3");
        }

        @Test
        void timestampColumnWithAnUnparsableValue() throws IOException {
            Path file = write("id,day\n1,2021-06-30\n2,30/06/2021\n");

            assertThatThrownBy(() -> load(file, "timestamp.column", "day"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("timestamp.column.format"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("'30/06/2021'")
                    .hasMessageContaining("yyyy-MM-dd");
        }

        @Test
        void timestampColumnWithItsOwnFormat() throws IOException {
            CsvDataset dataset = load("id,at\n1,30/06/2021 14:00\n", "timestamp.column", "at",
                    "timestamp.column.format", "dd/MM/yyyy HH:mm", "timezone", "Europe/Paris");

            assertThat(dataset.typedRow(0).timestampMillis())
                    .isEqualTo(Instant.parse("2021-06-30T12:00:00Z").toEpochMilli());
        }
    }

    @Nested
    class FileProblems {

        @Test
        void missingFile() {
            Path file = dir.resolve("missing.csv");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("does not exist");
        }

        @Test
        void directory() {
            assertThatThrownBy(() -> load(dir))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("directory");
        }

        @Test
        void relativePath() {
            assertThatThrownBy(() -> load(Path.of("data", "prices.csv")))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining("data/prices.csv")
                    .hasMessageContaining("absolute path");
        }

        @Test
        void emptyFile() throws IOException {
            Path file = write("");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("no rows");
        }

        @Test
        void onlyBlankLines() throws IOException {
            assertThatThrownBy(() -> load("\n\r\n\n"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining("no rows");
        }

        @Test
        void everyLineSkipped() throws IOException {
            assertThatThrownBy(() -> load("a,b\n1,2\n", "csv.skip.lines", "5"))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining("after skipping 5 lines");
        }

        @Test
        void headerOnly() throws IOException {
            Path file = write("a,b\n");

            assertThatThrownBy(() -> load(file))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("no data rows")
                    .hasMessageContaining("csv.header=false");
        }

        @Test
        void aFileTruncatedAfterLoadingFailsReadsWithItsName() throws IOException {
            Path file = write(STOCKS);
            CsvDataset dataset = load(file);
            assertThat(dataset.row(3)[0]).isEqualTo("N225");

            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(STOCKS.indexOf("NYA"));
            }

            assertThat(dataset.row(0)[0]).as("rows before the cut still read").isEqualTo("HSI");
            assertThatThrownBy(() -> dataset.row(3))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("row 4")
                    .hasMessageContaining("restart");
        }

        @Test
        void aFileRewrittenInPlaceWithOtherRowsFailsReads() throws IOException {
            Path file = write("a,b\n1,2\n3,4\n");
            CsvDataset dataset = load(file);

            Files.writeString(file, "a,b\n1,2,3,4\n5,6\n");

            assertThatThrownBy(() -> dataset.row(0))
                    .isInstanceOfSatisfying(DatasetException.class,
                            e -> assertThat(e.configKey()).isEqualTo("csv.path"))
                    .hasMessageContaining(file.toString());
        }

        @Test
        void aFileReplacedByRenameKeepsBeingReadFromTheOriginal() throws IOException {
            Path file = write("a,b\n1,2\n3,4\n");
            CsvDataset dataset = load(file);
            Path replacement = write("a,b\nx,y\n");

            Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING);

            assertThat(rows(dataset)).containsExactly(row("1", "2"), row("3", "4"));
        }
    }

    @Nested
    class BundledSample {

        @Test
        void anEmptyPathLoadsTheBundledStockIndices() {
            CsvDataset dataset = load((Path) null);

            assertThat(dataset.name()).isEqualTo(SyntheticStockIndexData.RESOURCE_NAME);
            assertThat(String.join(",", headers(dataset))).isEqualTo("Index,Date,Open,High,Low,Close,Adj Close,"
                    + "Volume,CloseUSD");
            assertThat(types(dataset)).containsExactly(ColumnType.STRING, ColumnType.DATE, ColumnType.FLOAT64,
                    ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.INT64,
                    ColumnType.FLOAT64);
            assertThat(dataset.rowCount()).isEqualTo(14_616);
            Struct first = struct(dataset, 0);
            assertThat(first.get("Index")).isEqualTo("NYA");
            assertThat(first.get("Date")).isEqualTo(SyntheticStockIndexData.FIRST_DATE);
            assertThat(struct(dataset, dataset.rowCount() - 1).get("Index")).isEqualTo("J203.JO");
            assertThat(struct(dataset, dataset.rowCount() - 1).get("Volume")).isEqualTo(0L);
        }

        @Test
        void snakeCaseFieldNames() {
            CsvDataset dataset = load((Path) null, "field.names", "snake_case");

            assertThat(fields(dataset)).containsExactly("index", "date", "open", "high", "low", "close", "adj_close",
                    "volume", "close_usd");
        }

        @Test
        void everyRowMatchesTheBundledText() {
            CsvDataset dataset = load((Path) null);
            String[] lines = new String(SyntheticStockIndexData.csv(), StandardCharsets.UTF_8).split("\n");

            assertThat(dataset.rowCount()).isEqualTo(lines.length - 1);
            for (int i = 0; i < dataset.rowCount(); i++) {
                assertThat(dataset.row(i)).containsExactly(lines[i + 1].split(","));
            }
        }
    }

    @Nested
    class RowCache {

        @Test
        void rowsAreTypedOnceAndServedAgainAsTheSameValues() throws IOException {
            Path file = write(STOCKS);
            CsvDataset cached = load(file, "timestamp.column", "Date");
            CsvDataset uncached = load(file, "timestamp.column", "Date", "csv.cache.max.bytes", "0");

            for (long row = 0; row < cached.rowCount(); row++) {
                CsvDataset.TypedRow first = cached.typedRow(row);
                assertThat(cached.typedRow(row)).as("row %d is kept", row).isSameAs(first);
                assertThat(first).isEqualTo(uncached.typedRow(row));
                assertThat(uncached.typedRow(row)).as("without a cache every call types the row")
                        .isNotSameAs(uncached.typedRow(row));
            }
        }

        @Test
        void rowsBeyondTheBudgetAreReadEachTime() throws IOException {
            // A row of the reference layout is estimated at 376 bytes: 1000 bytes keep the first three rows asked
            // for (the budget is checked before each row is added), and no more.
            CsvDataset dataset = load(write(STOCKS), "csv.cache.max.bytes", "1000");

            List<CsvDataset.TypedRow> first = new ArrayList<>();
            for (long row = 0; row < 4; row++) {
                first.add(dataset.typedRow(row));
            }

            assertThat(dataset.typedRow(0)).isSameAs(first.get(0));
            assertThat(dataset.typedRow(2)).isSameAs(first.get(2));
            assertThat(dataset.typedRow(3)).isEqualTo(first.get(3)).isNotSameAs(first.get(3));
        }
    }

    /** What loading reads from each row: plain rows where they lie in the buffer, others parsed as Strings. */
    @Nested
    class WhileLoading {

        /** Every field quoted, which makes every row go through opencsv instead of the plain split. */
        private String quoted(String csv) {
            StringBuilder out = new StringBuilder();
            for (String line : csv.split("\n")) {
                out.append('"').append(line.replace(",", "\",\"")).append("\"\n");
            }
            return out.toString();
        }

        @Test
        void plainAndQuotedRowsGiveTheSameSchemaAndRows() throws IOException {
            String csv = "name,count,price,flag,day,note\n"
                    + "a,1,1.5,true,2021-06-30,x\n"
                    + "b,,2,FALSE,2021-07-01,null\n"
                    + "c,3.0,-0.25,false,,2021-07-02\n"
                    + "d,4,1e3,True,2020-02-29,7\n";
            CsvDataset plain = load(csv);
            CsvDataset quoted = load(quoted(csv));

            assertThat(types(plain)).containsExactly(ColumnType.STRING, ColumnType.INT64, ColumnType.FLOAT64,
                    ColumnType.BOOLEAN, ColumnType.DATE, ColumnType.STRING);
            assertThat(types(quoted)).isEqualTo(types(plain));
            for (long row = 0; row < plain.rowCount(); row++) {
                assertThat(struct(quoted, row)).as("row %d", row).isEqualTo(struct(plain, row));
            }
        }

        @Test
        void replayTimesAndKeysAreHandedOverInFileOrderWithoutSkippedRows() throws IOException {
            Path file = write("Index,Date,Close\n"
                    + "NYA,2021-06-30,1.5\n"
                    + "\"HS,I\",2021-06-29,2\n"
                    + "bad,row\n"
                    + "N225,2021-07-01,3\n");
            List<String> handed = new ArrayList<>();

            CsvDataset dataset = CsvDataset.load(config(file, "sampling.mode", "replay", "replay.time.column", "Date",
                    "key.column", "Index", "csv.malformed.rows", "skip"), Long.MAX_VALUE,
                    (millis, key) -> handed.add(key + "@" + Instant.ofEpochMilli(millis)));
            opened.add(dataset);

            assertThat(handed).containsExactly("NYA@2021-06-30T00:00:00Z", "HS,I@2021-06-29T00:00:00Z",
                    "N225@2021-07-01T00:00:00Z");
            assertThat(dataset.rowCount()).isEqualTo(3);
            assertThat(dataset.skippedRows()).isEqualTo(1);
        }

        @Test
        void withoutReplayTimeColumnNothingIsHandedOver() throws IOException {
            List<String> handed = new ArrayList<>();

            opened.add(CsvDataset.load(config(write(STOCKS)), Long.MAX_VALUE, (time, key) -> handed.add(key + "")));

            assertThat(handed).isEmpty();
        }
    }
}
