package io.github.csvsampling.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local lake shows what Athena shows: its columns in Athena's order, only the folders the projection covers. */
class DuckDbLakeTest {

    private static final Path REPO = Path.of(System.getProperty("repo.root", ".."));

    @TempDir
    Path root;

    private AthenaDdl ddl() throws Exception {
        return AthenaDdl.parse(Files.readString(REPO.resolve("athena-ddl.sql")));
    }

    private void object(String hourFolder, String line) throws Exception {
        Path file = root.resolve("my-stock-quotes-lake/topics/stock-quotes").resolve(hourFolder)
                .resolve("stock-quotes+0+0000000000.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, line + "\n");
    }

    @Test
    void theTableListsTheDdlsColumnsThenItsPartitionColumnsInTheirOrder() throws Exception {
        object("year=2026/month=11/day=26/hour=09", "{\"index\":\"NYA\",\"event_time\":1795683600000}");
        AthenaDdl ddl = ddl();
        List<String> athenaOrder = new ArrayList<>(ddl.columns().keySet());
        athenaOrder.addAll(ddl.partitionColumns().keySet());
        assertThat(athenaOrder).endsWith("year", "month", "day", "hour");
        try (DuckDbLake lake = DuckDbLake.open(ddl, root)) {
            DuckDbLake.Table table = lake.query("SELECT * FROM stock_pipeline.stock_quotes_raw");
            assertThat(table.columns()).containsExactlyElementsOf(athenaOrder);
            assertThat(table.rows()).hasSize(1);
            assertThat(table.rows().get(0).subList(athenaOrder.size() - 4, athenaOrder.size()))
                    .containsExactly(2026L, 11L, 26L, 9L);
        }
    }

    @Test
    void foldersOutsideThePartitionProjectionAreNotRead() throws Exception {
        object("year=2026/month=11/day=26/hour=09", "{\"index\":\"IN\",\"event_time\":1795683600000}");
        object("year=2024/month=12/day=31/hour=23", "{\"index\":\"BEFORE\",\"event_time\":1735686000000}");
        object("year=2036/month=01/day=01/hour=00", "{\"index\":\"AFTER\",\"event_time\":2082758400000}");
        object("year=2026/month=13/day=01/hour=00", "{\"index\":\"NO_MONTH\",\"event_time\":1795683600000}");
        try (DuckDbLake lake = DuckDbLake.open(ddl(), root)) {
            assertThat(lake.query("SELECT \"index\" FROM stock_pipeline.stock_quotes").rows())
                    .containsExactly(List.of("IN"));
        }
    }

    @Test
    void projectionsOtherThanIntegerRangesAreRefused() throws Exception {
        AthenaDdl ddl = ddl();
        var properties = new java.util.LinkedHashMap<>(ddl.properties());
        properties.put("projection.day.type", "date");
        AthenaDdl dated = new AthenaDdl(ddl.statements(), ddl.database(), ddl.tableName(), ddl.columns(),
                ddl.partitionColumns(), ddl.serde(), ddl.location(), properties, ddl.viewName(), ddl.viewStatement());
        assertThatThrownBy(() -> DuckDbLake.projectedPartitions(dated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("day");
    }
}
