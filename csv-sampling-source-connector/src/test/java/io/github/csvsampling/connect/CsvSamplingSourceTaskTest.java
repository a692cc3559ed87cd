package io.github.csvsampling.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;
import io.github.csvsampling.connect.csv.DatasetException;
import io.github.csvsampling.connect.offsets.TaskOffsets;
import io.github.csvsampling.stack.StandaloneTaskContext;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real task driven by a fake monotonic clock and in-memory offsets: pacing, offsets, resume, bounds. */
class CsvSamplingSourceTaskTest {

    private static final Instant WALL = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private long nanos = 1_000_000_000L;
    private final Map<Map<String, Object>, Map<String, Object>> storedOffsets = new HashMap<>();
    private CsvSamplingSourceTask task;

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    @Test
    void emitsTheFirstRecordAtOnceThenOnePerPeriod() throws Exception {
        start(Map.of("records.per.second", "2", "random.seed", "1"));

        assertThat(task.poll()).hasSize(1);
        assertThat(task.poll()).isNull();
        advanceMillis(499);
        assertThat(task.poll()).isNull();
        advanceMillis(1);
        assertThat(task.poll()).hasSize(1);
        advanceMillis(1_000);
        assertThat(task.poll()).hasSize(2);
    }

    @Test
    void aStallIsFollowedByABoundedBurstThenTheRate() throws Exception {
        start(Map.of("records.per.second", "2", "random.seed", "1", "pacing.max.catchup.ms", "1000"));
        assertThat(task.poll()).hasSize(1);

        advanceMillis(10_000);
        assertThat(task.poll()).as("one record due now plus 1 s of catch-up at 2/s").hasSize(3);
        assertThat(task.poll()).isNull();
        advanceMillis(500);
        assertThat(task.poll()).hasSize(1);
    }

    @Test
    void recordsCarryTypedValuesKeyTimestampHeadersAndOffsets() throws Exception {
        Path csv = write("quotes.csv", "Index,Date,Close,Volume\nNYA,2021-06-30,16500.25,100.0\n");
        start(Map.of("csv.path", csv.toString(), "key.column", "Index", "records.per.second", "1000",
                "random.seed", "3", "field.names", "snake_case"));

        SourceRecord record = task.poll().get(0);

        Struct value = (Struct) record.value();
        assertThat(value.getString("index")).isEqualTo("NYA");
        assertThat(value.getString("date")).isEqualTo("2021-06-30");
        assertThat(value.getFloat64("close")).isEqualTo(16500.25);
        assertThat(value.getInt64("volume")).isEqualTo(100L);
        assertThat(record.key()).isEqualTo("NYA");
        assertThat(record.keySchema().type().getName()).isEqualTo("string");
        assertThat(record.timestamp()).isEqualTo(WALL.toEpochMilli());
        assertThat(record.topic()).isEqualTo("quotes");
        assertThat(record.sourcePartition()).isEqualTo(TaskOffsets.partition(csv.toString(), 0));
        Map<String, Object> offset = new HashMap<>(record.sourceOffset());
        assertThat(offset).containsEntry("sequence", 1L).containsEntry("seed", 3L)
                .hasEntrySatisfying("fingerprint", f -> assertThat(f.toString()).matches("crc32c:[0-9a-f]{8}:\\d+"));
        assertThat(record.headers().lastWithName("csv.task").value()).isEqualTo(0);
        assertThat(record.headers().lastWithName("csv.sequence").value()).isEqualTo(0L);
        assertThat(record.headers().lastWithName("csv.row").value()).isEqualTo(1L);
    }

    @Test
    void resumesFromTheStoredOffsetWithTheStoredSeed() throws Exception {
        start(Map.of("records.per.second", "1000"));
        advanceMillis(10);
        List<SourceRecord> first = task.poll();
        assertThat(first).hasSize(11);
        SourceRecord last = first.get(10);
        long seed = TaskOffsets.position(last.sourceOffset()).seed();
        List<Object> rowsOfAnUninterruptedRun = first.stream().map(r -> r.headers().lastWithName("csv.row").value())
                .collect(Collectors.toList());
        task.stop();

        storedOffsets.put(TaskOffsets.partition(last.sourcePartition().get("file").toString(), 0),
                TaskOffsets.offset(6, seed, last.sourceOffset().get("fingerprint").toString()));
        start(Map.of("records.per.second", "1000"));
        advanceMillis(4);
        List<SourceRecord> resumed = task.poll();

        assertThat(resumed).hasSize(5);
        assertThat(resumed.get(0).headers().lastWithName("csv.sequence").value()).isEqualTo(6L);
        assertThat(resumed.stream().map(r -> r.headers().lastWithName("csv.row").value()).collect(Collectors.toList()))
                .isEqualTo(rowsOfAnUninterruptedRun.subList(6, 11));
    }

