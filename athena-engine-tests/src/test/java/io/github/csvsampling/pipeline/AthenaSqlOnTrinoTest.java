package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.csvsampling.lake.AthenaDdl;
import io.github.csvsampling.lake.DuckDbLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Athena SQL on Athena's own engine: {@code athena-ddl.sql}'s table (through {@link TrinoTables}) and view, and
 * every query of {@code athena-queries.sql} verbatim, on a Trino 476 server and on DuckDB ({@link DuckDbLake}, as the
 * main job runs them) over the same files of {@link LakeFixture}: the real connector's records laid out exactly as
 * the S3 sink lays them out, with missing values in every nullable column, ties on the ordering keys, event times
 * before 1970, at both ends of the projected years and far in the future, and records written twice. Both engines
 * must give the same columns and the same rows in the same order (numbers to a relative 1e-9, everything else
 * exactly). pipeline-tests checks the DuckDB results against values computed in Java on the same fixture.
 */
class AthenaSqlOnTrinoTest {

    /** The recent records lie 1 to 6 minutes before the fixture's now: "the last 15 minutes" holds them for 9. */
    private static final Duration RECENT_QUERIES_VALID_FOR = Duration.ofMinutes(9);

    @TempDir
    static Path bucketRoot;
    @TempDir
    static Path work;
    @TempDir
    static Path trinoWork;

    private static TrinoServer trino;
    private static Connection connection;
    private static DuckDbLake duckdb;
    private static AthenaDdl ddl;
    private static LakeFixture.Lake fixture;

    @BeforeAll
    static void startTrinoAndCreateTheAthenaObjectsOnBothEnginesOverOneLake() throws Exception {
        trino = TrinoServer.start(trinoWork);
        connection = trino.connect();
        ddl = AthenaDdl.parse(Repo.text(Repo.ATHENA_DDL));
        fixture = LakeFixture.write(bucketRoot, work);
        for (String statement : TrinoTables.statements(ddl, bucketRoot)) {
            try (Statement s = connection.createStatement()) {
                s.execute(statement);
            }
        }
        duckdb = DuckDbLake.open(ddl, bucketRoot);
    }

