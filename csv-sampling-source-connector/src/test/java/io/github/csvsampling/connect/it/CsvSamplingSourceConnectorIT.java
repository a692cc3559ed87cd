package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.connect.it.ConnectCluster.Sampled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector as users run it: the packaged plugin on a real distributed worker and a real KRaft
 * broker, configured and observed only through the Connect REST API and a Kafka consumer.
 */
class CsvSamplingSourceConnectorIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> SAMPLE_HEADER =
            List.of("Index", "Date", "Open", "High", "Low", "Close", "Adj Close", "Volume", "CloseUSD");

    private static ConnectCluster cluster;
    private static List<String[]> sampleRows;

    @TempDir
    static Path files;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ConnectCluster.start(false);
        sampleRows = bundledSampleRows();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void pluginIsInstalledWithTheProjectVersion() {
        JsonNode plugins = cluster.rest.connectorPlugins();
        JsonNode ours = null;
        for (JsonNode plugin : plugins) {
            if (ConnectCluster.CONNECTOR_CLASS.equals(plugin.path("class").asText())) {
                ours = plugin;
            }
        }
        assertThat(ours).as("plugins: %s", plugins).isNotNull();
        assertThat(ours.path("type").asText()).isEqualTo("source");
        assertThat(ours.path("version").asText()).isEqualTo(System.getProperty("project.version"));
    }

    @Test
    void bundledSampleStreamsTypedRowsKeyedByIndex() {
        String topic = "bundled-typed";
        cluster.run("bundled-typed", ConnectCluster.sourceConfig(topic, Map.of(
                "records.per.second", "200", "max.records", "60", "key.column", "Index",
                "field.names", "snake_case", "random.seed", "7")), 1);

        List<Sampled> records = cluster.read(topic, 60, TIMEOUT);

        assertThat(records).hasSize(60);
        JsonNode schema = records.get(0).value().get("schema");
        assertThat(schema.path("name").asText()).isEqualTo("io.github.csvsampling.CsvRow");
        Map<String, String> fieldTypes = new java.util.LinkedHashMap<>();
        schema.get("fields").forEach(f -> {
            fieldTypes.put(f.get("field").asText(), f.get("type").asText());
            assertThat(f.get("optional").asBoolean()).as("field %s is nullable", f.get("field")).isTrue();
        });
        assertThat(fieldTypes).containsExactly(
                Map.entry("index", "string"), Map.entry("date", "string"), Map.entry("open", "double"),
                Map.entry("high", "double"), Map.entry("low", "double"), Map.entry("close", "double"),
                Map.entry("adj_close", "double"), Map.entry("volume", "int64"), Map.entry("close_usd", "double"));
        for (Sampled record : records) {
            String[] row = sampleRows.get((int) record.row() - 1);
            JsonNode value = record.payload();
            assertThat(value.get("index").asText()).isEqualTo(row[0]);
            assertThat(value.get("date").asText()).isEqualTo(row[1]);
            assertThat(value.get("open").asDouble()).isEqualTo(Double.parseDouble(row[2]));
            assertThat(value.get("close").asDouble()).isEqualTo(Double.parseDouble(row[5]));
            assertThat(value.get("volume").isIntegralNumber()).isTrue();
            assertThat(value.get("volume").asLong()).isEqualTo((long) Double.parseDouble(row[7]));
            assertThat(value.get("close_usd").asDouble()).isEqualTo(Double.parseDouble(row[8]));
            assertThat(record.key().get("schema").get("type").asText()).isEqualTo("string");
            assertThat(record.key().get("payload").asText()).isEqualTo(row[0]);
        }
        assertThat(records.stream().map(Sampled::sequence)).containsExactlyElementsOf(
                Stream.iterate(0L, n -> n + 1).limit(60).toList());
        assertThat(records.stream().map(Sampled::row).collect(Collectors.toSet()))
                .as("uniform sampling over %d rows picks mostly distinct rows", sampleRows.size())
                .hasSizeGreaterThan(50);
    }

    @Test
    void achievedRateMatchesTheTarget() {
        String topic = "rate";
        cluster.run("rate", ConnectCluster.sourceConfig(topic, Map.of(
                "records.per.second", "40", "max.records", "200")), 1);

        List<Sampled> records = cluster.read(topic, 200, TIMEOUT);

        assertThat(records).hasSize(200);
        double seconds = (records.get(199).timestamp() - records.get(0).timestamp()) / 1000.0;
        assertThat(199 / seconds).as("records per second over %.2f s", seconds).isCloseTo(40.0, within(2.0));
    }

    @Test
    void taskMetricsArePublishedThroughTheWorkersPluginMetrics() throws Exception {
        cluster.run("metered", ConnectCluster.sourceConfig("metered", Map.of(
                "records.per.second", "100", "max.records", "30")), 1);
        assertThat(cluster.read("metered", 30, TIMEOUT)).hasSize(30);
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name = new javax.management.ObjectName(
                "kafka.connect:type=plugins,connector=metered,task=0");

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (((Number) server.getAttribute(name, "completed")).doubleValue() != 1.0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(((Number) server.getAttribute(name, "completed")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) server.getAttribute(name, "records-emitted-total")).longValue()).isEqualTo(30);
        assertThat(((Number) server.getAttribute(name, "next-sequence")).longValue()).isEqualTo(30);
        assertThat(((Number) server.getAttribute(name, "target-rate")).doubleValue()).isEqualTo(100.0);
        assertThat(((Number) server.getAttribute(name, "achieved-rate")).doubleValue()).isPositive();
        assertThat(((Number) server.getAttribute(name, "malformed-rows-skipped-total")).longValue()).isZero();
        assertThat(server.isRegistered(name)).isTrue();

        cluster.rest.delete("metered");
        cluster.rest.awaitConnectorDeleted("metered", TIMEOUT);
        deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.isRegistered(name) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(server.isRegistered(name)).as("metrics removed with the task").isFalse();
    }

    @Test
    void sameSeedGivesTheSameStream() {
        Map<String, String> settings = Map.of("records.per.second", "500", "max.records", "100", "random.seed", "99");
        cluster.run("seeded-a", ConnectCluster.sourceConfig("seeded-a", settings), 1);
        cluster.run("seeded-b", ConnectCluster.sourceConfig("seeded-b", settings), 1);

        List<Long> a = cluster.read("seeded-a", 100, TIMEOUT).stream().map(Sampled::row).toList();
        List<Long> b = cluster.read("seeded-b", 100, TIMEOUT).stream().map(Sampled::row).toList();

        assertThat(a).hasSize(100).isEqualTo(b);
    }

    @Test
    void maxRecordsIsSplitAcrossTasksWhichThenIdleRunning() throws InterruptedException {
        String topic = "bounded";
        cluster.run("bounded", ConnectCluster.sourceConfig(topic, Map.of(
                "tasks.max", "2", "records.per.second", "100", "max.records", "25")), 2);

        List<Sampled> records = cluster.read(topic, 25, TIMEOUT);
        Thread.sleep(1500);
        List<Sampled> later = cluster.read(topic, 26, Duration.ofSeconds(3));

        assertThat(records).hasSize(25);
        assertThat(later).as("no record after max.records").hasSize(25);
        assertThat(records.stream().collect(Collectors.groupingBy(Sampled::task, Collectors.counting())))
                .containsOnly(Map.entry(0, 13L), Map.entry(1, 12L));
        cluster.rest.awaitConnectorRunning("bounded", 2, Duration.ofSeconds(5));
    }

    @Test
    void rateIsSplitAcrossTasksWithDistinctStreams() {
        String topic = "split";
        cluster.run("split", ConnectCluster.sourceConfig(topic, Map.of(
                "tasks.max", "3", "records.per.second", "60", "max.records", "180", "random.seed", "5")), 3);

        List<Sampled> records = cluster.read(topic, 180, TIMEOUT);

        assertThat(records).hasSize(180);
        Map<Integer, List<Sampled>> byTask = records.stream().collect(Collectors.groupingBy(Sampled::task));
        assertThat(byTask).containsOnlyKeys(0, 1, 2);
        for (List<Sampled> task : byTask.values()) {
            assertThat(task).hasSize(60);
            double seconds = (task.get(59).timestamp() - task.get(0).timestamp()) / 1000.0;
            assertThat(59 / seconds).as("per-task rate").isCloseTo(20.0, within(1.5));
        }
        assertThat(byTask.get(0).stream().map(Sampled::row).toList())
                .isNotEqualTo(byTask.get(1).stream().map(Sampled::row).toList());
    }

    @Test
    void workerRestartResumesWithoutRepeatsOrGaps() throws InterruptedException {
        String topic = "restart";
        Map<String, String> settings = Map.of("records.per.second", "50", "random.seed", "11", "max.records", "400");
        cluster.run("restart", ConnectCluster.sourceConfig(topic, settings), 1);
        assertThat(cluster.read(topic, 40, TIMEOUT)).hasSizeGreaterThanOrEqualTo(40);

        cluster.worker.restart();
        cluster.rest.awaitConnectorRunning("restart", 1, TIMEOUT);
        cluster.run("restart-reference", ConnectCluster.sourceConfig("restart-reference", settings), 1);
        List<Sampled> records = cluster.read(topic, 400, TIMEOUT);
        List<Sampled> reference = cluster.read("restart-reference", 400, TIMEOUT);

        assertThat(records.stream().map(Sampled::sequence))
                .as("sequence numbers after a worker restart")
                .containsExactlyElementsOf(Stream.iterate(0L, n -> n + 1).limit(400).toList());
        assertThat(records.stream().map(Sampled::row).toList())
                .as("the same rows as a stream that was never interrupted")
                .isEqualTo(reference.stream().map(Sampled::row).toList());
    }

    @Test
    void timestampColumnAndLogicalDatesFromAFile() throws IOException {
        Path csv = files.resolve("quotes.csv");
        Files.writeString(csv, "Index,Date,Close,Note\n"
                + "NYA,2021-06-30,16500.25,\"first, quoted\"\n"
                + "HSI,2021-07-01,28800.5,null\n", StandardCharsets.UTF_8);
        String topic = "file-dates";
        cluster.run("file-dates", ConnectCluster.sourceConfig(topic, Map.of(
                "csv.path", csv.toString(), "records.per.second", "100", "max.records", "20",
                "timestamp.column", "Date", "date.output", "logical")), 1);

        List<Sampled> records = cluster.read(topic, 20, TIMEOUT);

        assertThat(records).hasSize(20);
        JsonNode dateField = records.get(0).value().get("schema").get("fields").get(1);
        assertThat(dateField.get("name").asText()).isEqualTo("org.apache.kafka.connect.data.Date");
        Set<Long> rows = new HashSet<>();
        for (Sampled record : records) {
            rows.add(record.row());
            LocalDate date = record.row() == 1 ? LocalDate.of(2021, 6, 30) : LocalDate.of(2021, 7, 1);
            assertThat(record.timestamp()).isEqualTo(date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
            assertThat(record.payload().get("Date").asLong()).isEqualTo(date.toEpochDay());
            assertThat(record.payload().get("Note").isNull()).isEqualTo(record.row() == 2);
            if (record.row() == 1) {
                assertThat(record.payload().get("Note").asText()).isEqualTo("first, quoted");
            }
        }
        assertThat(rows).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void aFileTruncatedWhileTheTaskRunsFailsTheTaskNamingTheFile() throws Exception {
        Path csv = files.resolve("shrinking.csv");
        Files.writeString(csv, "Index,Close\nNYA,1.5\nHSI,2.5\nN225,3.5\n", StandardCharsets.UTF_8);
        cluster.run("shrinking", ConnectCluster.sourceConfig("shrinking", Map.of("csv.path", csv.toString(),
                "records.per.second", "50")), 1);
        assertThat(cluster.read("shrinking", 10, TIMEOUT)).hasSizeGreaterThanOrEqualTo(10);

        Files.writeString(csv, "Index,Close\n", StandardCharsets.UTF_8);

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode task = cluster.rest.status("shrinking").path("tasks").get(0);
        while (!"FAILED".equals(task.path("state").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            task = cluster.rest.status("shrinking").path("tasks").get(0);
        }
        assertThat(task.path("state").asText()).isEqualTo("FAILED");
        assertThat(task.path("trace").asText()).contains(csv.toString()).contains("truncated");
        cluster.rest.delete("shrinking");
    }

    /**
     * The tasks of a connector on one worker share one load of the file; a task restarted alone after the file was
     * replaced must not take the content its sibling still holds: it loads the file as it is now, and, its stored
     * fingerprint no longer matching, starts again from record 0 (csv.change.policy=restart), while the sibling
     * keeps sampling the content it loaded.
     */
    @Test
    void aTaskRestartedAloneLoadsTheReplacedFileWhileItsSiblingKeepsWhatItLoaded() throws Exception {
        Path csv = files.resolve("shared.csv");
        Files.writeString(csv, "Index,Close\nNYA,1.5\nHSI,2.5\nN225,3.5\nGDAXI,4.5\n", StandardCharsets.UTF_8);
        String topic = "shared";
        cluster.run("shared", ConnectCluster.sourceConfig(topic, Map.of("csv.path", csv.toString(), "tasks.max", "2",
                "records.per.second", "40", "random.seed", "3")), 2);
        assertThat(cluster.read(topic, 40, TIMEOUT)).extracting(Sampled::task).contains(0, 1);

        Path replacement = files.resolve("shared.next");
        Files.writeString(replacement, "Index,Close\nDJI,9.5\nFTSE,8.5\nIXIC,7.5\n", StandardCharsets.UTF_8);
        Files.move(replacement, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        cluster.rest.restartTask("shared", 1);

        Set<String> before = Set.of("NYA", "HSI", "N225", "GDAXI");
        Set<String> after = Set.of("DJI", "FTSE", "IXIC");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<Sampled> restarted;
        List<Sampled> records;
        do {
            records = cluster.read(topic, Integer.MAX_VALUE, Duration.ofSeconds(2)); // what is there after 2 s
            List<Sampled> task1 = records.stream().filter(r -> r.task() == 1).toList();
            int reset = 0;
            for (int i = 1; i < task1.size(); i++) {
                if (task1.get(i).sequence() == 0) {
                    reset = i;
                }
            }
            restarted = reset == 0 ? List.of() : task1.subList(reset, task1.size());
        } while (restarted.size() < 20 && System.nanoTime() < deadline);

        assertThat(restarted).as("task 1 after its restart: from record 0 on").hasSizeGreaterThanOrEqualTo(20);
        assertThat(restarted).extracting(r -> r.payload().get("Index").asText())
                .as("task 1 after its restart samples the new file").allMatch(after::contains);
        assertThat(records).filteredOn(r -> r.task() == 0).extracting(r -> r.payload().get("Index").asText())
                .as("task 0 keeps the content it loaded").allMatch(before::contains);
        cluster.rest.delete("shared");
    }

    @Test
    void validateRejectsBadConfigsFieldByField() throws IOException {
        Path ragged = files.resolve("ragged.csv");
        Files.writeString(ragged, "a,b\n1,2\n3\n", StandardCharsets.UTF_8);
        Map<String, String> bad = new HashMap<>(ConnectCluster.sourceConfig("ok-topic", Map.of()));
        bad.remove("topic");
        bad.put("records.per.second", "0");
        bad.put("sampling.mode", "bogus");
        bad.put("csv.separator", ";;");

        Map<String, List<String>> errors = errors(cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS, bad));

        assertThat(errors.get("topic")).singleElement().asString().contains("topic");
        assertThat(errors.get("records.per.second")).singleElement().asString().contains("0");
        assertThat(errors.get("sampling.mode")).singleElement().asString().contains("bogus").contains("random");
        assertThat(errors.get("csv.separator")).singleElement().asString().contains(";;");

        Map<String, List<String>> fileErrors = errors(cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS,
                ConnectCluster.sourceConfig("t", Map.of("csv.path", ragged.toString()))));
        assertThat(fileErrors.get("csv.path")).singleElement().asString()
                .contains(ragged.toString()).contains("line 3").contains("1 fields").contains("2");

        Map<String, List<String>> columnErrors = errors(cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS,
                ConnectCluster.sourceConfig("t", Map.of("key.column", "Ticker", "column.types", "Volume:int32"))));
        assertThat(columnErrors.get("column.types")).singleElement().asString().contains("int32");

        Map<String, List<String>> keyErrors = errors(cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS,
                ConnectCluster.sourceConfig("t", Map.of("key.column", "Ticker"))));
        assertThat(keyErrors.get("key.column")).singleElement().asString().contains("Ticker").contains("Index");

        Map<String, List<String>> missing = errors(cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS,
                ConnectCluster.sourceConfig("t", Map.of("csv.path", files.resolve("absent.csv").toString()))));
        assertThat(missing.get("csv.path")).singleElement().asString().contains("absent.csv").contains("does not exist");

        Map<String, List<String>> forbidden = errors(cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS,
                ConnectCluster.sourceConfig("t", Map.of("csv.path", "/etc/hostname"))));
        assertThat(forbidden.get("csv.path")).singleElement().asString().contains("/etc/hostname")
                .contains("outside the directories this worker allows");

        JsonNode good = cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS,
                ConnectCluster.sourceConfig("t", Map.of("name", "good", "key.column", "Index", "field.names", "snake_case")));
        assertThat(good.get("error_count").asInt()).as("%s", good).isZero();
    }

    /**
     * Messy files through a real worker: the JSON a user sends reaches the connector as written (a real tab, an
     * item of one space), Connect's ConfigDef trims it, and validate() says so with what to write instead; a
     * tab-separated file whose header carries a garbled byte order mark then validates and streams with
     * key.column=Index.
     */
    @Test
    void validateExplainsWhitespaceConnectTrimsAndAGarbledByteOrderMarkIsSkipped() throws IOException {
        Path csv = files.resolve("spreadsheet-export.csv");
        Files.writeString(csv, "\u00EF\u00BB\u00BFIndex\tClose\nNYA\t1.5\nHSI\t2.5\n", StandardCharsets.UTF_8);
        Map<String, String> settings = Map.of("name", "messy", "csv.path", csv.toString(), "key.column", "Index",
                "csv.separator", "\t", "csv.null.values", "NA, ");

        Map<String, List<String>> errors = errors(cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS,
                ConnectCluster.sourceConfig("t", settings)));

        assertThat(errors).containsOnlyKeys("csv.separator", "csv.null.values");
        assertThat(errors.get("csv.separator")).singleElement().asString()
                .startsWith("csv.separator is empty. Kafka Connect trims spaces, tabs and line breaks")
                .contains("\"csv.separator\": \"tab\" (or \"\\\\t\") in JSON");
        assertThat(errors.get("csv.null.values")).singleElement().asString()
                .contains("(in JSON \"csv.null.values\": \"NA,\\\\s\")");

        Map<String, String> fixed = new HashMap<>(ConnectCluster.sourceConfig("garbled-bom", Map.of(
                "name", "garbled-bom", "csv.path", csv.toString(), "key.column", "Index", "csv.separator", "tab",
                "sampling.mode", "sequential", "records.per.second", "100", "max.records", "4")));
        JsonNode validation = cluster.rest.validate(ConnectCluster.CONNECTOR_CLASS, fixed);
        assertThat(validation.get("error_count").asInt()).as("%s", validation).isZero();

        cluster.run("garbled-bom", fixed, 1);
        List<Sampled> records = cluster.read("garbled-bom", 4, TIMEOUT);
        assertThat(records).extracting(Sampled::row).containsExactly(1L, 2L, 1L, 2L);
        assertThat(records.get(0).payload().fieldNames()).toIterable().containsExactly("Index", "Close");
        assertThat(records.get(0).key().get("payload").asText()).isEqualTo("NYA");
        cluster.rest.delete("garbled-bom");
    }

    /** Field name to its error messages, for fields that have any. */
    private static Map<String, List<String>> errors(JsonNode validation) {
        Map<String, List<String>> errors = new HashMap<>();
        for (JsonNode config : validation.get("configs")) {
            JsonNode value = config.get("value");
            List<String> messages = new ArrayList<>();
            value.get("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                errors.put(value.get("name").asText(), messages);
            }
        }
        assertThat(validation.get("error_count").asInt()).isEqualTo(
                errors.values().stream().mapToInt(List::size).sum());
        return errors;
    }

    /** The bundled sample's data rows, generated by the plugin's own jar, for checking values. */
    private static List<String[]> bundledSampleRows() throws Exception {
        Path pluginDir = Path.of(System.getProperty("plugin.dir"));
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(pluginDir)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            byte[] csv = (byte[]) loader.loadClass("io.github.csvsampling.connect.sample.SyntheticStockIndexData")
                    .getMethod("csv").invoke(null);
            List<String> lines = new String(csv, StandardCharsets.UTF_8).lines().toList();
            assertThat(lines.get(0).split(",")).containsExactlyElementsOf(SAMPLE_HEADER);
            return lines.stream().skip(1).map(line -> line.split(",")).toList();
        }
    }
}
