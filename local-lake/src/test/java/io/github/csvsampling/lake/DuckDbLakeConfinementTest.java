package io.github.csvsampling.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lake confined to the bucket's folder: what SQL typed by someone can and cannot reach. */
class DuckDbLakeConfinementTest {

    private static final Path REPO = Path.of(System.getProperty("repo.root", ".."));

    @TempDir
    Path root;
    private Path bucket;

    @BeforeEach
    void writeOneObject() throws Exception {
        bucket = root.resolve("buckets/stock-quotes");
        Path folder = Files.createDirectories(bucket.resolve("topics/stock-quotes/year=2026/month=11/day=27/hour=09"));
        Files.writeString(folder.resolve("stock-quotes+0+0000000000.json"), "{\"index\":\"NYA\",\"date\":\"2021-06-30\","
                + "\"close\":1.5,\"event_time\":1795683600000}\n");
        Files.writeString(root.resolve("secret.txt"), "secret");
    }

    @Test
    void aConfinedLakeReadsTheBucketAndNothingElse() throws Exception {
        try (DuckDbLake lake = open()) {
            lake.confineTo(bucket, 1, "256MB");

            assertThat(lake.query("SELECT count(*) FROM stock_pipeline.stock_quotes").rows()).containsExactly(
                    java.util.List.of(1L));
            for (String outside : new String[] {
                "SELECT * FROM read_text('" + root.resolve("secret.txt") + "')",
                "SELECT * FROM read_text('" + bucket + "/../../secret.txt')",
                "SELECT * FROM read_csv('/etc/passwd')",
                "SELECT * FROM read_json('http://127.0.0.1:1/x.json')",
                "SELECT * FROM glob('" + root + "/*')"}) {
                assertThatThrownBy(() -> lake.query(outside)).as(outside).isInstanceOf(SQLException.class)
                        .hasMessageContaining("disabled by configuration");
            }
            assertThatThrownBy(() -> lake.query("SET enable_external_access = true"))
                    .hasMessageContaining("locked");
        }
    }

    @Test
    void onlyOneSelectStatementPassesTheReadOnlyCheck() throws Exception {
        try (DuckDbLake lake = open()) {
            assertThat(lake.isSingleSelect("SELECT 1")).isTrue();
            assertThat(lake.isSingleSelect("WITH x AS (SELECT 1 AS a) SELECT a FROM x -- comment")).isTrue();
            assertThat(lake.isSingleSelect("SELECT 1; SELECT 2")).isFalse();
            assertThat(lake.isSingleSelect("COPY (SELECT 1) TO 'x.csv'")).isFalse();
            assertThat(lake.isSingleSelect("ATTACH 'x.duckdb' AS x")).isFalse();
            assertThat(lake.isSingleSelect("SELECT 1; DROP VIEW stock_pipeline.stock_quotes")).isFalse();
            assertThat(lake.isSingleSelect("this is not sql")).isFalse();
        }
    }

    @Test
    void aRefreshedCopyReadsOnlyNewFilesAndForgetsDeletedOnes() throws Exception {
        try (DuckDbLake lake = open()) {
            lake.confineTo(bucket, 1, "256MB");
            String query = "SELECT count(*), sum(close) FROM stock_pipeline.stock_quotes";
            assertThat(lake.refresh()).isEqualTo(1);
            assertThat(lake.query(query).rows()).containsExactly(java.util.List.of(1L, 1.5));
            Path folder = bucket.resolve("topics/stock-quotes/year=2026/month=11/day=27/hour=10");
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("stock-quotes+0+0000000001.json"), "{\"index\":\"HSI\",\"close\":2.0,"
                    + "\"event_time\":1795687200000}\n{\"index\":\"HSI\",\"close\":3.0,\"event_time\":1795687200001}\n");

            assertThat(lake.refresh()).as("only the new file").isEqualTo(1);
            assertThat(lake.query(query).rows()).containsExactly(java.util.List.of(3L, 6.5));
            assertThat(lake.query("SELECT DISTINCT hour FROM stock_pipeline.stock_quotes ORDER BY 1").rows())
                    .containsExactly(java.util.List.of(9L), java.util.List.of(10L));
            assertThat(lake.refresh()).as("nothing new").isZero();

            Files.delete(folder.resolve("stock-quotes+0+0000000001.json"));
            lake.refresh();
            assertThat(lake.query(query).rows()).containsExactly(java.util.List.of(1L, 1.5));
            assertThat(lake.query("SELECT * FROM stock_pipeline.stock_quotes_raw").columns())
                    .doesNotContain("filename");
        }
    }

    @Test
    void aQueryIsCancelledAtItsTimeout() throws Exception {
        try (DuckDbLake lake = open()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> lake.query("SELECT count(*) FROM range(1000000000000) a", 1))
                    .isInstanceOf(SQLException.class);
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        }
    }

    private DuckDbLake open() throws Exception {
        AthenaDdl ddl = AthenaDdl.parse(Files.readString(REPO.resolve("athena-ddl.sql")))
                .withLocationBucket("stock-quotes");
        return DuckDbLake.open(ddl, root.resolve("buckets"));
    }
}