    @Test
    void maxRecordsLeavesTheTaskIdleNotFailed() throws Exception {
        start(Map.of("records.per.second", "1000", "max.records", "5", "random.seed", "1"));
        advanceMillis(1_000);

        assertThat(task.poll()).hasSize(5);
        advanceMillis(1_000);
        long before = System.nanoTime();
        assertThat(task.poll()).isNull();
        assertThat(System.nanoTime() - before).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void batchSizeCapsEachPoll() throws Exception {
        start(Map.of("records.per.second", "10000", "batch.size", "100", "random.seed", "1"));
        advanceMillis(1_000);

        assertThat(task.poll()).hasSize(100);
        assertThat(task.poll()).hasSize(100);
    }

    @Test
    void pollReturnsWithinTheWaitSliceAtSlowRates() throws Exception {
        start(Map.of("records.per.second", "0.01", "random.seed", "1"));
        assertThat(task.poll()).hasSize(1);

        long before = System.nanoTime();
        assertThat(task.poll()).isNull();
        assertThat(System.nanoTime() - before).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
    }

    @Test
    void aMalformedStoredOffsetFailsTheStartWithAClearMessage() {
        storedOffsets.put(TaskOffsets.partition(
                io.github.csvsampling.connect.sample.SyntheticStockIndexData.RESOURCE_NAME, 0),
                Map.of("sequence", "twelve", "seed", 1L));

        assertThatThrownBy(() -> start(Map.of()))
                .hasMessageContaining("sequence").hasMessageContaining("DELETE /connectors/<name>/offsets");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"random", "shuffle", "sequential", "replay"})
    void aTaskResumedFromAnyOffsetEmitsTheSameRecordsAsAnUninterruptedOne(String mode) throws Exception {
        Map<String, String> settings = Map.of("sampling.mode", mode, "records.per.second", "100000",
                "replay.time.column", "Date", "replay.speed", "1000000", "key.column", "Index", "random.seed", "21");
        start(settings);
        advanceMillis(1_000);
        List<SourceRecord> uninterrupted = task.poll();
        assertThat(uninterrupted).hasSize(1000);
        task.stop();

        for (int resumeAt : new int[] {1, 137, 999}) {
            SourceRecord before = uninterrupted.get(resumeAt - 1);
            storedOffsets.put(new HashMap<>(before.sourcePartition()), new HashMap<>(before.sourceOffset()));
            start(settings);
            advanceMillis(1_000);
            List<SourceRecord> resumed = task.poll();
            task.stop();
            for (int i = 0; i < Math.min(resumed.size(), 1000 - resumeAt); i++) {
                SourceRecord expected = uninterrupted.get(resumeAt + i);
                SourceRecord actual = resumed.get(i);
                assertThat(actual.key()).isEqualTo(expected.key());
                assertThat(actual.value()).as("%s record %d", mode, resumeAt + i).isEqualTo(expected.value());
                assertThat(actual.headers()).isEqualTo(expected.headers());
                assertThat(actual.sourceOffset()).isEqualTo(expected.sourceOffset());
            }
        }
    }

    @Test
    void aChangedFileRestartsTheStreamByDefault() throws Exception {
        Path csv = write("quotes.csv", "Index,Close\nNYA,1.5\nHSI,2.5\n");
        start(Map.of("csv.path", csv.toString(), "records.per.second", "1000", "random.seed", "1"));
        advanceMillis(5);
        SourceRecord last = task.poll().get(5);
        task.stop();
        storedOffsets.put(last.sourcePartition().entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), new HashMap<>(last.sourceOffset()));

        start(Map.of("csv.path", csv.toString(), "records.per.second", "1000", "random.seed", "1"));
        assertThat(task.poll().get(0).headers().lastWithName("csv.sequence").value())
                .as("the same content resumes").isEqualTo(6L);
        task.stop();

