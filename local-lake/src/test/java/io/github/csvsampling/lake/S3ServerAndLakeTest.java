package io.github.csvsampling.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The local S3 server and the DuckDB lake together: objects written through the S3 API, signed as
 * the sink signs them, land as files that the project's Athena DDL and queries read unchanged.
 */
class S3ServerAndLakeTest {

    private static final Path REPO = Path.of(System.getProperty("repo.root", ".."));

    @TempDir
    Path root;

    @Test
    void objectsPutThroughTheS3ApiAreQueryableWithTheAthenaSql() throws Exception {
        // Written an hour ago, so that the latest-quote query's partition predicate (today and yesterday) reads it.
        Instant written = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        String key = "topics/stock-quotes/" + DateTimeFormatter.ofPattern("'year='yyyy/'month='MM/'day='dd/'hour='HH")
                .withZone(ZoneOffset.UTC).format(written) + "/stock-quotes+0+0000000000.json";
        String objects = "{\"index\":\"NYA\",\"date\":\"2021-06-30\",\"open\":1.0,\"high\":2.0,\"low\":0.5,\"close\":1.5,"
                + "\"adj_close\":1.5,\"volume\":100,\"close_usd\":1.5,\"kafka_topic\":\"stock-quotes\",\"kafka_partition\":0,"
                + "\"kafka_offset\":0,\"event_time\":" + written.toEpochMilli() + "}\n"
                + "{\"index\":\"NYA\",\"date\":\"2021-07-01\",\"open\":1.5,\"high\":2.5,\"low\":1.0,\"close\":2.25,"
                + "\"adj_close\":2.25,\"volume\":200,\"close_usd\":2.25,\"kafka_topic\":\"stock-quotes\",\"kafka_partition\":0,"
                + "\"kafka_offset\":1,\"event_time\":" + (written.toEpochMilli() + 1000) + "}\n";
        try (S3Server s3 = S3Server.start(root, 0, "stock-quotes", "local", "local-secret");
             S3Client client = client(s3.endpoint(), "local", "local-secret")) {
            client.putObject(b -> b.bucket("stock-quotes").key(key), RequestBody.fromString(objects));

            assertThat(Files.readString(root.resolve("stock-quotes").resolve(key), StandardCharsets.UTF_8))
                    .isEqualTo(objects);
            AthenaDdl ddl = AthenaDdl.parse(Files.readString(REPO.resolve("athena-ddl.sql")))
                    .withLocationBucket("stock-quotes");
            try (DuckDbLake lake = DuckDbLake.open(ddl, root)) {
                String latest = DuckDbLake.namedQueries(Files.readString(REPO.resolve("athena-queries.sql")))
                        .get("latest_quote_per_index");
                List<List<Object>> rows = lake.query(latest).rows();
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0)).startsWith("NYA").contains(LocalDate.of(2021, 7, 1), 2.25);
            }
        }
    }

    @Test
    void unsignedOrWronglySignedRequestsAreRefused() throws Exception {
        try (S3Server s3 = S3Server.start(root, 0, "stock-quotes", "local", "local-secret");
             S3Client wrong = client(s3.endpoint(), "local", "not-the-secret")) {
            assertThatThrownBy(() -> wrong.putObject(b -> b.bucket("stock-quotes").key("x"), RequestBody.fromString("x")))
                    .isInstanceOf(S3Exception.class);
            assertThat(s3.endpoint()).startsWith("http://127.0.0.1:");
        }
    }

    private static S3Client client(String endpoint, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
