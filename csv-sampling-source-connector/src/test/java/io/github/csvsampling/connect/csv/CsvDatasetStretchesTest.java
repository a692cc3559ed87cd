package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;



import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;





import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large file is loaded in stretches by several threads, each stretch after the first read as if a record
 * started where it was cut. On random files full of what defeats that guess (line feeds inside quotes, blank
 * lines, CRLF, malformed rows, values that change a column's type late in the file), loading in stretches must give
 * exactly what one reader gives: the same rows at the same offsets, schema, fingerprint, skipped rows and their
 * log lines, replay rows in the same order, and the same error for a file that fails.
 */
class CsvDatasetStretchesTest {

    @TempDir
    Path dir;

    /** Replay rows as a task collects them, in stretches. */
    private static final class Collected implements CsvDataset.ReplayRows {
        final List<String> rows = new ArrayList<>();

        @Override
        public void row(long epochMillis, CharSequence key) {
            rows.add(key + "@" + epochMillis);
        }

        @Override
        public CsvDataset.ReplayRows forLaterRows() {
            return new Collected();
        }

        @Override
        public void append(CsvDataset.ReplayRows later) {
            rows.addAll(((Collected) later).rows);
        }
    }

    /** Everything a load gives that a task uses, or the error it fails with. */
    private record Loaded(String error, long rows, long skipped, String fingerprint, String schema,
                          List<String> rowTexts, List<String> replay, List<String> warnings) {
    }

    @Test
    void stretchesGiveWhatOneReaderGives() throws IOException {
        Random random = new Random(42);
        Map<String, Integer> reads = new HashMap<>();
        for (int file = 0; file < 120; file++) {
            Path csv = dir.resolve("f" + file + ".csv");
            Files.write(csv, randomCsv(random, file));
            Map<String, String> props = new HashMap<>();
            props.put("topic", "t");
            props.put("csv.path", csv.toString());
            props.put("csv.malformed.rows", random.nextInt(3) == 0 ? "fail" : "skip");
            props.put("sampling.mode", "replay");
            props.put("replay.time.column", "day");
            props.put("key.column", "k");
            if (random.nextBoolean()) {
                props.put("timestamp.column", "day");
            }
            CsvSamplingSourceConfig config = new CsvSamplingSourceConfig(props);
            long size = Files.size(csv);

            Loaded whole = load(config, Long.MAX_VALUE, 1, reads);
            Loaded inStretches = load(config, Math.max(1, size / 7), 2 + random.nextInt(3), reads);

            assertThat(inStretches).as("file %d (%s)", file, props).isEqualTo(whole);
        }
        assertThat(reads).as("stretches kept and stretches read on").containsKeys("adopted", "read on");
        assertThat(reads.get("adopted")).isGreaterThan(40);
        assertThat(reads.get("read on")).isGreaterThan(40);
    }

    private Loaded load(CsvSamplingSourceConfig config, long minPartBytes, int maxParts, Map<String, Integer> reads) {
        Collected replay = new Collected();
        try (CsvDatasetWarnings warnings = new CsvDatasetWarnings()) {
            CsvDataset dataset;
            try {
                dataset = CsvDataset.load(config, Long.MAX_VALUE, replay, minPartBytes, maxParts);
            } catch (DatasetException e) {
                return new Loaded(e.configKey() + ": " + e.getMessage(), 0, 0, null, null, null, null, warnings.lines);
            }
            try (dataset) {
                dataset.stretches().forEach(read -> reads.merge(read, 1, Integer::sum));
                List<String> texts = new ArrayList<>();
                for (long i = 0; i < dataset.rowCount(); i++) {
                    texts.add(String.join("|", dataset.row(i)) + " -> " + dataset.typedRow(i));
                }
                return new Loaded(null, dataset.rowCount(), dataset.skippedRows(), dataset.fingerprint(),
                        dataset.schema().valueSchema().fields().toString(), texts, replay.rows, warnings.lines);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A file with a header k,day,a,b,note: rows mostly plain, some with quoted notes across lines (so that cuts land
     * inside quotes), blank lines, CRLF, a malformed row now and then, and a late value that makes a column a
     * string.
     */
    private static byte[] randomCsv(Random random, int file) {
        if (file % 5 == 1) {
            return rowsInsideQuotes(random);
        }
        StringBuilder out = new StringBuilder(random.nextBoolean() ? "k,day,a,b,note\n" : "k,day,a,b,note\r\n");
        int rows = 50 + random.nextInt(file % 4 == 0 ? 4_000 : 600);
        boolean quotesEverywhere = random.nextInt(5) == 0;
        boolean malformed = random.nextInt(3) == 0;
        for (int row = 0; row < rows; row++) {
            String key = "K" + random.nextInt(7);
            String day = String.format("2021-%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28));
            String a = random.nextInt(200) == 0 && row > rows / 2 ? "n/a" : Integer.toString(random.nextInt(1000));
            String b = random.nextInt(3) == 0 ? "" : random.nextInt(1000) + "." + random.nextInt(100);
            String note;
            switch (random.nextInt(quotesEverywhere ? 3 : 12)) {
                case 0:
                    note = "\"line one\nline, two\n\nline four\"";
                    break;
                case 1:
                    note = "\"said \"\"hi\"\"\"";
                    break;
                case 2:
                    note = "Zoë";
                    break;
                default:
                    note = "x" + row;
            }
            int shape = malformed ? random.nextInt(60) : 2 + random.nextInt(58);
            if (shape == 0) {
                out.append(key).append(',').append(day).append('\n'); // malformed: too few fields
            } else if (shape == 1) {
                out.append(key).append(",2021-02-30,").append(a).append(',').append(b).append(",bad day\n");
            } else if (shape == 2) {
                out.append('\n');
            } else {
                out.append(key).append(',').append(day).append(',').append(a).append(',').append(b).append(',')
                        .append(note).append(shape == 3 ? "\r\n" : "\n");
            }
        }
        if (random.nextInt(10) == 0) {
            out.append("K1,2021-01-01,1,2,\"never closed\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every row spans two lines, its quoted note holding a line that is itself a valid row: a reader that starts on
     * that line reads valid rows too, each its two lines in the other phase (its note's closing quote opens a quote
     * that the next row's note closes), so only the check of where records start rejects such a stretch.
     */
    private static byte[] rowsInsideQuotes(Random random) {
        StringBuilder out = new StringBuilder("k,day,a,b,note\n");
        for (int row = 0, rows = 200 + random.nextInt(3_000); row < rows; row++) {
            out.append('K').append(row % 7).append(",2021-01-").append(String.format("%02d", 1 + row % 28))
                    .append(',').append(row).append(",1.5,\"x\n");
            out.append('K').append(row % 5).append(",2021-02-").append(String.format("%02d", 1 + row % 28))
                    .append(',').append(row + 1).append(",2.5,y\"\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
