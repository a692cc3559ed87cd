package io.github.csvsampling.benchmarks.trivial;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Returns the same pre-built record, {@code batch.size} times per {@code poll()}: no I/O, no parsing, no
 * allocation per record. The record has the value schema, field values, null key, three headers and a source
 * partition and offset like those of our connector's records of the bundled sample, so the converter and the
 * producer do the same work per record.
 */
public class ConstantRecordSourceTask extends SourceTask {

    /** The value schema our connector infers for the bundled sample (field.names=original). */
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
    private List<SourceRecord> batch;
    private double recordsPerSecond;
    private long startNanos;
    private long emitted;

    @Override
    public String version() {
        return "benchmark";
    }

    @Override
    public void start(Map<String, String> props) {
        AbstractConfig config = new AbstractConfig(ConstantRecordSourceConnector.CONFIG, props);
        Struct value = new Struct(VALUE_SCHEMA)
                .put("Index", "N225")
                .put("Date", "2020-03-13")
                .put("Open", 17431.050781)
                .put("High", 17557.039063)
                .put("Low", 16690.599609)
                .put("Close", 17431.050781)
                .put("Adj Close", 17431.050781)
                .put("Volume", 160000000L)
                .put("CloseUSD", 158.622562);
        ConnectHeaders headers = new ConnectHeaders();
        headers.addInt("csv.task", 0);
        headers.addLong("csv.sequence", 1_234_567L);
        headers.addLong("csv.row", 12_345L);
        Map<String, Object> partition = Map.of("file", "constant", "task", 0);
        Map<String, Object> offset = Map.of("next", 1_234_568L, "seed", 42L, "fingerprint", "crc32c:00000000/0");
        SourceRecord record = new SourceRecord(partition, offset,
                config.getString(ConstantRecordSourceConnector.TOPIC), null, null, null, VALUE_SCHEMA, value,
                null, headers);
        batch = Collections.nCopies(config.getInt(ConstantRecordSourceConnector.BATCH_SIZE), record);
        recordsPerSecond = config.getDouble(ConstantRecordSourceConnector.RECORDS_PER_SECOND);
        startNanos = System.nanoTime();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (recordsPerSecond <= 0) {
            return batch;
        }
        long due = (long) ((System.nanoTime() - startNanos) * recordsPerSecond / 1e9) + 1 - emitted;
        if (due <= 0) {
            stopRequested.await(1, TimeUnit.MILLISECONDS);
            return null;
        }
        int count = (int) Math.min(due, batch.size());
        emitted += count;
        return batch.subList(0, count);
    }

    @Override
    public void stop() {
        stopRequested.countDown();
    }
}
