package io.github.csvsampling.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.csv.FileAccessPolicy;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The lake the Athena SQL is tested on: objects laid out by {@link SinkSimulator} with the shipped AWS sink config,
 * from records of the real connector with the shipped source config, placed in time relative to {@code now} so that
 * the queries over recent data (which compare with the current time) find them. In Kafka order (one partition,
 * transactions of {@value #TRANSACTION} records, so offsets have the gaps of commit markers):
 * <ul>
 * <li>edge times, index EDGE: 1900-01-01, 1969-12-31T23:59:59.999Z, the first and last millisecond of the DDL's
 * projected years (2025-01-01, 2035-12-31) and 9999-12-31T23:59:59.999Z; the first two and the last land in folders
 * the projection does not cover (the real sink truncates toward zero, so the 1969 record lands in 1970's first hour);
 * <li>{@value #BULK} sampled records of the bundled dataset, one about every 23 s until 25 minutes before now, among
 * them indices VOLA and VOLB (one quote each, the same volume: a tie in volume and in USD return);
 * <li>the last 6 minutes: {@value #RECENT} sampled records, among them rows of {@code lake/quotes-with-gaps.csv}: GAPS
 * (each nullable column missing once, an empty and an invalid date, its newest record without close and the one
 * before it without close in USD), a record without index, NOCLOSE (nothing but index and date), TIES (a trading day
 * sampled twice with different values at the same event time, then two days at one event time);
 * <li>copies: {@value #COPIES} bulk records delivered again after a change of flush.size, into objects cut at other
 * offsets.
 * </ul>
 * The sink leaves its last file open, so the newest records of each run are not in the lake, as in a real bucket.
 */
final class LakeFixture {

    static final int BULK = 600;
    static final int RECENT = 60;
    static final int COPIES = 7;
    static final int TRANSACTION = 10;
    static final List<Instant> EDGE_TIMES = List.of(Instant.parse("1900-01-01T00:00:00Z"),
            Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2035-12-31T23:59:59.999Z"), Instant.parse("9999-12-31T23:59:59.999Z"));

    /**
     * The lake: the time the recent records are placed before, the timestamp of the newest record the sink was given
     * (it is in the file the sink keeps open), and every line the sink committed, in writing order.
     */
    record Lake(Instant now, long newest, List<SinkSimulator.Written> written) {
    }

    private LakeFixture() {
    }

    /** Writes the objects under {@code bucketRoot}; {@code work} holds the CSV file the connector reads. */
    static Lake write(Path bucketRoot, Path work) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> source = Repo.connectorConfig(Repo.SOURCE_PUT);
        Map<String, String> sink = Repo.connectorConfig(Repo.SINK_AWS);

        List<SourceRecord> bulk = SampledRecords.take(source, BULK, 20261127L);
        List<SourceRecord> recent = SampledRecords.take(source, RECENT, 20261203L);
        Map<String, List<SourceRecord>> gaps = gapRows(source, work);

        List<SourceRecord> stream = new ArrayList<>();
        for (int i = 0; i < EDGE_TIMES.size(); i++) {
            stream.add(SinkSimulator.at(gaps.get("EDGE").get(i), EDGE_TIMES.get(i).toEpochMilli()));
        }
        long bulkEnd = now.minus(25, ChronoUnit.MINUTES).toEpochMilli();
        List<SourceRecord> timed = new ArrayList<>();
        for (int i = 0; i < bulk.size(); i++) {
            timed.add(SinkSimulator.at(bulk.get(i), bulkEnd - (BULK - 1 - i) * 23_000L - (i * 7919L) % 1000));
        }
        timed.add(SinkSimulator.at(gaps.get("VOLA").get(0), bulkEnd - 2 * 3_600_000L + 500));
        timed.add(SinkSimulator.at(gaps.get("VOLB").get(0), bulkEnd - 2 * 3_600_000L + 900));
        long recentStart = now.minus(6, ChronoUnit.MINUTES).toEpochMilli();
        for (int i = 0; i < recent.size(); i++) {
            timed.add(SinkSimulator.at(recent.get(i), recentStart + i * 5_000L + 250));
        }
        // GAPS, the record without index and NOCLOSE between 5:30 and 4:30 minutes before now, in file order.
        List<SourceRecord> nulls = new ArrayList<>(gaps.get("GAPS"));
        nulls.addAll(gaps.get(""));
        nulls.addAll(gaps.get("NOCLOSE"));
        for (int i = 0; i < nulls.size(); i++) {
            timed.add(SinkSimulator.at(nulls.get(i), recentStart + 30_000L + i * 5_000L + 1));
        }
        // TIES: the first two at one event time, the last two at another.
        List<SourceRecord> ties = gaps.get("TIES");
        long tie = now.minus(4, ChronoUnit.MINUTES).toEpochMilli() + 123;
        for (int i = 0; i < ties.size(); i++) {
            timed.add(SinkSimulator.at(ties.get(i), tie + (i / 2) * 60_000L));
        }
        // Kafka order is time order here (a stable sort keeps the ties in file order).
        timed.sort(Comparator.comparingLong(SourceRecord::timestamp));
        stream.addAll(timed);

        List<Long> offsets = SinkSimulator.transactionalOffsets(0, stream.size(), TRANSACTION);
        List<SinkSimulator.Written> written = new ArrayList<>(
                new SinkSimulator(source, sink).write(stream, offsets, bucketRoot));

        // Copies: records re-read after flush.size changed to 3 are cut into other objects than the first run's (the
        // first run position whose objects all get new keys, so that no object of the first run is replaced).
        Set<String> keys = written.stream().map(SinkSimulator.Written::key).collect(Collectors.toSet());
        Map<String, String> changed = new HashMap<>(sink);
        changed.put("flush.size", "3");
        SinkSimulator rerun = new SinkSimulator(source, changed);
        for (int from = EDGE_TIMES.size() + BULK / 2; ; from++) {
            List<SourceRecord> again = stream.subList(from, from + COPIES);
            List<Long> at = offsets.subList(from, from + COPIES);
            List<SinkSimulator.Written> copies = rerun.write(again, at, work.resolve("copies-" + from));
            if (copies.stream().noneMatch(w -> keys.contains(w.key()))) {
                written.addAll(rerun.write(again, at, bucketRoot));
                break;
            }
        }
        return new Lake(now, timed.get(timed.size() - 1).timestamp(), written);
    }

    /** The rows of {@code lake/quotes-with-gaps.csv} by index ("" for none), read by the connector in file order. */
    private static Map<String, List<SourceRecord>> gapRows(Map<String, String> source, Path work) throws Exception {
        Path csv = work.resolve("quotes-with-gaps.csv");
        try (InputStream in = LakeFixture.class.getResourceAsStream("/lake/quotes-with-gaps.csv")) {
            if (in == null) {
                throw new IllegalStateException("lake/quotes-with-gaps.csv is not on the class path");
            }
            Files.copy(in, csv, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>(source);
        config.put("csv.path", csv.toRealPath().toString());
        config.put("sampling.mode", "sequential");
        int rows;
        try (var lines = Files.lines(csv)) {
            rows = (int) lines.count() - 1;
        }
        // The worker operator's allow-list, for this file only and only while the connector reads it.
        String allowed = System.getProperty(FileAccessPolicy.PROPERTY);
        System.setProperty(FileAccessPolicy.PROPERTY, work.toRealPath().toString());
        List<SourceRecord> records;
        try {
            records = SampledRecords.take(config, rows, 1L);
        } finally {
            if (allowed == null) {
                System.clearProperty(FileAccessPolicy.PROPERTY);
            } else {
                System.setProperty(FileAccessPolicy.PROPERTY, allowed);
            }
        }
        Map<String, List<SourceRecord>> byIndex = new HashMap<>();
        for (SourceRecord record : records) {
            String index = ((Struct) record.value()).getString("index");
            byIndex.computeIfAbsent(index == null ? "" : index, k -> new ArrayList<>()).add(record);
        }
        return byIndex;
    }
}
