package io.github.csvsampling.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The files at the root of the repository that these tests check. */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path CONFIGS = ROOT.resolve("connect-configs");
    static final Path SOURCE_POST = CONFIGS.resolve("stock-quotes-source.json");
    static final Path SOURCE_PUT = CONFIGS.resolve("stock-quotes-source.config.json");
    static final Path SINK_MINIO = CONFIGS.resolve("stock-quotes-s3-sink-minio.config.json");
    static final Path SINK_AWS = CONFIGS.resolve("stock-quotes-s3-sink-aws.config.json");
    static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    static final Path GLUE_CRAWLER = ROOT.resolve("glue-crawler.json");
    static final Path IAM = ROOT.resolve("iam");
    static final Path ATHENA_DDL = ROOT.resolve("athena-ddl.sql");
    static final Path ATHENA_QUERIES = ROOT.resolve("athena-queries.sql");
    static final Path DEPLOY_SCRIPT = ROOT.resolve("scripts").resolve("deploy-connectors.sh");
    static final Path PLUGIN_DIR = ROOT.resolve("csv-sampling-source-connector/target/plugin");

    /** Strict: duplicate keys fail, as they would confuse a reader of the file. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Repo() {
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid JSON", e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connector config map, every value a JSON string as Connect expects. */
    static Map<String, String> connectorConfig(Path file) {
        JsonNode node = json(file);
        JsonNode config = node.has("config") ? node.get("config") : node;
        Map<String, String> props = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new AssertionError(file + ": the value of " + e.getKey() + " must be a JSON string");
            }
            props.put(e.getKey(), e.getValue().asText());
        });
        return props;
    }
}
