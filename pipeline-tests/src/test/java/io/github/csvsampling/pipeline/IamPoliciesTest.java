package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The IAM policy documents in {@code iam/}: valid, current policy language, least privilege. */
class IamPoliciesTest {

    private static List<Path> policies() throws IOException {
        try (Stream<Path> files = Files.list(Repo.IAM)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    @Test
    void theCrawlerRoleAndTheSinkWriterHaveTheirPolicies() throws IOException {
        assertThat(policies()).extracting(p -> p.getFileName().toString()).contains(
                "glue-crawler-trust-policy.json", "glue-crawler-s3-read-policy.json", "s3-sink-writer-policy.json");
    }

    @TestFactory
    Stream<DynamicTest> everyPolicyIsValidAndLeastPrivilege() throws IOException {
        String bucket = Repo.connectorConfig(Repo.SINK_AWS).get("s3.bucket.name");
        return policies().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            JsonNode policy = Repo.json(file);
            assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
            assertThat(policy.path("Statement").isArray()).isTrue();
            assertThat(policy.path("Statement")).isNotEmpty();
            for (JsonNode statement : policy.path("Statement")) {
                assertThat(statement.path("Effect").asText()).isIn("Allow", "Deny");
                assertThat(statement.has("NotAction")).as("no NotAction").isFalse();
                assertThat(statement.has("NotResource")).as("no NotResource").isFalse();
                List<String> actions = values(statement.get("Action"));
                assertThat(actions).isNotEmpty().allSatisfy(a -> {
                    assertThat(a).as("action").doesNotContain("*").matches("[a-z0-9-]+:[A-Za-z]+");
                });
                if (statement.has("Principal")) {
                    // A trust policy: a service principal, not "*".
                    assertThat(statement.path("Principal").path("Service").asText()).endsWith(".amazonaws.com");
                    assertThat(actions).containsExactly("sts:AssumeRole");
                    continue;
                }
                List<String> resources = values(statement.get("Resource"));
                assertThat(resources).isNotEmpty().allSatisfy(r -> {
                    assertThat(r).as("resource").isNotEqualTo("*").startsWith("arn:aws:");
                    if (r.startsWith("arn:aws:s3:::")) {
                        assertThat(r).as("only the sink's bucket, only objects under its topics/ prefix")
                                .matches("arn:aws:s3:::" + Pattern.quote(bucket) + "(/topics/([\\w.-]+/)?\\*)?");
                    }
                    assertThat(r.replaceFirst("/\\*$", "")).as("no other wildcard").doesNotContain("*");
                });
                if (actions.contains("s3:ListBucket")) {
                    assertThat(statement.at("/Condition/StringLike/s3:prefix")).as("listing limited to topics/")
                            .isNotEmpty();
                }
            }
        }));
    }

    @Test
    void theCrawlerReadsOnlyTheFolderItCrawls() throws IOException {
        String path = GlueCrawlerTest.read(Repo.text(Repo.GLUE_CRAWLER)).targets().s3Targets().get(0).path();
        String key = path.replaceFirst("^s3://[^/]+/", "");
        JsonNode policy = Repo.json(Repo.IAM.resolve("glue-crawler-s3-read-policy.json"));
        List<String> resources = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        policy.path("Statement").forEach(s -> {
            resources.addAll(values(s.get("Resource")));
            if (s.has("Condition")) {
                prefixes.addAll(values(s.at("/Condition/StringLike/s3:prefix")));
            }
        });
        assertThat(resources).contains("arn:aws:s3:::" + path.substring("s3://".length()) + "*");
        assertThat(prefixes).containsExactlyInAnyOrder(key, key + "*");
    }

    @Test
    void theSinkWriterCanWriteButNotDelete() {
        JsonNode policy = Repo.json(Repo.IAM.resolve("s3-sink-writer-policy.json"));
        List<String> actions = new ArrayList<>();
        policy.path("Statement").forEach(s -> actions.addAll(values(s.get("Action"))));
        assertThat(actions).contains("s3:PutObject", "s3:AbortMultipartUpload")
                .noneMatch(a -> a.startsWith("s3:Delete") || a.startsWith("s3:PutBucket"));
    }
}
