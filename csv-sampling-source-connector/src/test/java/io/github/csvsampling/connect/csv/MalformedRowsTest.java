package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import io.github.csvsampling.connect.schema.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** csv.malformed.rows: fail names the first bad row; skip leaves bad rows out and counts them. */
class MalformedRowsTest {

    private static final byte[] FILE = ("Index,Date,Close\n"
            + "NYA,2021-01-04,1.5\n"
            + "HSI,2021-01-04\n"
            + "N225,2021-01-04,\"2.5\n"
            + "more\"\n"
            + "SSMI,2021-01-04,3.5,extra\n"
            + "TWII,not-a-date,4.5\n"
            + "GDAXI,2021-01-05,5.5\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void failNamesTheFirstMalformedRow() throws Exception {
        Path file = write(FILE);

        assertThatThrownBy(() -> load(file, "fail"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file + " line 3").hasMessageContaining("2 fields");
    }

    @Test
    void skipLeavesMalformedRowsOutCountsThemAndReadsTheOthersExactly() throws Exception {
        Path file = write(FILE);

        try (CsvDataset dataset = load(file, "skip")) {
            assertThat(dataset.skippedRows()).as("2 fields, 4 fields, and an unparsable timestamp.column").isEqualTo(3);
            assertThat(dataset.rowCount()).isEqualTo(3);
            assertThat(dataset.row(0)).containsExactly("NYA", "2021-01-04", "1.5");
            assertThat(dataset.row(1)).containsExactly("N225", "2021-01-04", "2.5\nmore");
            assertThat(dataset.row(2)).containsExactly("GDAXI", "2021-01-05", "5.5");
            assertThat(dataset.schema().column("Close").orElseThrow().type())
                    .as("the skipped rows do not count towards inference").isEqualTo(ColumnType.STRING);
        }
    }

    @Test
    void skippedRowsDoNotWeakenTheInferredTypes() throws Exception {
        Path file = write("a,b\n1,2\nx\n3,4\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        try (CsvDataset dataset = load(file, "skip")) {
            assertThat(dataset.schema().column("a").orElseThrow().type()).isEqualTo(ColumnType.INT64);
            assertThat(dataset.row(1)).containsExactly("3", "4");
        }
    }

    @Test
    void invalidBytesAreSkippedToo() throws Exception {
        byte[] bad = "a,b\n1,2\n3,\u00e9\n5,6\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = write(bad);

        try (CsvDataset dataset = load(file, "skip")) {
            assertThat(dataset.skippedRows()).isEqualTo(1);
            assertThat(dataset.row(1)).containsExactly("5", "6");
        }
        assertThatThrownBy(() -> load(file, "fail")).hasMessageContaining("line 3").hasMessageContaining("UTF-8");
    }

    @Test
    void aFileOfOnlyMalformedRowsHasNoUsableRows() throws Exception {
        Path file = write("a,b\n1\n2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> load(file, "skip"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("no usable data rows")
                .hasMessageContaining("2 malformed rows skipped");
    }

    @Test
    void anUnclosedQuoteFailsEvenWhenSkipping() throws Exception {
        Path file = write("a,b\n1,\"2\n3,4\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> load(file, "skip")).hasMessageContaining("never closed");
    }

    /** Loads with timestamp.column=Date when the file has that column, so unparsable dates are malformed too. */
    private CsvDataset load(Path file, String mode) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of("topic", "t", "csv.path", file.toString(),
                "csv.malformed.rows", mode));
        if (Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("Index,Date")) {
            props.put("timestamp.column", "Date");
        }
        return CsvDataset.load(new CsvSamplingSourceConfig(props), Long.MAX_VALUE);
    }

    private Path write(byte[] content) throws Exception {
        Path file = dir.resolve("quotes.csv");
        Files.write(file, content);
        return file;
    }
}
