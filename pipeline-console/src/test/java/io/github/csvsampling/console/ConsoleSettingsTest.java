package io.github.csvsampling.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The console's flags and defaults. */
class ConsoleSettingsTest {

    @Test
    void defaultsAreTheMainJobsEndpointsOnLoopbackAtTheFixedPort() {
        ConsoleSettings settings = ConsoleSettings.parse();
        assertThat(settings.bind()).isEqualTo("127.0.0.1");
        assertThat(settings.loopbackOnly()).isTrue();
        assertThat(settings.port()).isEqualTo(ConsoleSettings.DEFAULT_PORT);
        assertThat(settings.connectUrl()).hasToString("http://127.0.0.1:8083");
        assertThat(settings.bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.topic()).isEqualTo("stock-quotes");
        assertThat(settings.allowSql()).isFalse();
        assertThat(settings.bucketDir()).isEmpty();
        assertThat(settings.s3Endpoint()).isEmpty();
    }

    @Test
    void theDocumentedCommandsParse() {
        ConsoleSettings local = ConsoleSettings.parse("--connect-url", "http://127.0.0.1:8083/", "--bootstrap",
                "127.0.0.1:9092", "--bucket-dir", "pipeline-data/s3/stock-quotes", "--port", "0", "--allow-sql",
                "--query-interval", "10s");
        assertThat(local.connectUrl()).hasToString("http://127.0.0.1:8083");
        assertThat(local.bucketDir()).contains(Path.of("pipeline-data/s3/stock-quotes").toAbsolutePath());
        assertThat(local.bucket()).isEqualTo("stock-quotes");
        assertThat(local.port()).isZero();
        assertThat(local.allowSql()).isTrue();
        assertThat(local.queryInterval()).isEqualTo(Duration.ofSeconds(10));

        ConsoleSettings s3 = ConsoleSettings.parse("--s3-endpoint", "http://127.0.0.1:9000", "--bucket", "quotes",
                "--bind", "0.0.0.0", "--allowed-origin", "http://myhost:8090/");
        assertThat(s3.s3Endpoint()).hasValue(java.net.URI.create("http://127.0.0.1:9000"));
        assertThat(s3.bucket()).isEqualTo("quotes");
        assertThat(s3.loopbackOnly()).isFalse();
        assertThat(PipelineConsole.origins(s3, 8090)).contains("http://127.0.0.1:8090", "http://localhost:8090",
                "http://myhost:8090").doesNotContain("http://0.0.0.0:8090");
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> ConsoleSettings.parse("--port", "x")).hasMessageContaining("--port needs a number");
        assertThatThrownBy(() -> ConsoleSettings.parse("--port", "70000")).hasMessageContaining("0 (any free port)");
        assertThatThrownBy(() -> ConsoleSettings.parse("--connect-url", "localhost:8083"))
                .hasMessageContaining("needs an http(s) URL");
        assertThatThrownBy(() -> ConsoleSettings.parse("--bucket-dir", "a", "--s3-endpoint", "http://x:9000"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> ConsoleSettings.parse("--nope", "1")).hasMessageContaining("Unknown option --nope");
        assertThatThrownBy(() -> ConsoleSettings.parse("--topic")).hasMessageContaining("Missing value after --topic");
    }
}