    @AfterAll
    static void stop() throws Exception {
        if (duckdb != null) {
            duckdb.close();
        }
        if (connection != null) {
            connection.close();
        }
        if (trino != null) {
            trino.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyAnalysisQueryGivesTheSameResultOnTrinoAndDuckDb() {
        Map<String, String> queries = DuckDbLake.namedQueries(Repo.text(Repo.ATHENA_QUERIES));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(7);
        return queries.entrySet().stream().map(q -> DynamicTest.dynamicTest(q.getKey(), () -> {
            DuckDbLake.Table onTrino = trino(q.getValue());
            DuckDbLake.Table onDuckDb = duckdb.query(q.getValue());
            assertThat(Duration.between(fixture.now(), Instant.now())).as("time since the fixture was placed")
                    .isLessThan(RECENT_QUERIES_VALID_FOR);
            assertThat(onTrino.rows()).as("%s has rows to compare", q.getKey()).isNotEmpty();
            assertSameTable(onTrino, onDuckDb);
        }));
    }

    @Test
    void theTableAndTheViewHoldTheSameRowsInTheSameColumnsOnBothEngines() throws SQLException {
        for (String relation : List.of(ddl.tableName(), ddl.viewName())) {
            String sql = "SELECT * FROM " + ddl.database() + "." + relation
                    + " ORDER BY kafka_partition, kafka_offset, year, month, day, hour";
            DuckDbLake.Table onTrino = trino(sql);
            assertThat(onTrino.columns()).as(relation).endsWith("year", "month", "day", "hour");
            assertSameTable(onTrino, duckdb.query(sql));
        }
        List<List<Object>> edges = trino("SELECT event_ts FROM " + ddl.database() + "." + ddl.viewName()
                + " WHERE \"index\" = 'EDGE' ORDER BY event_ts").rows();
        assertThat(edges).as("edge times: only the projected years' folders are read")
                .containsExactly(List.of(java.time.LocalDateTime.parse("2025-01-01T00:00")),
                        List.of(java.time.LocalDateTime.parse("2035-12-31T23:59:59.999")));
    }

    @Test
    void trinosTableHasTheDdlsColumnsTypesAndProjection() throws SQLException {
        List<String> columns = new ArrayList<>();
        trino("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '" + ddl.database()
                + "' AND table_name = '" + ddl.tableName() + "' ORDER BY ordinal_position").rows()
                .forEach(r -> columns.add(r.get(0) + " " + r.get(1)));
        List<String> expected = new ArrayList<>();
        Map<String, String> types = Map.of("string", "varchar", "double", "double", "bigint", "bigint", "int", "integer");
        ddl.columns().forEach((c, t) -> expected.add(c + " " + types.get(t)));
        ddl.partitionColumns().forEach((c, t) -> expected.add(c + " " + types.get(t)));
        assertThat(columns).containsExactlyElementsOf(expected);
        String created = (String) trino("SHOW CREATE TABLE " + ddl.database() + "." + ddl.tableName()).rows().get(0).get(0);
        assertThat(created).contains("format = 'JSON'", "partition_projection_enabled = true",
                "partition_projection_location_template = '"
                        + TrinoTables.local(ddl.properties().get("storage.location.template"), bucketRoot) + "'",
                "partition_projection_range = ARRAY['" + ddl.properties().get("projection.year.range").replace(",", "','")
                        + "']");
    }

    @Test
    void theViewHasAthenasTypes() throws SQLException {
        Map<String, Object> types = new java.util.HashMap<>();
        trino("DESCRIBE " + ddl.database() + "." + ddl.viewName()).rows().forEach(r -> types.put((String) r.get(0), r.get(1)));
        assertThat(types).containsEntry("trading_day", "date").containsEntry("event_ts", "timestamp(3)")
                .containsEntry("kafka_offset", "bigint").containsEntry("kafka_partition", "integer");
    }

    @Test
    void theRecentDataQueriesReadOnlyAFewPartitionsOnTrino() throws SQLException {
        Map<String, String> queries = DuckDbLake.namedQueries(Repo.text(Repo.ATHENA_QUERIES));
        String[] years = ddl.properties().get("projection.year.range").split(",");
        int projectedYears = Integer.parseInt(years[1]) - Integer.parseInt(years[0]) + 1;
        assertThat(partitionValues(queries.get("volume_leaders")).getOrDefault("year", projectedYears))
                .as("a query over the whole history: every projected year").isEqualTo(projectedYears);
        Map<String, Integer> latest = partitionValues(queries.get("latest_quote_per_index"));
        assertThat(List.of("year", "month", "day")).as("today and yesterday: %s", latest)
                .allSatisfy(c -> assertThat(latest.get(c)).as(c).isBetween(1, 2));
        Map<String, Integer> recent = partitionValues(queries.get("stats_last_15_minutes"));
        assertThat(List.of("year", "month", "day", "hour")).as("this hour and the one 15 minutes ago: %s", recent)
                .allSatisfy(c -> assertThat(recent.get(c)).as(c).isBetween(1, 2));
    }

    /** How many values each constrained partition column may take in the table scan of Trino's plan for {@code sql}. */
    private static Map<String, Integer> partitionValues(String sql) throws SQLException {
        String plan = (String) trino("EXPLAIN " + sql).rows().get(0).get(0);
        Matcher domain = Pattern.compile("(\\w+):int:PARTITION_KEY\\s+:: \\[(.*)]").matcher(plan);
        Map<String, Integer> values = new java.util.TreeMap<>();
        while (domain.find()) {
            values.merge(domain.group(1), domain.group(2).split("], \\[").length, Math::max);
        }
        return values;
    }

    private static DuckDbLake.Table trino(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return DuckDbLake.Table.of(rs);
        }
    }

    private static void assertSameTable(DuckDbLake.Table onTrino, DuckDbLake.Table onDuckDb) {
        assertThat(onTrino.columns()).as("column names and order").containsExactlyElementsOf(onDuckDb.columns());
        AthenaSqlOnDuckDbTest.assertSameRows(onTrino.rows(), onDuckDb.rows());
    }
}
