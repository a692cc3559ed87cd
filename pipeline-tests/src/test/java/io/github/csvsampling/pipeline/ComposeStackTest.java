package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.csvsampling.lake.AthenaDdl;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * End to end on Docker: {@code docker compose up} of {@code docker-compose.yml} (two Connect workers), the deploy
 * script through the second worker, and JSON objects landing in MinIO under the hourly folders. Skipped where there is no Docker (as on the machines this
 * project is built on; it never runs there). Needs the plugin built first ({@code ./mvnw package}) and network
 * access for the images and Confluent Hub. Runs the local {@code docker compose} (the Compose file mounts
 * the build output by relative path) and uses the fixed 127.0.0.1 ports of the Compose file.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {

    @Container
    static final ComposeContainer STACK = new ComposeContainer(Repo.COMPOSE.toFile())
            .waitingFor("connect-1", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
            .waitingFor("connect-2", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
            .waitingFor("kafka-ui", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));

    @Test
    void sampledQuotesLandInMinioAsJsonObjects() throws Exception {
        // Through the second worker: either serves the cluster's REST API.
        Process deploy = new ProcessBuilder("bash", Repo.DEPLOY_SCRIPT.toString(), "--connect-url",
                "http://127.0.0.1:8084", "--target", "minio", "--wait", "120").inheritIO().start();
        assertThat(deploy.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(deploy.exitValue()).isZero();

        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:9000"))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("minioadmin", "minioadmin")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            String bucket = Repo.connectorConfig(Repo.SINK_MINIO).get("s3.bucket.name");
            // rotate.interval.ms is 60 s of record time: the first file is committed a little after a minute.
            List<S3Object> objects = List.of();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (objects.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5_000);
                objects = s3.listObjectsV2(r -> r.bucket(bucket).prefix("topics/stock-quotes/")).contents();
            }
            assertThat(objects).isNotEmpty();
            S3Object first = objects.get(0);
            assertThat(first.key()).matches("topics/stock-quotes/year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/"
                    + "stock-quotes\\+0\\+\\d{10}\\.json");
            String content = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(first.key()).build())
                    .asString(StandardCharsets.UTF_8);
            String line = content.lines().findFirst().orElseThrow();
            assertThat(Repo.JSON.readTree(line).fieldNames()).toIterable().containsExactlyElementsOf(
                    AthenaDdl.parse(Repo.text(Repo.ATHENA_DDL)).columns().keySet());
        }
    }
}