        write("quotes.csv", "Index,Close\nNYA,1.5\nHSI,2.75\n");
        start(Map.of("csv.path", csv.toString(), "records.per.second", "1000", "random.seed", "1"));
        assertThat(task.poll().get(0).headers().lastWithName("csv.sequence").value())
                .as("changed content starts over").isEqualTo(0L);
    }

    @Test
    void aChangedFileFailsTheTaskWhenAskedTo() throws Exception {
        Path csv = write("quotes.csv", "Index,Close\nNYA,1.5\n");
        storedOffsets.put(TaskOffsets.partition(csv.toString(), 0), TaskOffsets.offset(9, 1, "crc32c:00000000:1"));

        assertThatThrownBy(() -> start(Map.of("csv.path", csv.toString(), "csv.change.policy", "fail")))
                .hasMessageContaining(csv.toString()).hasMessageContaining("has changed")
                .hasMessageContaining("DELETE /connectors/<name>/offsets");
    }

    @Test
    void aGarbledByteOrderMarkShiftsNoRowAndKeepsOffsetsStoredBeforeItWasRecognised() throws Exception {
        String body = "Index,Close\nNYA,1.5\nHSI,2.5\nN225,3.5\n";
        Path clean = write("clean.csv", body);
        Path garbled = write("garbled.csv", "\u00EF\u00BB\u00BF" + body); // the bytes C3 AF C2 BB C2 BF, then the body
        Map<String, String> settings = Map.of("sampling.mode", "sequential", "records.per.second", "1000",
                "random.seed", "1", "key.column", "Index", "csv.change.policy", "fail");
        start(with(settings, "csv.path", clean.toString()));
        advanceMillis(10);
        List<SourceRecord> reference = task.poll();
        task.stop();
        // Earlier versions read the garbled mark as part of the header, so their fingerprint covers every byte.
        byte[] bytes = Files.readAllBytes(garbled);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        String storedFingerprint = String.format(java.util.Locale.ROOT, "crc32c:%08x:%d", crc.getValue(), bytes.length);
        storedOffsets.put(TaskOffsets.partition(garbled.toString(), 0), TaskOffsets.offset(5, 1, storedFingerprint));

        start(with(settings, "csv.path", garbled.toString()));
        advanceMillis(5);
        List<SourceRecord> resumed = task.poll();

        assertThat(resumed.get(0).headers().lastWithName("csv.sequence").value()).as("resumed, not restarted")
                .isEqualTo(5L);
        assertThat(resumed.get(0).sourceOffset().get("fingerprint")).isEqualTo(storedFingerprint);
        for (int i = 0; i < 5; i++) {
            SourceRecord expected = reference.get(5 + i);
            assertThat(resumed.get(i).headers().lastWithName("csv.row").value())
                    .isEqualTo(expected.headers().lastWithName("csv.row").value());
            assertThat(resumed.get(i).key()).isEqualTo(expected.key());
            assertThat(resumed.get(i).value()).isEqualTo(expected.value());
        }
    }

    @Test
    void replayEmitsEachDayTogetherAtTheStepRate() throws Exception {
        Path csv = write("days.csv", "Index,Date\nNYA,2021-01-07\nNYA,2021-01-08\nHSI,2021-01-07\nHSI,2021-01-08\n");
        start(Map.of("csv.path", csv.toString(), "sampling.mode", "replay", "replay.time.column", "Date",
                "replay.speed", "4", "replay.end", "stop"));

        List<SourceRecord> firstDay = task.poll();
        assertThat(firstDay).extracting(r -> ((Struct) r.value()).getString("Date")).containsExactly("2021-01-07", "2021-01-07");
        advanceMillis(249);
        assertThat(task.poll()).isNull();
        advanceMillis(1);
        assertThat(task.poll()).extracting(r -> ((Struct) r.value()).getString("Index")).containsExactly("NYA", "HSI");
        advanceMillis(1000);
        assertThat(task.poll()).as("replay.end=stop: idle after the last day").isNull();
    }

    @Test
    void aBadFileFailsTheStartNamingFileAndLine() throws Exception {
        Path csv = write("bad.csv", "a,b\n1,2\n3,4,5\n");

        assertThatThrownBy(() -> start(Map.of("csv.path", csv.toString())))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(csv.toString()).hasMessageContaining("line 3");
    }

    private void start(Map<String, String> settings) {
        Map<String, String> props = new HashMap<>(Map.of("topic", "quotes"));
        props.putAll(settings);
        task = new CsvSamplingSourceTask(() -> nanos, Clock.fixed(WALL, ZoneOffset.UTC));
        task.initialize(new StandaloneTaskContext(props, storedOffsets));
        task.start(CsvSamplingSourceTaskConfig.forTask(props, 0, 1));
    }

    private static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> props = new HashMap<>(settings);
        props.put(key, value);
        return props;
    }

    private void advanceMillis(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
