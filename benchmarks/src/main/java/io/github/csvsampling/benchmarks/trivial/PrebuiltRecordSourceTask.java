package io.github.csvsampling.benchmarks.trivial;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Builds the records of the first rows of a CSV file at start, then returns them in a cycle, {@code batch.size}
 * per {@code poll()}: no I/O, parsing or record building while it runs. Each record has the value schema our
 * connector infers for the reference layout (field.names=original), the row's values typed as ours types them, a
 * null key, the three headers ours sets and a source partition and offset of the same shape.
 */
public class PrebuiltRecordSourceTask extends SourceTask {

    static final String HEADER = "Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD";

    /** The value schema our connector infers for the reference layout (field.names=original). */
    static final Schema VALUE_SCHEMA = SchemaBuilder.struct().name("io.github.csvsampling.CsvRow")
            .field("Index", Schema.OPTIONAL_STRING_SCHEMA)
            .field("Date", Schema.OPTIONAL_STRING_SCHEMA)
            .field("Open", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("High", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("Low", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("Close", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("Adj Close", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("Volume", Schema.OPTIONAL_INT64_SCHEMA)
            .field("CloseUSD", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private SourceRecord[] records;
    private int batchSize;
    private double recordsPerSecond;
    private long startNanos;
    private long emitted;

    @Override
    public String version() {
        return "benchmark";
    }

    @Override
    public void start(Map<String, String> props) {
        AbstractConfig config = new AbstractConfig(PrebuiltRecordSourceConnector.CONFIG, props);
        Path csv = Path.of(config.getString(PrebuiltRecordSourceConnector.CSV_PATH));
        records = build(csv, config.getInt(PrebuiltRecordSourceConnector.ROWS),
                config.getString(PrebuiltRecordSourceConnector.TOPIC));
        batchSize = config.getInt(PrebuiltRecordSourceConnector.BATCH_SIZE);
        recordsPerSecond = config.getDouble(PrebuiltRecordSourceConnector.RECORDS_PER_SECOND);
        startNanos = System.nanoTime();
    }

    private static SourceRecord[] build(Path csv, int rows, String topic) {
        Map<String, Object> partition = new LinkedHashMap<>();
        partition.put("file", csv.toString());
        partition.put("task", 0);
        List<SourceRecord> built = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            if (!HEADER.equals(reader.readLine())) {
                throw new ConfigException(csv + " does not start with the reference header " + HEADER);
            }
            String line;
            while (built.size() < rows && (line = reader.readLine()) != null) {
                String[] f = line.split(",", -1);
                Struct value = new Struct(VALUE_SCHEMA)
                        .put("Index", f[0])
                        .put("Date", f[1])
                        .put("Open", Double.parseDouble(f[2]))
                        .put("High", Double.parseDouble(f[3]))
                        .put("Low", Double.parseDouble(f[4]))
                        .put("Close", Double.parseDouble(f[5]))
                        .put("Adj Close", Double.parseDouble(f[6]))
                        .put("Volume", (long) Double.parseDouble(f[7]))
                        .put("CloseUSD", Double.parseDouble(f[8]));
                long sequence = built.size();
                ConnectHeaders headers = new ConnectHeaders();
                headers.addInt("csv.task", 0);
                headers.addLong("csv.sequence", sequence);
                headers.addLong("csv.row", sequence + 1);
                Map<String, Object> offset = new LinkedHashMap<>();
                offset.put("sequence", sequence + 1);
                offset.put("seed", 42L);
                offset.put("fingerprint", "crc32c:00000000:0");
                built.add(new SourceRecord(partition, offset, topic, null, null, null, VALUE_SCHEMA, value, null,
                        headers));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + csv, e);
        }
        return built.toArray(new SourceRecord[0]);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long count = batchSize;
        if (recordsPerSecond > 0) {
            long due = (long) ((System.nanoTime() - startNanos) * recordsPerSecond / 1e9) + 1 - emitted;
            if (due <= 0) {
                stopRequested.await(1, TimeUnit.MILLISECONDS);
                return null;
            }
            count = Math.min(due, batchSize);
        }
        List<SourceRecord> batch = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            batch.add(records[(int) (emitted++ % records.length)]);
        }
        return batch;
    }

    @Override
    public void stop() {
        stopRequested.countDown();
    }
}
