package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks of one connector on one worker load a file once, and never share a content that is not the file's now. */
class SharedFilesTest {

    private static final String CSV = "Index,Date,Close\nNYA,2021-06-30,1.5\nHSI,2021-06-29,2\nN225,2021-07-01,3\n";

    @TempDir
    Path dir;

    private final List<CsvDataset> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (CsvDataset dataset : opened) {
            dataset.close();
        }
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static CsvSamplingSourceConfig task(Path file, int taskId, String... keysAndValues) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "quotes");
        props.put("topic", "t");
        props.put("csv.path", file.toString());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new CsvSamplingSourceTaskConfig(CsvSamplingSourceTaskConfig.forTask(props, taskId, 3));
    }

    private CsvDataset load(CsvSamplingSourceConfig config) {
        CsvDataset dataset = CsvDataset.load(config, Long.MAX_VALUE);
        opened.add(dataset);
        return dataset;
    }

    private static List<String> rows(CsvDataset dataset) {
        List<String> rows = new ArrayList<>();
        for (long i = 0; i < dataset.rowCount(); i++) {
            rows.add(dataset.typedRow(i).toString());
        }
        return rows;
    }

    @Test
    void tasksOfOneConnectorUseOneLoadWhileOneOfThemRuns() throws IOException {
        Path file = write("quotes.csv", CSV);
        CsvDataset first = load(task(file, 0));
        CsvDataset second = load(task(file, 1));

        assertThat(first.loadedByAnotherTask()).isFalse();
        assertThat(second.loadedByAnotherTask()).isTrue();
        assertThat(rows(second)).isEqualTo(rows(first)).hasSize(3);
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());

        first.close();
        opened.remove(first);
        assertThat(rows(second)).as("the file stays open for the task still using it").hasSize(3);
        second.close();
        opened.remove(second);
        assertThat(load(task(file, 1)).loadedByAnotherTask()).as("nobody uses it any more: loaded again").isFalse();
    }

    @Test
    void aFileChangedSinceItWasLoadedIsLoadedAgain() throws IOException {
        Path file = write("quotes.csv", CSV);
        CsvDataset first = load(task(file, 0));
        Files.writeString(file, CSV.replace("1.5", "9.5"), StandardCharsets.UTF_8); // same size, new content

        CsvDataset second = load(task(file, 1));

        assertThat(second.loadedByAnotherTask()).isFalse();
        assertThat(second.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(second.row(0)).containsExactly("NYA", "2021-06-30", "9.5");
    }

    @Test
    void aFileReplacedByAnotherIsLoadedAgainUnlessItsContentIsTheSame() throws IOException {
        Path file = write("quotes.csv", CSV);
        load(task(file, 0));
        Files.move(write("new.csv", CSV + "DJI,2021-07-02,4\n"), file, StandardCopyOption.REPLACE_EXISTING);

        CsvDataset second = load(task(file, 1));
        assertThat(second.loadedByAnotherTask()).isFalse();
        assertThat(second.rowCount()).isEqualTo(4);

        Files.move(write("same.csv", CSV + "DJI,2021-07-02,4\n"), file, StandardCopyOption.REPLACE_EXISTING);
        CsvDataset third = load(task(file, 2));
        assertThat(third.loadedByAnotherTask()).as("the same bytes: what counts is the content").isTrue();
        assertThat(rows(third)).isEqualTo(rows(second));
    }

    @Test
    void differentSettingsLoadApart() throws IOException {
        Path file = write("quotes.csv", CSV);
        load(task(file, 0));

        assertThat(load(task(file, 1, "csv.null.values", "NYA")).loadedByAnotherTask()).isFalse();
        assertThat(load(task(file, 2, "field.names", "snake_case")).loadedByAnotherTask()).isFalse();
    }

    @Test
    void replayAndValidationLoadApart() throws IOException {
        Path file = write("quotes.csv", CSV);
        CsvSamplingSourceConfig replay = task(file, 0, "sampling.mode", "replay", "replay.time.column", "Date");
        load(replay);

        CsvDataset withRows = CsvDataset.load(task(file, 1, "sampling.mode", "replay", "replay.time.column", "Date"),
                Long.MAX_VALUE, (millis, key) -> { });
        opened.add(withRows);
        CsvDataset limited = CsvDataset.load(replay, 100);
        opened.add(limited);

        assertThat(withRows.loadedByAnotherTask()).isFalse();
        assertThat(limited.loadedByAnotherTask()).isFalse();
    }

    @Test
    void tasksStartingTogetherLoadOnce() throws Exception {
        StringBuilder csv = new StringBuilder("Index,Date,Close\n");
        for (int i = 0; i < 200_000; i++) {
            csv.append("K").append(i % 50).append(",2021-06-").append(10 + i % 20).append(',').append(i).append(".5\n");
        }
        Path file = write("large.csv", csv.toString());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CsvDataset>> starts = new ArrayList<>();
            for (int task = 0; task < 4; task++) {
                int id = task;
                starts.add(threads.submit(() -> {
                    go.await();
                    return load(task(file, id));
                }));
            }
            go.countDown();
            List<CsvDataset> datasets = new ArrayList<>();
            for (Future<CsvDataset> start : starts) {
                datasets.add(start.get(60, TimeUnit.SECONDS));
            }

            assertThat(datasets).filteredOn(d -> !d.loadedByAnotherTask()).hasSize(1);
            assertThat(datasets).allSatisfy(d -> {
                assertThat(d.rowCount()).isEqualTo(200_000);
                assertThat(d.fingerprint()).isEqualTo(datasets.get(0).fingerprint());
                assertThat(d.typedRow(123_456)).isEqualTo(datasets.get(0).typedRow(123_456));
            });
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void whenTheLoadFailsEveryTaskFailsWithTheMessage() throws IOException {
        Path file = write("bad.csv", CSV + "DJI,2021-07-02\n");

        assertThatThrownBy(() -> load(task(file, 0))).isInstanceOf(DatasetException.class).hasMessageContaining("line 5");
        assertThatThrownBy(() -> load(task(file, 1))).isInstanceOf(DatasetException.class).hasMessageContaining("line 5");
    }
}
