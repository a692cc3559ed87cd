package io.github.csvsampling.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.csvsampling.pipeline.local.PluginInstaller.InstallException;
import io.github.csvsampling.pipeline.local.PluginInstaller.Installed;
import io.github.csvsampling.pipeline.local.StandInS3Sink.Form;
import io.github.csvsampling.pipeline.local.StandInS3Sink.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Installing a Hub component as one plugin with ServiceLoader declarations, on a stand-in with the
 * Confluent S3 sink's packaging ({@link StandInS3Sink}): every form users have, reuse, and every way
 * a source can be unusable, each with a message that says what to do.
 */
class PluginInstallerTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private PluginInstaller installer() {
        return new PluginInstaller(dir.resolve("cache"), new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void everyFormBecomesOnePluginThatDeclaresItsConnectorWithTheSourceUntouched(Form form) throws Exception {
        Path source = StandInS3Sink.build(dir.resolve("given"), form, Variant.COMPLETE);
        Map<String, Long> before = contents(source);

        Installed installed = installer().install(source);

        assertThat(installed.reused()).isFalse();
        assertThat(installed.declares(S3SinkPlugin.CONNECTOR_CLASS)).isTrue();
        try (Stream<Path> children = Files.list(installed.pluginPathEntry())) {
            assertThat(children.filter(Files::isDirectory)).as("the plugin.path entry holds exactly one plugin")
                    .containsExactly(installed.pluginDir());
        }
        assertThat(PluginInstaller.jars(installed.pluginDir()).stream().map(p -> p.getFileName().toString()))
                .contains("kafka-connect-s3-standin.jar", "kafka-connect-storage-core-standin.jar",
                        "jackson-core-2.16.1.jar")
                .anyMatch(name -> name.startsWith("connect-plugin-path-shim"));
        assertThat(contents(source)).as("the user's files are not changed").isEqualTo(before);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("connect-plugin-path sync-manifests");
    }

    @Test
    void anUnchangedSourceIsReusedAndAChangedOneInstalledAgain() throws Exception {
        Path source = StandInS3Sink.build(dir.resolve("given"), Form.HUB_FOLDER, Variant.COMPLETE);
        Installed first = installer().install(source);

        Installed again = installer().install(source);
        assertThat(again.reused()).isTrue();
        assertThat(again.pluginPathEntry()).isEqualTo(first.pluginPathEntry());
        assertThat(again.declares(S3SinkPlugin.CONNECTOR_CLASS)).isTrue();

        Path jar = source.resolve("lib/kafka-connect-s3-standin.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        Installed changed = installer().install(source);
        assertThat(changed.reused()).as("a changed source is installed again").isFalse();
        assertThat(changed.pluginPathEntry()).isEqualTo(first.pluginPathEntry());
    }

    @Test
    void aFolderThatHoldsTheUnzippedComponentIsFound() throws Exception {
        Path component = StandInS3Sink.build(dir.resolve("confluent-hub-components"), Form.HUB_FOLDER, Variant.COMPLETE);

        Installed installed = installer().install(component.getParent());

        assertThat(installed.pluginDir().getFileName().toString()).isEqualTo(StandInS3Sink.NAME);
        assertThat(installed.declares(S3SinkPlugin.CONNECTOR_CLASS)).isTrue();
    }

    @Test
    void aFolderWithSeveralPluginsIsRefusedNamingThem() throws Exception {
        Path holder = dir.resolve("components");
        Files.createDirectories(holder.resolve("first-plugin"));
        Files.createDirectories(holder.resolve("second-plugin"));
        Files.copy(StandInS3Sink.clashingLibrary(), holder.resolve("first-plugin/a.jar"));
        Files.copy(StandInS3Sink.clashingLibrary(), holder.resolve("second-plugin/b.jar"));

        assertThatThrownBy(() -> installer().install(holder)).isInstanceOf(InstallException.class)
                .hasMessageContaining("holds several plugins (first-plugin, second-plugin)")
                .hasMessageContaining("Name the folder of the one to use");
    }

    @Test
    void unusableSourcesAreRefusedWithWhatToGiveInstead() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a plugin");
        Path notAZip = Files.writeString(dir.resolve("broken.zip"), "not a zip");

        assertThatThrownBy(() -> installer().install(dir.resolve("missing"))).isInstanceOf(InstallException.class)
                .hasMessageContaining(dir.resolve("missing") + " does not exist")
                .hasMessageContaining("Give the Confluent Hub zip file, its unzipped folder");
        assertThatThrownBy(() -> installer().install(empty)).isInstanceOf(InstallException.class)
                .hasMessageContaining(empty + " has no jar files");
        assertThatThrownBy(() -> installer().install(text)).isInstanceOf(InstallException.class)
                .hasMessageContaining(text + " is a file but not a zip archive");
        assertThatThrownBy(() -> installer().install(notAZip)).isInstanceOf(InstallException.class)
                .hasMessageContaining(notAZip + " is not a zip archive");
        try (Stream<Path> left = Files.list(dir.resolve("cache"))) {
            assertThat(left).as("nothing half-installed is left behind").isEmpty();
        }
    }

    @Test
    void aZipWithAnEntryOutsideItsFolderIsNotInstalled() throws Exception {
        Path zip = dir.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("plugin/lib/a.jar"));
            out.write(Files.readAllBytes(StandInS3Sink.clashingLibrary()));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("../../outside.jar"));
            out.write(1);
            out.closeEntry();
        }

        assertThatThrownBy(() -> installer().install(zip)).isInstanceOf(InstallException.class)
                .hasMessageContaining("has an entry outside its own folder (../../outside.jar)");
        assertThat(dir.getParent().resolve("outside.jar")).doesNotExist();
    }

    @Test
    void aConnectorThatNeedsAMissingJarIsNotDeclaredAndTheDiagnosisNamesTheMissingClass() throws Exception {
        Path source = StandInS3Sink.build(dir.resolve("given"), Form.HUB_FOLDER, Variant.WITHOUT_STORAGE_JAR);

        Installed installed = installer().install(source);

        assertThat(installed.declares(S3SinkPlugin.CONNECTOR_CLASS)).isFalse();
        assertThat(PluginInstaller.diagnose(installed, S3SinkPlugin.CONNECTOR_CLASS))
                .contains("io.confluent.connect.s3.S3SinkConnector is in kafka-connect-s3-standin.jar but cannot be"
                        + " loaded: java.lang.NoClassDefFoundError: io/confluent/connect/storage/StorageSinkConnectorConfig")
                .contains("give the component's whole lib/ folder");
        assertThat(PluginInstaller.diagnose(installed, "com.example.OtherConnector"))
                .isEqualTo("none of its 2 jars holds com.example.OtherConnector");
    }

    /** Every file below {@code path} with a checksum of its bytes. */
    private static Map<String, Long> contents(Path path) throws IOException {
        Map<String, Long> contents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                CRC32C crc = new CRC32C();
                crc.update(Files.readAllBytes(file));
                contents.put(path.relativize(file).toString(), crc.getValue());
            }
        }
        return contents;
    }
}
