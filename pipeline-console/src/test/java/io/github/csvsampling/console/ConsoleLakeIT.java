package io.github.csvsampling.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.lake.S3Server;
import io.github.csvsampling.lake.SinkLayoutWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lake section against an S3 API endpoint, as the console runs against MinIO in docker-compose: the main job's
 * S3 server (S3Proxy) on 127.0.0.1, credentials from the AWS default chain (system properties here, the environment
 * in compose). Without objects the queries run on the topic; objects put through the S3 API are copied and queried;
 * deleted ones go; the sink's lag is its group's committed offsets against the topic's end; SQL typed on the page
 * runs only with --allow-sql, only as one SELECT, and reads nothing outside the bucket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleLakeIT {

    private static final String TOPIC = "stock-quotes";
    private static final String[] INDICES = {"NYA", "HSI", "N225", "GDAXI"};

    private static ConsoleCluster cluster;
    private static S3Server s3;
    private static S3Client client;
    private static PipelineConsole console;
    private static ConsoleClient page;
    private static Path work;
    private static long offset;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("console-lake-it-");
        cluster = ConsoleCluster.start();
        cluster.kafka.createTopic(TOPIC, 1);
        s3 = S3Server.start(work.resolve("s3"), 0, "stock-quotes", "console-test", "console-test-secret");
        System.setProperty("aws.accessKeyId", "console-test");
        System.setProperty("aws.secretAccessKey", "console-test-secret");
        client = S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("console-test",
                        "console-test-secret"))).build();
        produce(200);
        console = PipelineConsole.start(ConsoleSettings.builder().port(0)
                .connectUrl(cluster.worker.restUrl()).bootstrap(cluster.kafka.bootstrapServers())
                .s3Endpoint(URI.create(s3.endpoint())).bucket("stock-quotes").cacheDir(work.resolve("cache"))
                .queryInterval(Duration.ofSeconds(1)).allowSql(true)
                .athenaDdl(ConsoleCluster.REPO.resolve("athena-ddl.sql"))
                .athenaQueries(ConsoleCluster.REPO.resolve("athena-queries.sql"))
                .build());
        page = new ConsoleClient(console.url());
    }

    @AfterAll
    static void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void anEmptyBucketWithoutSinkIsExplainedAndTheQueriesRunOnTheTopic() {
        JsonNode lake = await(() -> page.firstEvent("lake"), l -> l.path("queries").path("version").asLong() > 0
                && l.path("queries").path("source").asText().equals("topic"));
        assertThat(lake.path("objects").asLong()).isZero();
        assertThat(lake.path("where").asText()).contains("at " + s3.endpoint());
        assertThat(lake.path("note").asText()).contains("No S3 sink reads stock-quotes").contains("To add it");
        JsonNode round = await(() -> ConsoleClient.json(page.get("api/lake/queries")),
                r -> r.path("source").asText().equals("topic") && r.path("records").asLong() == 200);
        JsonNode latest = result(round, "latest_quote_per_index");
        assertThat(latest.path("error").isNull()).as(latest.path("error").asText()).isTrue();
        assertThat(latest.path("rows")).extracting(r -> r.get(0).asText())
                .containsExactlyInAnyOrder(INDICES);
    }

    @Test
    @Order(2)
    void objectsPutThroughTheS3ApiAreCopiedQueriedAndDeletedAgain() throws Exception {
        Path files = Files.createDirectories(work.resolve("sink-out"));
        SinkLayoutWriter writer = new SinkLayoutWriter(files, SinkLayoutWriter.Layout.fromSinkConfig(Map.of(
                "topics.dir", "topics", "flush.size", "50",
                "partitioner.class", "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
                "path.format", "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH", "timezone", "UTC",
                "transforms", "t", "transforms.t.type", "org.apache.kafka.connect.transforms.InsertField$Value",
                "transforms.t.timestamp.field", "event_time")), Long.MAX_VALUE);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 150; i++) {
            writer.write(TOPIC, 0, i, now + i, value(INDICES[i % INDICES.length], i));
        }
        writer.commit();
        List<String> keys = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(files)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String key = files.relativize(file).toString();
                client.putObject(b -> b.bucket("stock-quotes").key(key), RequestBody.fromFile(file));
                keys.add(key);
            }
        }
        assertThat(keys).hasSize(3);

        JsonNode lake = await(() -> page.firstEvent("lake"), l -> l.path("objects").asLong() == 3);
        assertThat(lake.path("source").asText()).isEqualTo("bucket");
        assertThat(lake.path("note").asText()).isEmpty();
        JsonNode round = await(() -> ConsoleClient.json(page.get("api/lake/queries")),
                r -> r.path("source").asText().equals("bucket"));
        assertThat(round.path("objects").asLong()).isEqualTo(3);
        assertThat(result(round, "volume_leaders").path("rows").size()).isEqualTo(INDICES.length);
        assertThat(Files.readString(work.resolve("cache/s3/stock-quotes").resolve(keys.get(0))))
                .isEqualTo(Files.readString(files.resolve(keys.get(0))));

        client.deleteObject(b -> b.bucket("stock-quotes").key(keys.get(0)));
        await(() -> page.firstEvent("lake"), l -> l.path("objects").asLong() == 2);
        assertThat(work.resolve("cache/s3/stock-quotes").resolve(keys.get(0))).doesNotExist();
    }

    @Test
    @Order(3)
    void theSinksLagIsItsCommittedOffsetsAgainstTheTopicsEnd() throws Exception {
        Map<String, String> sink = new LinkedHashMap<>();
        sink.put("connector.class", ConsoleCluster.FILE_SINK);
        sink.put("topics", TOPIC);
        sink.put("file", work.resolve("lake-sink.txt").toString());
        sink.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        sink.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        sink.put("s3.bucket.name", "stock-quotes"); // what makes a sink the lake's for the console
        cluster.rest.createConnector("lake-sink", sink);
        cluster.rest.awaitConnectorRunning("lake-sink", 1, Duration.ofSeconds(60));
        JsonNode caughtUp = await(() -> page.firstEvent("lake"), l -> l.path("sinkLag").isNumber()
                && l.path("sinkLag").asLong() == 0);
        assertThat(caughtUp.path("sink").path("name").asText()).isEqualTo("lake-sink");

        cluster.rest.pause("lake-sink");
        cluster.rest.awaitState("lake-sink", "PAUSED", 1, Duration.ofSeconds(30));
        produce(100);
        JsonNode behind = await(() -> page.firstEvent("lake"), l -> l.path("sinkLag").asLong() == 100);
        assertThat(behind.path("sink").path("state").asText()).isEqualTo("PAUSED");
        cluster.rest.resume("lake-sink");
        await(() -> page.firstEvent("lake"), l -> l.path("sinkLag").asLong() == 0);
    }

    @Test
    @Order(4)
    void typedSqlIsOneSelectOverTheBucketOnly() throws Exception {
        HttpResponse<String> count = page.post("api/lake/sql",
                "{\"sql\":\"SELECT count(*) AS n FROM stock_pipeline.stock_quotes;\"}");
        assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
        assertThat(ConsoleClient.json(count).at("/result/rows/0/0").asLong()).isEqualTo(100);

        Files.writeString(work.resolve("secret.txt"), "secret");
        Map<String, String> refused = Map.of(
                "SELECT * FROM read_text('" + work.resolve("secret.txt") + "')", "disabled by configuration",
                "SELECT * FROM read_csv('/etc/passwd')", "disabled by configuration",
                "SELECT * FROM read_json('http://127.0.0.1:1/x.json')", "disabled by configuration",
                "COPY (SELECT 1) TO '" + work.resolve("cache/s3/stock-quotes/x.csv") + "'", "Only one SELECT",
                "SELECT 1; DROP VIEW stock_pipeline.stock_quotes", "Only one SELECT",
                "SET enable_external_access = true", "Only one SELECT");
        for (Map.Entry<String, String> sql : refused.entrySet()) {
            String body = HttpResponses.JSON.createObjectNode().put("sql", sql.getKey()).toString();
            HttpResponse<String> answer = page.post("api/lake/sql", body);
            assertThat(answer.statusCode()).as(sql.getKey()).isEqualTo(400);
            assertThat(ConsoleClient.json(answer).path("message").asText()).as(sql.getKey()).contains(sql.getValue())
                    .doesNotContain("\tat ");
        }
        assertThat(work.resolve("cache/s3/stock-quotes/x.csv")).doesNotExist();

        try (PipelineConsole off = PipelineConsole.start(ConsoleSettings.builder().port(0)
                .connectUrl(cluster.worker.restUrl()).bootstrap(cluster.kafka.bootstrapServers())
                .cacheDir(work.resolve("cache-off")).build())) {
            HttpResponse<String> answer = new ConsoleClient(off.url()).post("api/lake/sql", "{\"sql\":\"SELECT 1\"}");
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).contains("--allow-sql");
        }
    }

    private static JsonNode result(JsonNode round, String name) {
        for (JsonNode result : round.path("results")) {
            if (result.path("name").asText().equals(name)) {
                return result;
            }
        }
        throw new AssertionError("No result " + name + " in " + round);
    }

    private static <T> T await(Supplier<T> supplier, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        T last = null;
        while (System.nanoTime() < deadline) {
            last = supplier.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("Not reached in 60 s; last: " + last);
    }

    private static void produce(int records) {
        try (KafkaProducer<byte[], byte[]> producer = cluster.kafka.producer(Map.of())) {
            for (int i = 0; i < records; i++) {
                String index = INDICES[(int) (offset % INDICES.length)];
                producer.send(new ProducerRecord<>(TOPIC, index.getBytes(StandardCharsets.UTF_8),
                        value(index, offset++)));
            }
        }
    }

    /** A value as our connector writes it with JsonConverter and schemas (the schema shortened). */
    private static byte[] value(String index, long i) {
        return ("{\"schema\":{\"type\":\"struct\",\"fields\":[]},\"payload\":{\"index\":\"" + index
                + "\",\"date\":\"2021-06-30\",\"open\":1.0,\"high\":2.0,\"low\":0.5,\"close\":" + (100 + i)
                + ".5,\"adj_close\":1.5,\"volume\":" + (1000 + i) + ",\"close_usd\":" + (10 + i) + ".25}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
