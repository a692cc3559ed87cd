package io.github.csvsampling.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The main job's options: every mistake that can be found before anything starts is found then,
 * with a message that names the flag to change, and the command exits with 2 (0 for --help).
 */
class OptionsTest {

    @Test
    void defaultsRunTheQuickstart() {
        Options options = Options.parse();
        assertThat(options.kafkaPort()).isEqualTo(9092);
        assertThat(options.restPort()).isEqualTo(8083);
        assertThat(options.s3Port()).isEqualTo(9000);
        assertThat(options.duration()).isEmpty();
        assertThat(options.queryInterval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void valuesAreCheckedWhenParsed() {
        assertThatThrownBy(() -> Options.parse("--mode", "bogus")).hasMessage(
                "--mode must be one of random, shuffle, sequential, replay, not 'bogus'");
        assertThat(Options.parse("--mode", "Replay").mode()).hasValue("replay");
        assertThatThrownBy(() -> Options.parse("--rate", "-3")).hasMessage("--rate needs a positive number, got '-3'");
        assertThatThrownBy(() -> Options.parse("--duration", "soon")).hasMessageContaining("Not a duration: 'soon'");
        assertThatThrownBy(() -> Options.parse("--kafka-port", "70000")).hasMessageContaining("--kafka-port needs a port");
        assertThatThrownBy(() -> Options.parse("--bogus")).hasMessage("Unknown option --bogus");
        assertThatThrownBy(() -> Options.parse("20")).hasMessageContaining("options start with --");
        assertThatThrownBy(() -> Options.parse("--rate")).hasMessage("Missing value after --rate");
    }

    @Test
    void aPortInUseOrUsedTwiceIsFoundBeforeAnythingStartsAndNamesItsFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(Options.parse("--rest-port", String.valueOf(port), "--kafka-port", "0", "--s3-port", "0")
                    .portProblem()).hasValueSatisfying(message -> assertThat(message)
                    .contains("Port " + port + " on 127.0.0.1 (--rest-port) is already in use")
                    .contains("choose another port with --rest-port N (0 = any free port)"));
        }
        assertThat(Options.parse("--kafka-port", "19092", "--s3-port", "19092", "--rest-port", "0").portProblem())
                .hasValue("--kafka-port and --s3-port are both 19092: give them different ports (0 = any free port).");
        assertThat(Options.parse("--kafka-port", "0", "--rest-port", "0", "--s3-port", "0").portProblem()).isEmpty();
    }

    @Test
    void theCommandPrintsItsUsageForHelpAndExitsWithTwoForAWrongOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int help = LocalPipeline.exitCode(new String[] {"--help"}, print(out), print(err));
        int wrong = LocalPipeline.exitCode(new String[] {"--mode", "bogus"}, print(out), print(err));

        assertThat(help).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: ").contains("--s3-sink-dir PATH")
                .contains("Exit codes: 0 after an orderly stop");
        assertThat(wrong).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "--mode must be one of random, shuffle, sequential, replay, not 'bogus'\nSee --help for the options.\n");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
