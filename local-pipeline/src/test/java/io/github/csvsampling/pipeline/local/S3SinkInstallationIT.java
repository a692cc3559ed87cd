package io.github.csvsampling.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.pipeline.local.StandInS3Sink.Form;
import io.github.csvsampling.pipeline.local.StandInS3Sink.Variant;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.ConnectRestException;
import io.github.csvsampling.stack.LocalConnectWorker;
import io.github.csvsampling.stack.LocalKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The main job's installation of the S3 sink, on a real broker and real Connect workers with
 * {@code plugin.discovery=service_load} as the main job runs them, using a stand-in with the real
 * sink's packaging (no service declarations, a connector that needs another jar of its
 * {@code lib/}, its own older jackson-core): in each form a user has it, the sink config of
 * {@code connect-configs/} creates a RUNNING connector whose class loader is the plugin's own.
 * The stand-in is first shown to fail, as the real sink does, when its jars are put on the
 * {@code plugin.path} without installation.
 */
class S3SinkInstallationIT {

    private static final Path REPO = Path.of(System.getProperty("repo.root", ".."));
    private static final Path OUR_PLUGIN = REPO.resolve("csv-sampling-source-connector/target/plugin");
    private static LocalKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = LocalKafka.builder().start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void theSinkGivenInAnyFormIsInstalledCreatedAndRunning(Form form) throws Exception {
        Path given = StandInS3Sink.build(dir.resolve("given"), form, Variant.COMPLETE);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        S3SinkPlugin.Resolution sink = S3SinkPlugin.resolve(Optional.of(given), false, dir.resolve("cache"),
                S3SinkPlugin.version(REPO),
                new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(sink.available()).as("installed: %s %s", sink.problem(), output).isTrue();
        try (LocalConnectWorker worker = worker("form-" + form, "service_load", sink.pluginPathEntry().orElseThrow())) {
            ConnectRestClient rest = worker.restClient();
            assertThat(plugin(rest, S3SinkPlugin.CONNECTOR_CLASS).path("version").asText())
                    .as("the plugin sees its own jackson-core, not the worker's")
                    .isEqualTo("0.0.0-standin-jackson-core-" + StandInS3Sink.CLASHING_LIBRARY_VERSION);
            Map<String, String> config = LocalPipeline.connectorConfig(REPO.resolve(LocalPipeline.SINK_CONFIG));
            rest.putConnectorConfig(config.get("name"), config);
            rest.awaitConnectorRunning(config.get("name"), 1, Duration.ofSeconds(60));
        }
    }

    @Test
    void withoutInstallationTheStandInFailsAsTheRealSinkDoes() throws Exception {
        Path hubFolder = StandInS3Sink.build(dir.resolve("hub"), Form.HUB_FOLDER, Variant.COMPLETE);
        Path flatJars = StandInS3Sink.build(dir.resolve("flat"), Form.FLAT_JARS, Variant.COMPLETE);
        Map<String, String> config = LocalPipeline.connectorConfig(REPO.resolve(LocalPipeline.SINK_CONFIG));

        // service_load finds nothing to load: the jars declare no connector.
        try (LocalConnectWorker worker = worker("undeclared", "service_load", hubFolder.getParent())) {
            assertThat(plugin(worker.restClient(), S3SinkPlugin.CONNECTOR_CLASS).isMissingNode()).isTrue();
            assertThatThrownBy(() -> worker.restClient().putConnectorConfig(config.get("name"), config))
                    .isInstanceOf(ConnectRestException.class)
                    .hasMessageContaining("Failed to find any class that implements Connector and which name matches "
                            + S3SinkPlugin.CONNECTOR_CLASS);
        }
        // A folder of jars on plugin.path makes each jar its own plugin: even a scan cannot load the connector.
        try (LocalConnectWorker worker = worker("flat", "hybrid_warn", flatJars)) {
            assertThat(plugin(worker.restClient(), S3SinkPlugin.CONNECTOR_CLASS).isMissingNode()).isTrue();
            assertThatThrownBy(() -> worker.restClient().putConnectorConfig(config.get("name"), config))
                    .isInstanceOf(ConnectRestException.class)
                    .hasMessageContaining("Failed to find any class that implements Connector");
        }
    }

    private static LocalConnectWorker worker(String group, String discovery, Path sinkEntry) {
        return LocalConnectWorker.builder(kafka.bootstrapServers()).groupId("install-" + group)
                .pluginPath(List.of(OUR_PLUGIN, sinkEntry)).pluginDiscovery(discovery).start();
    }

    private static JsonNode plugin(ConnectRestClient rest, String className) {
        for (JsonNode plugin : rest.connectorPlugins()) {
            if (plugin.path("class").asText().equals(className)) {
                return plugin;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
