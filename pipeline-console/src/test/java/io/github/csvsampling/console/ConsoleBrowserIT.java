package io.github.csvsampling.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.github.csvsampling.lake.AthenaDdl;
import io.github.csvsampling.lake.DuckDbLake;
import io.github.csvsampling.lake.SinkLayoutWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console as a person uses it, in headless Chromium, against a real broker and Connect worker: creating our
 * connector through the generated form (an invalid value first), watching the rate follow a change made on the
 * page, pausing and resuming, resetting offsets, the latest quotes against a consumer, the query tables against
 * DuckDB on the same files, a plugin that is not ours, bad input, and another site trying to drive it. The methods
 * run in order, as one session; each leaves the source RUNNING. Screenshots of each view go to
 * {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final String TOPIC = "stock-quotes";
    private static final String SOURCE = "stock-quotes-source";

    /** After a failed step the later ones, which build on it, are skipped rather than timing out one by one. */
    private static boolean failed;

    @RegisterExtension
    final TestWatcher evidence = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
            if (browser != null) {
                try {
                    System.out.println("Screenshot: " + browser.screenshot("failed-" + context.getDisplayName()
                            .replaceAll("\\W", "")));
                    System.out.println("Browser console: " + browser.consoleProblems());
                } catch (Exception e) {
                    System.out.println("No screenshot: " + e);
                }
            }
        }
    };

    private static ConsoleCluster cluster;
    private static PipelineConsole console;
    private static Browser browser;
    private static Path work;
    private static Path bucket;

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(Browser.skipped(), "-Dconsole.browser.skip=true: the browser tests are skipped on purpose");
        work = Files.createTempDirectory("console-it-");
        bucket = Files.createDirectories(work.resolve("s3/stock-quotes"));
        cluster = ConsoleCluster.start();
        cluster.kafka.createTopic(TOPIC, 1);
        console = PipelineConsole.start(ConsoleSettings.builder().port(0)
                .connectUrl(cluster.worker.restUrl()).bootstrap(cluster.kafka.bootstrapServers())
                .bucketDir(bucket).cacheDir(work.resolve("cache")).queryInterval(Duration.ofSeconds(2))
                .athenaDdl(ConsoleCluster.REPO.resolve("athena-ddl.sql"))
                .athenaQueries(ConsoleCluster.REPO.resolve("athena-queries.sql"))
                .sinkConfig(ConsoleCluster.REPO.resolve("connect-configs/stock-quotes-s3-sink-minio.config.json"))
                .build());
        browser = Browser.start();
        browser.driver.get(console.url().toString());
        browser.await(30, d -> "true".equals(browser.find("body").getAttribute("data-ready")));
    }

    @BeforeEach
    void notAfterAFailure() {
        assumeFalse(failed, "an earlier step failed");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void anInvalidValueInTheFormIsShownAtItsFieldAndNothingIsCreated() throws IOException {
        view("connectors");
        browser.find("#new-connector").click();
        choosePlugin(ConsoleCluster.OUR_CONNECTOR);
        type(browser.find("#connector-name"), SOURCE);
        type(field("topic"), TOPIC);
        type(field("key.column"), "Index");
        new Select(field("field.names")).selectByValue("snake_case");
        browser.find("details.connect-groups > summary").click();
        choose(field("key.converter"), "org.apache.kafka.connect.storage.StringConverter");
        type(field("records.per.second"), "-5");

        WebElement error = browser.find("[data-key='records.per.second'] .field-error");
        browser.await(20, d -> error.getText().contains("Invalid value"));
        assertThat(error.getText()).contains("records.per.second").contains("greater than 0");
        browser.find("#submit-button").click();
        browser.await(20, d -> browser.find("#form-message").getText().startsWith("Not created"));

        assertThat(cluster.rest.connectors()).as("nothing was created").isEmpty();
        assertThat(browser.find("[data-key='records.per.second']").getAttribute("class")).contains("invalid");
        browser.screenshot("connector-form-error");
    }

    @Test
    @Order(2)
    void fixedItCreatesOurConnectorWhichRunsAndTheRateChartShowsTheTarget() throws IOException {
        type(field("records.per.second"), "20");
        browser.await(20, d -> browser.find("[data-key='records.per.second'] .field-error").getText().isEmpty());
        browser.find("#submit-button").click();

        browser.await(30, d -> browser.find("#connectors-message").getText().contains("Created " + SOURCE));
        awaitState(SOURCE, "RUNNING");
        assertThat(row(SOURCE).findElement(By.cssSelector(".task")).getText()).startsWith("0: RUNNING");
        awaitConfig(SOURCE, "records.per.second", "20");
        browser.screenshot("connectors");

        view("stream");
        browser.await(30, d -> "20".equals(browser.find("#stat-target").getText()));
        browser.await(30, d -> "20".equals(browser.find("#rate-chart").getAttribute("data-last-target"))
                && achieved() > 15);
        assertThat(browser.find("#rate-chart canvas").isDisplayed()).isTrue();
        assertThat(browser.findAll("#latest-quotes tbody tr")).isNotEmpty();
        browser.await(30, d -> browser.findAll("#index-charts figure canvas").size() >= 10);
        browser.screenshot("stream");
    }

    @Test
    @Order(3)
    void aRateChangedOnThePageMovesTheAchievedRate() {
        view("connectors");
        action(SOURCE, "edit").click();
        browser.await(30, d -> "20".equals(field("records.per.second").getAttribute("value")));
        type(field("records.per.second"), "50");
        browser.await(20, d -> browser.find("#form-message").getText().equals("Valid."));
        browser.find("#submit-button").click();
        browser.await(30, d -> browser.find("#connectors-message").getText().contains("Saved " + SOURCE));
        awaitConfig(SOURCE, "records.per.second", "50");

        view("stream");
        browser.await(30, d -> "50".equals(browser.find("#stat-target").getText()));
        browser.await(45, d -> Math.abs(achieved() - 50) < 5);
        assertThat(achieved()).isCloseTo(50, within(5.0));
    }

    @Test
    @Order(4)
    void pauseAndResume() {
        view("connectors");
        action(SOURCE, "pause").click();
        awaitState(SOURCE, "PAUSED");
        view("stream");
        browser.await(30, d -> achieved() == 0 && "0".equals(browser.find("#stat-target").getText()));

        view("connectors");
        action(SOURCE, "resume").click();
        awaitState(SOURCE, "RUNNING");
        view("stream");
        browser.await(45, d -> achieved() > 40);
    }

    @Test
    @Order(5)
    void theLatestQuoteTableMatchesWhatAConsumerReadsFromTheTopic() throws IOException {
        view("stream");
        browser.screenshotFullPage("stream-full");
        pauseSource();
        List<ConsumerRecord<byte[], byte[]>> records = readAll();
        view("stream");
        browser.await(30, d -> browser.find("#stat-records").getText().equals(String.format("%,d", records.size())));

        Map<String, JsonNode> latest = new LinkedHashMap<>();
        Map<String, Long> times = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String index = new String(record.key(), StandardCharsets.UTF_8);
            if (!times.containsKey(index) || record.timestamp() >= times.get(index)) {
                times.put(index, record.timestamp());
                latest.put(index, StreamStats.payload(record.value()));
            }
        }
        List<List<String>> rows = table("#latest-quotes");
        assertThat(rows).extracting(r -> r.get(0)).containsExactlyElementsOf(latest.keySet().stream().sorted().toList());
        for (List<String> row : rows) {
            JsonNode quote = latest.get(row.get(0));
            assertThat(row.get(1)).as(row.get(0)).isEqualTo(quote.path("date").asText());
            assertThat(Double.parseDouble(row.get(5))).as(row.get(0)).isEqualTo(quote.path("close").asDouble());
            assertThat(Double.parseDouble(row.get(6))).as(row.get(0)).isEqualTo(quote.path("close_usd").asDouble());
            assertThat(Long.parseLong(row.get(7))).as(row.get(0)).isEqualTo(quote.path("volume").asLong());
        }
        resumeSource();
    }

    @Test
    @Order(6)
    void withAnEmptyBucketAndNoSinkTheLakeSaysWhyAndQueriesTheTopicLabelledSo() throws IOException {
        view("lake");
        browser.await(30, d -> "topic".equals(browser.find("#queries-meta").getAttribute("data-source")));
        assertThat(browser.find("#lake-note").getText()).contains("No S3 sink reads stock-quotes")
                .contains("To add it");
        assertThat(browser.find("#queries-source").getText()).startsWith("From the topic, not the bucket");
        assertThat(browser.find("#lake-objects").getText()).isEqualTo("0");
        browser.await(30, d -> browser.findAll("article.query").size() == namedQueries().size()
                && browser.findAll("article.query .error").isEmpty());
        browser.screenshot("lake-from-topic");
    }

    @Test
    @Order(7)
    void theQueryTablesMatchDuckDbRunDirectlyOnTheSameFiles() throws Exception {
        pauseSource();
        List<ConsumerRecord<byte[], byte[]>> records = readAll();
        SinkLayoutWriter sink = new SinkLayoutWriter(bucket, SinkLayoutWriter.Layout.fromSinkConfig(sinkConfig()),
                Long.MAX_VALUE);
        records.forEach(r -> sink.write(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value()));
        sink.commit();
        long objects;
        try (Stream<Path> files = Files.walk(bucket)) {
            objects = files.filter(Files::isRegularFile).count();
        }

        view("lake");
        browser.await(30, d -> browser.find("#lake-objects").getText().equals(String.valueOf(objects)));
        browser.await(30, d -> "bucket".equals(browser.find("#queries-meta").getAttribute("data-source")));
        assertThat(browser.find("#queries-source").isDisplayed()).isFalse();
        assertThat(browser.find("#queries-meta").getText()).contains("over " + objects + " object");
        browser.await(30, d -> browser.findAll("article.query").size() == namedQueries().size());

        AthenaDdl ddl = AthenaDdl.parse(Files.readString(ConsoleCluster.REPO.resolve("athena-ddl.sql")))
                .withLocationBucket("stock-quotes");
        try (DuckDbLake duckdb = DuckDbLake.open(ddl, bucket.getParent())) {
            for (Map.Entry<String, String> query : namedQueries().entrySet()) {
                WebElement article = browser.find("article.query[data-query='" + query.getKey() + "']");
                DuckDbLake.Table expected = duckdb.query(query.getValue());
                List<WebElement> filter = article.findElements(By.cssSelector("select.query-filter"));
                List<List<Object>> rows = expected.rows();
                if (!filter.isEmpty()) {
                    String index = new Select(filter.get(0)).getFirstSelectedOption().getAttribute("value");
                    int column = expected.columns().indexOf("index");
                    rows = rows.stream().filter(r -> index.equals(r.get(column))).toList();
                }
                assertThat(article.findElements(By.cssSelector("table.result th"))).extracting(WebElement::getText)
                        .as(query.getKey()).containsExactlyElementsOf(expected.columns());
                List<WebElement> shown = article.findElements(By.cssSelector("table.result tbody tr"));
                assertThat(shown).as(query.getKey() + " rows").hasSize(Math.min(rows.size(), 200));
                for (int i = 0; i < shown.size(); i++) {
                    List<WebElement> cells = shown.get(i).findElements(By.tagName("td"));
                    for (int c = 0; c < cells.size(); c++) {
                        assertCell(query.getKey() + " row " + i + " " + expected.columns().get(c),
                                cells.get(c).getAttribute("data-value"), rows.get(i).get(c));
                    }
                }
            }
        }
        assertThat(browser.findAll("article.query figure canvas")).as("charts where they fit").hasSizeGreaterThan(2);
        browser.screenshot("lake");
        ((JavascriptExecutor) browser.driver).executeScript("arguments[0].scrollIntoView()",
                browser.find("article.query[data-query='daily_ohlc_per_index']"));
        browser.screenshot("lake-charts");
        ((JavascriptExecutor) browser.driver).executeScript("window.scrollTo(0, 0)");
        resumeSource();
    }

    @Test
    @Order(8)
    void offsetsAreShownAndResetWhileStopped() throws IOException {
        view("connectors");
        action(SOURCE, "offsets").click();
        browser.await(20, d -> !browser.findAll("#offsets-table tbody tr").isEmpty());
        assertThat(browser.find("#offsets-table tbody").getText()).contains("sequence");
        assertThat(browser.find("#offsets-reset").isEnabled()).as("only once STOPPED").isFalse();

        browser.find("#offsets-stop").click();
        awaitState(SOURCE, "STOPPED");
        browser.await(20, d -> browser.find("#offsets-reset").isEnabled());
        browser.screenshot("offsets");
        browser.find("#offsets-reset").click();
        browser.await(30, d -> browser.find("#offsets-message").getText().toLowerCase().contains("reset"));
        browser.await(20, d -> browser.find("#offsets-empty").isDisplayed());
        assertThat(cluster.rest.offsets(SOURCE).path("offsets")).isEmpty();

        action(SOURCE, "resume").click();
        awaitState(SOURCE, "RUNNING");
        browser.find("#offsets-close").click();
    }

    @Test
    @Order(9)
    void aPluginThatIsNotOursIsCreatedAndDeletedTheSameWay() throws IOException {
        Path file = work.resolve("file-sink.txt");
        view("connectors");
        browser.find("#new-connector").click();
        choosePlugin(ConsoleCluster.FILE_SINK);
        type(browser.find("#connector-name"), "file-sink");
        type(field("file"), file.toString());
        browser.find("details.connect-groups > summary").click();
        type(field("topics"), TOPIC);
        browser.await(20, d -> browser.find("#form-message").getText().equals("Valid."));
        browser.find("#submit-button").click();

        // The worker's default key converter (JSON) cannot read our string keys: the task fails, the trace shows.
        browser.await(60, d -> !browser.findAll("tr[data-trace-of='file-sink']").isEmpty());
        WebElement trace = browser.find("tr[data-trace-of='file-sink'] details");
        assertThat(trace.getText()).startsWith("Task 0 failed: org.apache.kafka.connect.errors.ConnectException");
        trace.findElement(By.tagName("summary")).click();
        assertThat(trace.findElement(By.cssSelector("pre.trace")).getText()).contains("JsonConverter")
                .contains("at org.apache.kafka.connect");
        browser.screenshot("connectors-failed-task");

        action("file-sink", "edit").click();
        browser.await(30, d -> file.toString().equals(field("file").getAttribute("value")));
        browser.find("details.connect-groups > summary").click();
        choose(field("key.converter"), "org.apache.kafka.connect.storage.StringConverter");
        browser.await(20, d -> browser.find("#form-message").getText().equals("Valid."));
        browser.find("#submit-button").click();
        browser.await(30, d -> browser.find("#connectors-message").getText().contains("Saved file-sink"));
        awaitState("file-sink", "RUNNING");
        browser.await(30, d -> Files.exists(file) && size(file) > 0);
        assertThat(browser.findAll("tr[data-trace-of='file-sink']")).isEmpty();

        action("file-sink", "delete").click();
        browser.await(10, d -> browser.find("#confirm").isDisplayed());
        browser.find("#confirm-cancel").click();
        assertThat(cluster.rest.connectors().toString()).contains("file-sink");
        action("file-sink", "delete").click();
        browser.await(10, d -> browser.find("#confirm").isDisplayed());
        assertThat(browser.find("#confirm-text").getText()).contains("file-sink");
        browser.find("#confirm-ok").click();
        browser.await(30, d -> browser.findAll("tr[data-connector='file-sink']").isEmpty());
        assertThat(cluster.rest.connectors().toString()).doesNotContain("file-sink");
    }

    @Test
    @Order(10)
    void badInputGetsAClearMessageOnThePageNeverABrokenPage() {
        view("connectors");
        browser.consoleProblems();
        browser.find("#new-connector").click();
        choosePlugin(ConsoleCluster.OUR_CONNECTOR);
        type(field("topic"), TOPIC);

        type(browser.find("#connector-name"), "quotes/raw");
        browser.await(10, d -> browser.find("#name-error").getText().contains("slash"));
        browser.find("#submit-button").click();
        browser.await(10, d -> browser.find("#form-message").getText().startsWith("Not created"));
        type(browser.find("#connector-name"), "Bob's \"quotes\"");
        browser.await(10, d -> browser.find("#name-error").getText().contains("quotes"));

        type(browser.find("#connector-name"), "huge");
        ((JavascriptExecutor) browser.driver).executeScript("const input = arguments[0];"
                + " input.value = '7'.repeat(70000); input.dispatchEvent(new Event('input'));", field("batch.size"));
        browser.await(10, d -> browser.find("[data-key='batch.size'] .field-error").getText()
                .contains("70,000 characters long"));
        browser.find("#cancel-button").click();

        action(SOURCE, "offsets").click();
        browser.await(10, d -> browser.find("#offsets").isDisplayed());
        browser.find("#offsets-edit summary").click();
        WebElement json = browser.find("#offsets-json");
        json.clear();
        json.sendKeys("{\"offsets\": [ {\"partition\": ");
        browser.find("#offsets-apply").click();
        browser.await(10, d -> browser.find("#offsets-message").getText().startsWith("Not valid JSON"));
        browser.find("#offsets-close").click();

        assertThat(cluster.rest.connectors().toString()).doesNotContain("huge").doesNotContain("quotes/raw");
        assertThat(browser.consoleProblems()).as("no script error on the page").isEmpty();
        assertThat(browser.find("#connectors-table").isDisplayed()).isTrue();
    }

    @Test
    @Order(11)
    void anotherSiteInTheSameBrowserCannotDriveTheConsole() throws Exception {
        String consoleUrl = console.url().toString();
        String script = "const url = '" + consoleUrl + "api/connect/connectors';"
                + "const body = JSON.stringify({name: 'evil', config: {'connector.class': 'LinesSink',"
                + " topics: 'stock-quotes', file: '/tmp/evil'}});"
                + "const results = [];"
                + "try { const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json',"
                + " 'X-Console-Token': 'guess'}, body}); results.push('cors:' + r.status); }"
                + " catch (e) { results.push('cors:blocked'); }"
                + "try { const r = await fetch(url, {method: 'POST', mode: 'no-cors', headers: {'Content-Type':"
                + " 'text/plain'}, body}); results.push('simple:' + r.type); }"
                + " catch (e) { results.push('simple:blocked'); }"
                + "try { const r = await fetch('" + consoleUrl + "'); results.push('read:' + r.status); }"
                + " catch (e) { results.push('read:blocked'); }"
                + "document.title = results.join(' ');";
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        evil.createContext("/", exchange -> {
            byte[] page = ("<!doctype html><title>evil</title><script type=module>" + script + "</script>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        evil.start();
        try {
            browser.driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            browser.await(20, d -> d.getTitle().startsWith("cors:"));
            assertThat(browser.driver.getTitle()).as("the preflight is refused, the simple request gets no answer"
                    + " it can read, the page cannot be read")
                    .matches("cors:blocked simple:(opaque|blocked) read:blocked");
        } finally {
            evil.stop(0);
            browser.driver.get(consoleUrl);
            browser.await(30, d -> "true".equals(browser.find("body").getAttribute("data-ready")));
        }
        assertThat(cluster.rest.connectors().toString()).doesNotContain("evil");

        HttpClient http = HttpClient.newHttpClient();
        String page = http.send(HttpRequest.newBuilder(console.url()).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("name=\"console-token\" content=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).isTrue();
        String body = "{\"name\":\"evil\",\"config\":{\"connector.class\":\"LinesSink\",\"topics\":\"t\"}}";
        URI create = console.url().resolve("api/connect/connectors");
        String origin = "http://127.0.0.1:" + console.url().getPort();
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(create).header("Origin", origin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> otherOrigin = http.send(HttpRequest.newBuilder(create)
                .header("Origin", "http://evil.example").header("X-Console-Token", m.group(1))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("session token");
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        assertThat(otherOrigin.body()).contains("comes from http://evil.example");
        assertThat(cluster.rest.connectors().toString()).doesNotContain("evil");
    }

    // ------------------------------------------------------------------------------------------------------------

    private static void view(String name) {
        browser.find("#nav-" + name).click();
        browser.await(10, d -> browser.find("#view-" + name).isDisplayed());
    }

    private static void choosePlugin(String pluginClass) {
        browser.await(20, d -> browser.findAll("#plugin-select option[value='" + pluginClass + "']").size() == 1);
        new Select(browser.find("#plugin-select")).selectByValue(pluginClass);
        browser.await(30, d -> !browser.findAll("#editor-fields .field").isEmpty()
                && !browser.findAll("details.connect-groups .field").isEmpty());
    }

    private static WebElement field(String key) {
        return browser.await(20, d -> {
            List<WebElement> controls = browser.findAll("[data-key='" + key + "'] input, [data-key='" + key
                    + "'] select");
            return controls.isEmpty() ? null : controls.get(0);
        });
    }

    /** Picks a value in a select, or types it into an input (a key with many recommended values). */
    private static void choose(WebElement control, String value) {
        if (control.getTagName().equals("select")) {
            new Select(control).selectByValue(value);
        } else {
            type(control, value);
        }
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    private static WebElement row(String connector) {
        return browser.find("tr[data-connector='" + connector + "']");
    }

    private static WebElement action(String connector, String action) {
        return browser.await(30, d -> {
            List<WebElement> buttons = browser.findAll("tr[data-connector='" + connector + "'] button[data-action='"
                    + action + "']");
            return buttons.isEmpty() ? null : buttons.get(0);
        });
    }

    private static void awaitState(String connector, String state) {
        browser.await(60, d -> {
            List<WebElement> rows = browser.findAll("tr[data-connector='" + connector + "']");
            if (rows.isEmpty() || !state.equals(rows.get(0).getAttribute("data-state"))) {
                return false;
            }
            List<WebElement> tasks = rows.get(0).findElements(By.cssSelector(".task"));
            return (state.equals("STOPPED") || !tasks.isEmpty()) && tasks.stream()
                    .allMatch(t -> t.getText().contains(state));
        });
    }

    /** A table's cells, read at once: data-value where a cell has one (the raw number), else its text. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> table(String css) {
        return (List<List<String>>) ((JavascriptExecutor) browser.driver).executeScript("return [...document"
                + ".querySelectorAll(arguments[0] + ' tbody tr')].map(tr => [...tr.cells].map(td =>"
                + " td.dataset.value !== undefined ? td.dataset.value : td.textContent))", css);
    }

    /** Waits until Connect holds the setting (right after a change it may answer 409/500 during its rebalance). */
    private static void awaitConfig(String connector, String key, String value) {
        browser.await(30, d -> {
            try {
                return value.equals(cluster.rest.connectorConfig(connector).path(key).asText());
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private static double achieved() {
        String text = browser.find("#rate-chart").getAttribute("data-last-achieved");
        return text == null || text.isEmpty() ? -1 : Double.parseDouble(text);
    }

    private static void pauseSource() {
        view("connectors");
        action(SOURCE, "pause").click();
        awaitState(SOURCE, "PAUSED");
        sleep(2000); // the last transaction is committed and read
    }

    private static void resumeSource() {
        view("connectors");
        action(SOURCE, "resume").click();
        awaitState(SOURCE, "RUNNING");
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll() {
        return cluster.kafka.readRecords(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(5), true);
    }

    private static Map<String, String> namedQueries() {
        try {
            return DuckDbLake.namedQueries(Files.readString(ConsoleCluster.REPO.resolve("athena-queries.sql")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> sinkConfig() throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        ConsoleCluster.JSON.readTree(ConsoleCluster.REPO.resolve(
                        "connect-configs/stock-quotes-s3-sink-minio.config.json").toFile()).properties()
                .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** A cell's JSON value as the page holds it against DuckDB's value as DuckDbLake returns it. */
    private static void assertCell(String what, String json, Object expected) throws IOException {
        JsonNode actual = ConsoleCluster.JSON.readTree(json);
        if (expected == null) {
            assertThat(actual.isNull()).as(what).isTrue();
        } else if (expected instanceof Number number) {
            assertThat(actual.asDouble()).as(what).isCloseTo(number.doubleValue(),
                    within(Math.abs(number.doubleValue()) * 1e-12));
        } else {
            assertThat(actual.asText()).as(what).isEqualTo(expected.toString());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
