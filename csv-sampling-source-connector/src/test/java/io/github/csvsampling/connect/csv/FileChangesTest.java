package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a loaded dataset does when its file changes underneath: keep serving what it loaded when
 * that is still intact (appended, deleted, replaced), fail naming the file when it is not
 * (truncated, rewritten), and never hand out a row it cannot vouch for.
 */
class FileChangesTest {

    private static final String CONTENT = "Index,Close\nNYA,1.5\nHSI,2.5\nN225,3.5\n";

    @TempDir
    Path dir;

    private Path file;
    private CsvDataset dataset;
    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void load() throws Exception {
        file = dir.resolve("quotes.csv");
        Files.writeString(file, CONTENT, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        dataset = CsvDataset.load(new CsvSamplingSourceConfig(Map.of("topic", "t", "csv.path", file.toString())),
                Long.MAX_VALUE);
    }

    @AfterEach
    void close() throws Exception {
        dataset.close();
    }

    @Test
    void anUnchangedFileIsQuiet() {
        dataset.checkUnchanged(warnings::add);

        assertThat(warnings).isEmpty();
    }

    @Test
    void appendedRowsAreIgnoredWithOneWarningUntilRestart() throws Exception {
        Files.writeString(file, "SSMI,4.5\n", StandardOpenOption.APPEND);
        touch();

        dataset.checkUnchanged(warnings::add);
        dataset.checkUnchanged(warnings::add);

        assertThat(warnings).singleElement().asString().contains(file.toString()).contains("grew");
        assertThat(dataset.rowCount()).isEqualTo(3);
        assertThat(dataset.row(2)).containsExactly("N225", "3.5");
    }

    @Test
    void aTruncatedFileFailsNamingIt() throws Exception {
        Files.writeString(file, "Index,Close\nNYA,1.5\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> dataset.checkUnchanged(warnings::add))
                .isInstanceOf(DatasetException.class).hasMessageContaining(file.toString()).hasMessageContaining("truncated");
    }

    @Test
    void aFileRewrittenInPlaceWithTheSameSizeFails() throws Exception {
        Files.writeString(file, CONTENT.replace("1.5", "9.9"), StandardCharsets.UTF_8);
        touch();

        assertThatThrownBy(() -> dataset.checkUnchanged(warnings::add))
                .isInstanceOf(DatasetException.class).hasMessageContaining(file.toString()).hasMessageContaining("rewritten");
    }

    @Test
    void aFileRewrittenInPlaceLongerFailsRatherThanPassingForAnAppend() throws Exception {
        Files.writeString(file, "Index,Close\nTWII,7.25\nHSI,2.5\nN225,3.5\nSSMI,4.5\n", StandardCharsets.UTF_8);
        touch();

        assertThatThrownBy(() -> dataset.checkUnchanged(warnings::add))
                .isInstanceOf(DatasetException.class).hasMessageContaining("rewritten");
    }

    @Test
    void aDeletedFileKeepsBeingServedFromTheOpenFile() throws Exception {
        Files.delete(file);

        dataset.checkUnchanged(warnings::add);

        assertThat(warnings).singleElement().asString().contains("deleted");
        assertThat(dataset.row(1)).containsExactly("HSI", "2.5");
    }

    @Test
    void aFileReplacedByRenameKeepsTheLoadedContent() throws Exception {
        Path replacement = dir.resolve("new.csv");
        Files.writeString(replacement, "Index,Close\nX,0\n", StandardCharsets.UTF_8);
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        dataset.checkUnchanged(warnings::add);

        assertThat(warnings).singleElement().asString().contains("replaced");
        assertThat(dataset.row(0)).containsExactly("NYA", "1.5");
    }

    @Test
    void aRowThatNoLongerFitsItsTypeIsNeverEmitted() throws Exception {
        Files.writeString(file, CONTENT.replace("2.5", "abc"), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> dataset.typedRow(1))
                .isInstanceOf(DatasetException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("no longer fits");
    }

    private void touch() throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
    }
}
