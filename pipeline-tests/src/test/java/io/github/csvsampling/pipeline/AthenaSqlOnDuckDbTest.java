package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.source.SourceRecord;
import io.github.csvsampling.lake.AthenaDdl;
import io.github.csvsampling.lake.DuckDbLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code athena-ddl.sql} and {@code athena-queries.sql} on DuckDB, over JSON objects laid out exactly as the S3
 * sink lays them out ({@link SinkSimulator}, fed by the real connector with the shipped configs). The table's
 * columns and partitions are taken from the DDL; the view and every analysis query run unchanged; results are
 * checked against values computed here in Java from the records written.
 */
class AthenaSqlOnDuckDbTest {

    private static final int RECORDS = 600;
    /** Event times: every ~23 s from 22:31 UTC, so the stream spans five hours and two days. */
    private static final long FIRST_EVENT = Instant.parse("2026-11-27T22:31:07.250Z").toEpochMilli();

    @TempDir
    static Path bucketRoot;

    private static AthenaDdl ddl;
    private static List<SinkSimulator.Written> written;
    private static List<Row> rows;
    private static DuckDbLake lake;

    /** A record as the view shows it, computed in Java. */
    record Row(String index, LocalDate tradingDay, double open, double high, double low, double close,
            double adjClose, long volume, double closeUsd, long eventTime) {
        LocalDateTime eventTs() {
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(eventTime), ZoneOffset.UTC);
        }
    }

    @BeforeAll
    static void writeTheSinksObjectsAndCreateTheAthenaObjectsInDuckDb() throws Exception {
        ddl = AthenaDdl.parse(Repo.text(Repo.ATHENA_DDL));
        Map<String, String> source = Repo.connectorConfig(Repo.SOURCE_PUT);
        Map<String, String> sink = Repo.connectorConfig(Repo.SINK_AWS);

        List<SourceRecord> sampled = SampledRecords.take(source, RECORDS, 20261127L);
        List<SourceRecord> stamped = new ArrayList<>();
        for (int i = 0; i < sampled.size(); i++) {
            stamped.add(SinkSimulator.at(sampled.get(i), FIRST_EVENT + i * 23_000L + (i * 7919L) % 1000));
        }
        written = new SinkSimulator(source, sink).write(stamped, bucketRoot);
        rows = written.stream().map(AthenaSqlOnDuckDbTest::row).toList();

        lake = DuckDbLake.open(ddl, bucketRoot);
    }

    @AfterAll
    static void close() throws SQLException {
        if (lake != null) {
            lake.close();
        }
    }

    private static Row row(SinkSimulator.Written w) {
        Map<String, Object> f = w.fields();
        for (var e : f.entrySet()) {
            assertThat(e.getValue()).as("%s of record %d (the expectations below assume no nulls)", e.getKey(),
                    w.offset()).isNotNull();
        }
        return new Row((String) f.get("index"), LocalDate.parse((String) f.get("date")), (Double) f.get("open"),
                (Double) f.get("high"), (Double) f.get("low"), (Double) f.get("close"), (Double) f.get("adj_close"),
                (Long) f.get("volume"), (Double) f.get("close_usd"), ((java.util.Date) f.get("event_time")).getTime());
    }

    // ---------------------------------------------------------------------------------------------------------
    // The DDL against what the sink writes

    @Test
    void theSinkWroteHourlyFoldersOfSmallFilesAndKeptTheTailOpen() {
        Pattern key = Pattern.compile("topics/stock-quotes/year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/"
                + "stock-quotes\\+0\\+\\d{10}\\.json");
        TreeSet<String> keys = written.stream().map(SinkSimulator.Written::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(keys).allMatch(k -> key.matcher(k).matches());
        assertThat(keys.stream().map(k -> k.substring(0, k.lastIndexOf('/'))).distinct().count())
                .as("hour folders").isGreaterThanOrEqualTo(5);
        assertThat(written.size()).as("the last, still open file is not written").isLessThan(RECORDS)
                .isGreaterThan(RECORDS - 10);
        // Rotation every minute of record time: every file spans less than rotate.interval.ms.
        long rotate = Long.parseLong(Repo.connectorConfig(Repo.SINK_AWS).get("rotate.interval.ms"));
        Map<String, List<SinkSimulator.Written>> files = written.stream()
                .collect(Collectors.groupingBy(SinkSimulator.Written::key));
        assertThat(files.values()).allSatisfy(f -> assertThat(f.get(f.size() - 1).timestamp() - f.get(0).timestamp())
                .isLessThan(rotate));
    }

    @Test
    void theTableHasTheSinksFieldsInOrderWithTheirTypes() throws Exception {
        assertThat(ddl.serde()).isEqualTo("org.apache.hive.hcatalog.data.JsonSerDe");
        for (SinkSimulator.Written w : written) {
            JsonNode object = Repo.JSON.readTree(w.json());
            assertThat(object.isObject()).isTrue();
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            assertThat(names).as("JSON keys of record %d", w.offset()).containsExactlyElementsOf(ddl.columns().keySet());
            for (var column : ddl.columns().entrySet()) {
                JsonNode value = object.get(column.getKey());
                switch (column.getValue()) {
                    case "string" -> assertThat(value.isTextual()).as(column.getKey()).isTrue();
                    case "double" -> assertThat(value.isNumber()).as(column.getKey()).isTrue();
                    case "bigint" -> assertThat(value.canConvertToLong() && value.isIntegralNumber()).as(column.getKey()).isTrue();
                    default -> throw new AssertionError("unexpected column type " + column.getValue());
                }
            }
        }
        assertThat(ddl.columns()).containsEntry("event_time", "bigint").containsEntry("date", "string");
    }

    @Test
    void partitionProjectionFindsExactlyTheSinksFolders() {
        Map<String, String> p = ddl.properties();
        assertThat(p).containsEntry("projection.enabled", "true");
        assertThat(ddl.partitionColumns().keySet()).containsExactly("year", "month", "day", "hour");
        String template = ddl.location() + ddl.partitionColumns().keySet().stream()
                .map(c -> c + "=${" + c + "}").collect(Collectors.joining("/")) + "/";
        assertThat(p).containsEntry("storage.location.template", template);
        Map<String, String> sink = Repo.connectorConfig(Repo.SINK_AWS);
        assertThat(ddl.location()).isEqualTo("s3://" + sink.get("s3.bucket.name") + "/"
                + sink.getOrDefault("topics.dir", "topics") + "/" + sink.get("topics") + "/");

        SinkSimulator partitioner = new SinkSimulator(Map.of(), sink);
        for (SinkSimulator.Written w : written) {
            LocalDateTime hour = LocalDateTime.ofInstant(Instant.ofEpochMilli(w.timestamp()), ZoneOffset.UTC);
            Map<String, Integer> values = Map.of("year", hour.getYear(), "month", hour.getMonthValue(),
                    "day", hour.getDayOfMonth(), "hour", hour.getHour());
            String path = template;
            for (String column : ddl.partitionColumns().keySet()) {
                assertThat(p).containsEntry("projection." + column + ".type", "integer");
                String[] range = p.get("projection." + column + ".range").split(",");
                int value = values.get(column);
                assertThat(value).as(column).isBetween(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
                int digits = Integer.parseInt(p.getOrDefault("projection." + column + ".digits", "1"));
                path = path.replace("${" + column + "}", String.format("%0" + digits + "d", value));
            }
            assertThat(path).isEqualTo(ddl.location() + partitioner.partitionPath(w.timestamp()) + "/");
            assertThat(w.key()).startsWith(path.replaceFirst("^s3://[^/]+/", ""));
        }
    }

    @Test
    void theViewTypesTheTradingDayAndTheEventTime() throws SQLException {
        String view = ddl.database() + "." + ddl.viewName();
        List<List<Object>> types = query("SELECT typeof(trading_day), typeof(event_ts), count(*) FROM " + view
                + " GROUP BY 1, 2");
        assertThat(types).containsExactly(List.of("DATE", "TIMESTAMP", (long) rows.size()));
        List<List<Object>> mismatches = query("SELECT event_time, event_ts FROM " + view
                + " WHERE epoch_ms(event_ts) <> event_time");
        assertThat(mismatches).as("event_ts is event_time to the millisecond").isEmpty();
        List<List<Object>> partitions = query("SELECT count(*) FROM " + view + " WHERE year <> year(event_ts)"
                + " OR month <> month(event_ts) OR day <> day(event_ts) OR hour <> hour(event_ts)");
        assertThat(partitions).containsExactly(List.of(0L));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The analysis queries, each against values computed here

    @Test
    void everyAnalysisQueryIsChecked() {
        assertThat(analysisQueries().keySet()).containsExactlyInAnyOrder("latest_quote_per_index",
                "stats_last_15_minutes", "daily_ohlc_per_index", "moving_averages", "usd_comparison", "volume_leaders");
    }

    @Test
    void latestQuotePerIndex() throws SQLException {
        List<List<Object>> expected = byIndex().values().stream().map(quotes -> {
            Row last = quotes.stream().max(Comparator.comparingLong(Row::eventTime)).orElseThrow();
            return List.<Object>of(last.index(), last.eventTs(), last.tradingDay(), last.close(), last.closeUsd());
        }).toList();
        assertSameRows(run("latest_quote_per_index"), expected);
    }

    @Test
    void statsOverTheLast15MinutesOfTheStream() throws SQLException {
        long newest = rows.stream().mapToLong(Row::eventTime).max().orElseThrow();
        Map<String, List<Row>> recent = rows.stream().filter(r -> r.eventTime() > newest - 15 * 60_000)
                .collect(Collectors.groupingBy(Row::index, TreeMap::new, Collectors.toList()));
        List<List<Object>> expected = recent.values().stream().map(q -> List.<Object>of(q.get(0).index(),
                (long) q.size(), min(q, Row::close), max(q, Row::close),
                q.stream().mapToDouble(Row::close).average().orElseThrow(),
                q.stream().mapToLong(Row::volume).sum())).toList();
        assertThat(expected).isNotEmpty();
        assertSameRows(run("stats_last_15_minutes"), expected);
    }

    @Test
    void dailyOhlcPerIndex() throws SQLException {
        Map<List<Object>, List<Row>> days = new TreeMap<>(Comparator.comparing((List<Object> k) -> (String) k.get(0))
                .thenComparing(k -> (LocalDate) k.get(1)));
        for (Row r : rows) {
            days.computeIfAbsent(List.of(r.index(), r.eventTs().toLocalDate()), k -> new ArrayList<>()).add(r);
        }
        List<List<Object>> expected = days.entrySet().stream().map(e -> {
            List<Row> q = e.getValue();
            Row first = q.stream().min(Comparator.comparingLong(Row::eventTime)).orElseThrow();
            Row last = q.stream().max(Comparator.comparingLong(Row::eventTime)).orElseThrow();
            return List.<Object>of(e.getKey().get(0), e.getKey().get(1), first.close(), max(q, Row::close),
                    min(q, Row::close), last.close(), (long) q.size());
        }).toList();
        assertThat(expected.stream().map(r -> r.get(1)).distinct().count()).as("event days").isEqualTo(2);
        assertSameRows(run("daily_ohlc_per_index"), expected);
    }

    @Test
    void movingAverages() throws SQLException {
        List<List<Object>> expected = new ArrayList<>();
        for (List<Row> quotes : byIndex().values()) {
            Map<LocalDate, Double> closeByDay = new TreeMap<>();
            quotes.forEach(r -> closeByDay.put(r.tradingDay(), r.close()));
            List<Map.Entry<LocalDate, Double>> days = new ArrayList<>(closeByDay.entrySet());
            for (int i = 0; i < days.size(); i++) {
                expected.add(List.of(quotes.get(0).index(), days.get(i).getKey(), days.get(i).getValue(),
                        average(days, i, 5), average(days, i, 20)));
            }
        }
        assertSameRows(run("moving_averages"), expected);
    }

    @Test
    void usdComparisonAcrossIndices() throws SQLException {
        record Usd(String index, double avg, double latest, double ratio) {
        }
        List<Usd> usd = byIndex().values().stream().map(q -> {
            Row earliest = q.stream().min(Comparator.comparing(Row::tradingDay)).orElseThrow();
            Row latest = q.stream().max(Comparator.comparing(Row::tradingDay)).orElseThrow();
            return new Usd(q.get(0).index(), q.stream().mapToDouble(Row::closeUsd).average().orElseThrow(),
                    latest.closeUsd(), latest.closeUsd() / earliest.closeUsd());
        }).toList();
        List<List<Object>> expected = usd.stream()
                .map(u -> List.<Object>of(u.index(), u.avg(), u.latest(), (u.ratio() - 1) * 100,
                        1L + usd.stream().filter(o -> o.ratio() > u.ratio()).count()))
                .sorted(Comparator.comparing((List<Object> r) -> (Long) r.get(4)).thenComparing(r -> (String) r.get(0)))
                .toList();
        assertSameRows(run("usd_comparison"), expected);
    }

    @Test
    void volumeLeaders() throws SQLException {
        Map<String, Long> volume = new TreeMap<>();
        byIndex().forEach((index, q) -> volume.put(index, q.stream().mapToLong(Row::volume).sum()));
        List<List<Object>> expected = byIndex().entrySet().stream()
                .map(e -> List.<Object>of(e.getKey(), volume.get(e.getKey()), (long) e.getValue().size(),
                        1L + volume.values().stream().filter(v -> v > volume.get(e.getKey())).count()))
                .sorted(Comparator.comparing((List<Object> r) -> (Long) r.get(3)).thenComparing(r -> (String) r.get(0)))
                .toList();
        assertSameRows(run("volume_leaders"), expected);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Map<String, List<Row>> byIndex() {
        return rows.stream().collect(Collectors.groupingBy(Row::index, TreeMap::new, Collectors.toList()));
    }

    private static double min(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).min().orElseThrow();
    }

    private static double max(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).max().orElseThrow();
    }

    private static double average(List<Map.Entry<LocalDate, Double>> days, int i, int window) {
        return days.subList(Math.max(0, i - window + 1), i + 1).stream().mapToDouble(Map.Entry::getValue)
                .average().orElseThrow();
    }

    /** The queries of athena-queries.sql by the name on their "-- name:" line, each unchanged. */
    private static Map<String, String> analysisQueries() {
        return DuckDbLake.namedQueries(Repo.text(Repo.ATHENA_QUERIES));
    }

    private static List<List<Object>> run(String name) throws SQLException {
        String sql = analysisQueries().get(name);
        assertThat(sql).as("query %s in athena-queries.sql", name).isNotNull();
        return query(sql);
    }

    private static List<List<Object>> query(String sql) throws SQLException {
        return lake.query(sql).rows();
    }

    private static void assertSameRows(List<List<Object>> actual, List<List<Object>> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            List<Object> a = actual.get(i);
            List<Object> e = expected.get(i);
            assertThat(a).as("row %d: %s", i, a).hasSameSizeAs(e);
            for (int c = 0; c < e.size(); c++) {
                Object ev = e.get(c);
                if (ev instanceof Double d) {
                    assertThat(a.get(c)).as("row %d column %d of %s", i, c + 1, a).isInstanceOf(Double.class);
                    assertThat((Double) a.get(c)).as("row %d column %d of %s", i, c + 1, a)
                            .isCloseTo(d, within(Math.max(1e-9, Math.abs(d) * 1e-12)));
                } else {
                    assertThat(a.get(c)).as("row %d column %d of %s", i, c + 1, a).isEqualTo(ev);
                }
            }
        }
    }
}
