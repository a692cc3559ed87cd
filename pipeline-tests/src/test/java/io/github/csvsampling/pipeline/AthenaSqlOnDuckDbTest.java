package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.lake.AthenaDdl;
import io.github.csvsampling.lake.DuckDbLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code athena-ddl.sql} and {@code athena-queries.sql} on DuckDB, over the JSON objects of {@link LakeFixture} (the
 * real connector's records laid out exactly as the S3 sink lays them out, with missing values, ties and edge times).
 * The table's columns and partitions are taken from the DDL; the view and every analysis query run unchanged; results
 * are checked against values computed here in Java from the lines written, with the meaning each query's comment
 * states. athena-engine-tests runs the same SQL on Trino over the same fixture and compares the two engines.
 */
class AthenaSqlOnDuckDbTest {

    private static final Pattern HOUR_FOLDER = Pattern.compile(
            "/year=(\\d+)/month=(\\d+)/day=(\\d+)/hour=(\\d+)/[^/]+$");

    @TempDir
    static Path bucketRoot;
    @TempDir
    static Path work;

    private static AthenaDdl ddl;
    private static LakeFixture.Lake fixture;
    /** Every line of the lake as the view shows it, in writing order, and those Athena reads (projected folders). */
    private static List<Row> lines;
    private static List<Row> rows;
    private static DuckDbLake lake;

    /** A line as the view shows it, computed in Java, with the folder it is in. */
    record Row(String index, String date, Double open, Double high, Double low, Double close, Double adjClose,
            Long volume, Double closeUsd, String topic, int partition, long offset, long eventTime, int year, int month,
            int day, int hour) {

        LocalDate tradingDay() {
            try {
                return date == null ? null : LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        LocalDateTime eventTs() {
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(eventTime), ZoneOffset.UTC);
        }

        /** Latest first: event time, then Kafka partition and offset. */
        static final Comparator<Row> NEWEST_FIRST = Comparator.comparingLong(Row::eventTime)
                .thenComparingInt(Row::partition).thenComparingLong(Row::offset).reversed();
    }

    @BeforeAll
    static void writeTheLakeAndCreateTheAthenaObjectsInDuckDb() throws Exception {
        ddl = AthenaDdl.parse(Repo.text(Repo.ATHENA_DDL));
        fixture = LakeFixture.write(bucketRoot, work);
        lines = fixture.written().stream().map(AthenaSqlOnDuckDbTest::row).toList();
        rows = lines.stream().filter(AthenaSqlOnDuckDbTest::projected).toList();
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
        Matcher folder = HOUR_FOLDER.matcher(w.key());
        assertThat(folder.find()).as(w.key()).isTrue();
        return new Row((String) f.get("index"), (String) f.get("date"), (Double) f.get("open"), (Double) f.get("high"),
                (Double) f.get("low"), (Double) f.get("close"), (Double) f.get("adj_close"), (Long) f.get("volume"),
                (Double) f.get("close_usd"), (String) f.get("kafka_topic"), (Integer) f.get("kafka_partition"),
                (Long) f.get("kafka_offset"), ((java.util.Date) f.get("event_time")).getTime(),
                Integer.parseInt(folder.group(1)), Integer.parseInt(folder.group(2)), Integer.parseInt(folder.group(3)),
                Integer.parseInt(folder.group(4)));
    }

    /** Whether Athena reads the line: its folder's values lie in the DDL's projection ranges. */
    private static boolean projected(Row r) {
        Map<String, Integer> values = Map.of("year", r.year(), "month", r.month(), "day", r.day(), "hour", r.hour());
        return ddl.partitionColumns().keySet().stream().allMatch(c -> {
            String[] range = ddl.properties().get("projection." + c + ".range").split(",");
            return values.get(c) >= Integer.parseInt(range[0]) && values.get(c) <= Integer.parseInt(range[1]);
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // The DDL against what the sink writes

    @Test
    void theSinkWroteHourlyFoldersOfSmallFilesAndKeptTheTailOpen() {
        Pattern key = Pattern.compile("topics/stock-quotes/year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/"
                + "stock-quotes\\+0\\+\\d{10}\\.json");
        TreeSet<String> keys = fixture.written().stream().map(SinkSimulator.Written::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(keys).allMatch(k -> key.matcher(k).matches());
        assertThat(keys.stream().map(k -> k.substring(0, k.lastIndexOf('/'))).distinct().count())
                .as("hour folders").isGreaterThanOrEqualTo(5);
        assertThat(lines.stream().mapToLong(Row::eventTime).filter(t -> t < LakeFixture.EDGE_TIMES.get(3).toEpochMilli())
                .max().orElseThrow()).as("the last, still open file is not written")
                .isLessThan(fixture.newest()).isGreaterThan(fixture.newest() - 2 * 60_000);
        // Rotation every minute of record time: every file spans less than rotate.interval.ms.
        long rotate = Long.parseLong(Repo.connectorConfig(Repo.SINK_AWS).get("rotate.interval.ms"));
        Map<String, List<SinkSimulator.Written>> files = fixture.written().stream()
                .collect(Collectors.groupingBy(SinkSimulator.Written::key));
        assertThat(files.values()).allSatisfy(f -> assertThat(f.get(f.size() - 1).timestamp() - f.get(0).timestamp())
                .isBetween(0L, rotate - 1));
    }

    @Test
    void eachLineCarriesItsKafkaTopicPartitionAndOffsetWhichHaveTheGapsOfTransactionMarkers() {
        String topic = Repo.connectorConfig(Repo.SINK_AWS).get("topics");
        assertThat(lines).allSatisfy(r -> assertThat(r.topic()).isEqualTo(topic)).allMatch(r -> r.partition() == 0);
        for (Map.Entry<String, List<SinkSimulator.Written>> file : fixture.written().stream()
                .collect(Collectors.groupingBy(SinkSimulator.Written::key, TreeMap::new, Collectors.toList())).entrySet()) {
            long start = Long.parseLong(file.getKey().replaceAll(".*\\+(\\d{10})\\.json$", "$1"));
            assertThat(file.getValue().get(0).offset()).as("the object name holds its first offset").isEqualTo(start);
        }
        long startPlusLineMismatches = fixture.written().stream()
                .collect(Collectors.groupingBy(SinkSimulator.Written::key)).values().stream()
                .flatMap(f -> java.util.stream.IntStream.range(0, f.size())
                        .filter(i -> f.get(i).offset() != f.get(0).offset() + i).boxed())
                .count();
        assertThat(startPlusLineMismatches).as("lines whose offset is not the start offset plus the line number")
                .isPositive();
    }

    @Test
    void theTableHasTheSinksFieldsInOrderWithTheirTypes() throws Exception {
        assertThat(ddl.serde()).isEqualTo("org.apache.hive.hcatalog.data.JsonSerDe");
        for (SinkSimulator.Written w : fixture.written()) {
            JsonNode object = Repo.JSON.readTree(w.json());
            assertThat(object.isObject()).isTrue();
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            assertThat(names).as("JSON keys of record %d", w.offset()).containsExactlyElementsOf(ddl.columns().keySet());
            for (var column : ddl.columns().entrySet()) {
                JsonNode value = object.get(column.getKey());
                if (value.isNull()) {
                    continue;
                }
                switch (column.getValue()) {
                    case "string" -> assertThat(value.isTextual()).as(column.getKey()).isTrue();
                    case "double" -> assertThat(value.isNumber()).as(column.getKey()).isTrue();
                    case "bigint" -> assertThat(value.canConvertToLong() && value.isIntegralNumber()).as(column.getKey()).isTrue();
                    case "int" -> assertThat(value.canConvertToInt() && value.isIntegralNumber()).as(column.getKey()).isTrue();
                    default -> throw new AssertionError("unexpected column type " + column.getValue());
                }
            }
        }
        assertThat(ddl.columns()).containsEntry("event_time", "bigint").containsEntry("date", "string")
                .containsEntry("kafka_topic", "string").containsEntry("kafka_partition", "int")
                .containsEntry("kafka_offset", "bigint");
        Map<String, Long> nulls = new LinkedHashMap<>();
        for (SinkSimulator.Written w : fixture.written()) {
            w.fields().forEach((k, v) -> nulls.merge(k, v == null ? 1L : 0L, Long::sum));
        }
        assertThat(nulls.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey))
                .as("the fixture has missing values in every nullable column, and only there")
                .containsExactlyInAnyOrder("index", "date", "open", "high", "low", "close", "adj_close", "volume",
                        "close_usd");
    }

    @Test
    void partitionProjectionFindsTheSinksFoldersInItsRangeAndNothingElse() throws SQLException {
        Map<String, String> p = ddl.properties();
        assertThat(p).containsEntry("projection.enabled", "true");
        assertThat(ddl.partitionColumns().keySet()).containsExactly("year", "month", "day", "hour");
        String template = ddl.location() + ddl.partitionColumns().keySet().stream()
                .map(c -> c + "=${" + c + "}").collect(Collectors.joining("/")) + "/";
        assertThat(p).containsEntry("storage.location.template", template);
        Map<String, String> sink = Repo.connectorConfig(Repo.SINK_AWS);
        assertThat(ddl.location()).isEqualTo("s3://" + sink.get("s3.bucket.name") + "/"
                + sink.getOrDefault("topics.dir", "topics") + "/" + sink.get("topics") + "/");

        for (Row r : lines) {
            String path = template;
            Map<String, Integer> values = Map.of("year", r.year(), "month", r.month(), "day", r.day(), "hour", r.hour());
            for (String column : ddl.partitionColumns().keySet()) {
                assertThat(p).containsEntry("projection." + column + ".type", "integer");
                int digits = Integer.parseInt(p.getOrDefault("projection." + column + ".digits", "1"));
                path = path.replace("${" + column + "}", String.format("%0" + digits + "d", values.get(column)));
            }
            assertThat(path).as("the projected location of the line's folder").startsWith(ddl.location());
        }
        // The sink's folders for the fixture's edge times: only the projected years' ones are read.
        List<Row> edges = lines.stream().filter(r -> "EDGE".equals(r.index())).toList();
        assertThat(edges).extracting(Row::year).containsExactly(1900, 1970, 2025, 2035, 9999);
        assertThat(edges).extracting(AthenaSqlOnDuckDbTest::projected).containsExactly(false, false, true, true, false);
        assertThat(query("SELECT event_time FROM stock_pipeline.stock_quotes WHERE \"index\" = 'EDGE' ORDER BY 1"))
                .containsExactly(List.of(edges.get(2).eventTime()), List.of(edges.get(3).eventTime()));
        assertThat(query("SELECT count(*) FROM stock_pipeline.stock_quotes")).containsExactly(List.of((long) rows.size()));
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
        assertThat(query("SELECT \"date\", trading_day FROM " + view.replace(ddl.viewName(), ddl.tableName())
                + " JOIN " + view + " USING (kafka_partition, kafka_offset) WHERE \"date\" IS NOT NULL AND trading_day IS NULL"))
                .as("TRY_CAST: a date that is not yyyy-MM-dd becomes NULL instead of failing the query")
                .containsExactly(row("n/a", null)).isEqualTo(rows.stream()
                        .filter(r -> r.date() != null && r.tradingDay() == null)
                        .map(r -> java.util.Arrays.asList((Object) r.date(), null)).toList());
    }

    // ---------------------------------------------------------------------------------------------------------
    // The analysis queries, each against values computed here

    @Test
    void everyAnalysisQueryIsChecked() {
        assertThat(analysisQueries().keySet()).containsExactlyInAnyOrder("latest_quote_per_index",
                "stats_last_15_minutes", "daily_ohlc_per_index", "moving_averages", "usd_comparison", "volume_leaders",
                "deduplicated_quotes");
    }

    @Test
    void latestQuotePerIndexIsTheNewestRecordWithACloseSinceYesterday() throws SQLException {
        LocalDate today = LocalDate.ofInstant(fixture.now(), ZoneOffset.UTC);
        List<List<Object>> expected = group(rows.stream().filter(r -> r.close() != null)
                .filter(r -> !LocalDate.of(r.year(), r.month(), r.day()).isBefore(today.minusDays(1))
                        && !LocalDate.of(r.year(), r.month(), r.day()).isAfter(today)).toList(), Row::index)
                .values().stream().map(q -> {
                    Row last = q.stream().sorted(Row.NEWEST_FIRST).findFirst().orElseThrow();
                    return row(last.index(), last.eventTs(), last.tradingDay(), last.close(), last.closeUsd());
                }).toList();
        assertThat(expected).extracting(r -> r.get(0)).contains("GAPS", "TIES", "VOLA").doesNotContain("EDGE", "NOCLOSE");
        Map<String, List<Object>> byIndex = expected.stream().collect(Collectors.toMap(r -> (String) r.get(0), r -> r));
        assertThat(byIndex.get("GAPS").subList(2, 5)).as("GAPS's newest record has no close; the one before no close_usd")
                .containsExactly(LocalDate.of(2021, 6, 9), 11.2, null);
        assertThat(byIndex.get("TIES").get(3)).as("two records at one event time: the higher offset").isEqualTo(8.0);
        assertSameRows(run("latest_quote_per_index"), expected);
    }

    @Test
    void statsOverTheLast15Minutes() throws SQLException {
        long since = fixture.now().toEpochMilli() - 15 * 60_000;
        LocalDateTime now = LocalDateTime.ofInstant(fixture.now(), ZoneOffset.UTC);
        List<LocalDateTime> hours = List.of(now.truncatedTo(java.time.temporal.ChronoUnit.HOURS),
                now.minusMinutes(15).truncatedTo(java.time.temporal.ChronoUnit.HOURS));
        List<List<Object>> expected = group(rows.stream().filter(r -> r.eventTime() > since)
                .filter(r -> hours.contains(LocalDateTime.of(r.year(), r.month(), r.day(), r.hour(), 0))).toList(),
                Row::index)
                .values().stream().map(q -> row(q.get(0).index(), (long) q.size(),
                        q.stream().filter(r -> r.close() != null).count(), min(q, Row::close), max(q, Row::close),
                        q.stream().map(Row::close).filter(Objects::nonNull).mapToDouble(d -> d).average().stream()
                                .boxed().findFirst().orElse(null),
                        q.stream().map(Row::volume).filter(Objects::nonNull).reduce(Long::sum).orElse(null)))
                .toList();
        assertThat(expected).extracting(r -> r.get(0)).contains("GAPS", "NOCLOSE", "TIES")
                .as("in the future, but not in the hours the partition predicate reads").doesNotContain("EDGE");
        assertThat(expected).filteredOn(r -> r.get(0).equals("NOCLOSE"))
                .containsExactly(row("NOCLOSE", 1L, 0L, null, null, null, null));
        assertSameRows(run("stats_last_15_minutes"), expected);
    }

    @Test
    void dailyOhlcPerIndexOverTheTicksWithAClose() throws SQLException {
        Map<List<Object>, List<Row>> days = new TreeMap<>(Comparator.comparing((List<Object> k) -> (String) k.get(0))
                .thenComparing(k -> (LocalDate) k.get(1)));
        for (Row r : rows) {
            if (r.index() != null && r.close() != null) {
                days.computeIfAbsent(List.of(r.index(), r.eventTs().toLocalDate()), k -> new ArrayList<>()).add(r);
            }
        }
        List<List<Object>> expected = days.entrySet().stream().map(e -> {
            List<Row> q = e.getValue().stream().sorted(Row.NEWEST_FIRST).toList();
            return row(e.getKey().get(0), e.getKey().get(1), q.get(q.size() - 1).close(), max(q, Row::close),
                    min(q, Row::close), q.get(0).close(), (long) q.size());
        }).toList();
        assertThat(expected.stream().map(r -> r.get(1)).distinct().count()).as("event days").isGreaterThanOrEqualTo(3);
        assertThat(expected).filteredOn(r -> r.get(0).equals("TIES")).singleElement()
                .as("open: the first of two ticks at one event time; close: the last of two").satisfies(r -> {
                    assertThat(r.get(2)).isEqualTo(5.0);
                    assertThat(r.get(5)).isEqualTo(8.0);
                });
        assertSameRows(run("daily_ohlc_per_index"), expected);
    }

    @Test
    void movingAveragesOverTheLatestCloseOfEachTradingDay() throws SQLException {
        List<List<Object>> expected = new ArrayList<>();
        for (List<Row> quotes : group(rows, Row::index).values()) {
            Map<LocalDate, Row> latestOfDay = new TreeMap<>();
            quotes.stream().filter(r -> r.tradingDay() != null && r.close() != null).sorted(Row.NEWEST_FIRST.reversed())
                    .forEach(r -> latestOfDay.put(r.tradingDay(), r));
            List<Map.Entry<LocalDate, Double>> days = latestOfDay.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue().close())).toList();
            for (int i = 0; i < days.size(); i++) {
                expected.add(row(quotes.get(0).index(), days.get(i).getKey(), days.get(i).getValue(),
                        average(days, i, 5), average(days, i, 20)));
            }
        }
        assertThat(expected).filteredOn(r -> r.get(0).equals("TIES") && r.get(1).equals(LocalDate.of(2021, 6, 1)))
                .singleElement().satisfies(r -> assertThat(r.get(2)).as("the corrected row").isEqualTo(6.0));
        assertSameRows(run("moving_averages"), expected);
    }

    @Test
    void usdComparisonAcrossIndices() throws SQLException {
        record Usd(String index, double avg, double latest, double ratio) {
        }
        List<Usd> usd = new ArrayList<>();
        for (List<Row> quotes : group(rows, Row::index).values()) {
            TreeMap<LocalDate, Double> days = new TreeMap<>();
            quotes.stream().filter(r -> r.tradingDay() != null && r.closeUsd() != null)
                    .sorted(Row.NEWEST_FIRST.reversed()).forEach(r -> days.put(r.tradingDay(), r.closeUsd()));
            if (!days.isEmpty()) {
                usd.add(new Usd(quotes.get(0).index(), days.values().stream().mapToDouble(d -> d).average().orElseThrow(),
                        days.lastEntry().getValue(), days.lastEntry().getValue() / days.firstEntry().getValue()));
            }
        }
        List<List<Object>> expected = usd.stream()
                .map(u -> row(u.index(), u.avg(), u.latest(), (u.ratio() - 1) * 100,
                        1L + usd.stream().filter(o -> o.ratio() > u.ratio()).count()))
                .sorted(Comparator.comparing((List<Object> r) -> (Long) r.get(4)).thenComparing(r -> (String) r.get(0)))
                .toList();
        assertThat(expected).filteredOn(r -> r.get(0).equals("VOLA") || r.get(0).equals("VOLB"))
                .as("one trading day each: equal returns share a rank").extracting(r -> r.get(4)).hasSize(2)
                .containsOnly(expected.stream().filter(r -> r.get(0).equals("VOLA")).findFirst().orElseThrow().get(4));
        assertSameRows(run("usd_comparison"), expected);
    }

    @Test
    void volumeLeadersWithUnknownVolumesLast() throws SQLException {
        Map<String, Long> volume = new TreeMap<>();
        Map<String, Long> quotes = new TreeMap<>();
        group(rows, Row::index).forEach((index, q) -> {
            volume.put(index, q.stream().map(Row::volume).filter(Objects::nonNull).reduce(Long::sum).orElse(null));
            quotes.put(index, (long) q.size());
        });
        long known = volume.values().stream().filter(Objects::nonNull).count();
        List<List<Object>> expected = volume.keySet().stream()
                .map(index -> row(index, volume.get(index), quotes.get(index), volume.get(index) == null ? 1L + known
                        : 1L + volume.values().stream().filter(v -> v != null && v > volume.get(index)).count()))
                .sorted(Comparator.comparing((List<Object> r) -> (Long) r.get(3)).thenComparing(r -> (String) r.get(0)))
                .toList();
        assertThat(expected.get(expected.size() - 1)).as("no known volume: ranked last").startsWith("NOCLOSE", null);
        assertThat(expected.stream().filter(r -> r.get(0).equals("VOLA") || r.get(0).equals("VOLB")).map(r -> r.get(3)))
                .as("equal totals share a rank").hasSize(2).containsOnly(expected.stream()
                        .filter(r -> r.get(0).equals("VOLA")).findFirst().orElseThrow().get(3));
        assertSameRows(run("volume_leaders"), expected);
    }

    @Test
    void deduplicatedQuotesHoldEachKafkaRecordOnce() throws SQLException {
        Map<List<Object>, List<Row>> records = new TreeMap<>(Comparator.comparing((List<Object> k) -> (String) k.get(0))
                .thenComparing(k -> (Integer) k.get(1)).thenComparing(k -> (Long) k.get(2)));
        for (Row r : rows) {
            records.computeIfAbsent(List.of(r.topic(), r.partition(), r.offset()), k -> new ArrayList<>()).add(r);
        }
        List<List<Object>> expected = records.values().stream().map(copies -> {
            Row r = copies.get(0);
            return row(r.topic(), (long) r.partition(), r.offset(), r.index(), r.tradingDay(), r.close(), r.eventTs(),
                    (long) copies.size());
        }).toList();
        assertThat(expected).filteredOn(r -> (Long) r.get(7) > 1).as("records the sink wrote twice")
                .hasSizeBetween(1, LakeFixture.COPIES).allMatch(r -> r.get(7).equals(2L));
        assertThat(expected).hasSizeLessThan(rows.size());
        assertSameRows(run("deduplicated_quotes"), expected);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Rows grouped by a key in its natural order, without the rows whose key is NULL. */
    private static <K extends Comparable<K>> Map<K, List<Row>> group(List<Row> rows, Function<Row, K> key) {
        return rows.stream().filter(r -> key.apply(r) != null)
                .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
    }

    private static List<Object> row(Object... values) {
        return java.util.Arrays.asList(values);
    }

    private static Double min(List<Row> rows, Function<Row, Double> f) {
        return rows.stream().map(f).filter(Objects::nonNull).min(Double::compare).orElse(null);
    }

    private static Double max(List<Row> rows, Function<Row, Double> f) {
        return rows.stream().map(f).filter(Objects::nonNull).max(Double::compare).orElse(null);
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

    /** Same rows in the same order; doubles to a relative 1e-9 (summation order differs), everything else equal. */
    static void assertSameRows(List<List<Object>> actual, List<List<Object>> expected) {
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
                            .isCloseTo(d, within(Math.abs(d) * 1e-9));
                } else {
                    assertThat(a.get(c)).as("row %d column %d of %s", i, c + 1, a).isEqualTo(ev);
                }
            }
        }
    }
}
