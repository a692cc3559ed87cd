package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What the build ships: a plugin.path directory, its zip, and a Confluent Hub style component archive. */
class PackagingIT {

    private static final String VERSION = System.getProperty("project.version");
    private static final Path BUILD = Path.of(System.getProperty("build.dir"));
    private static final Path PLUGIN_DIR = Path.of(System.getProperty("plugin.dir"));
    private static final String JAR = "csv-sampling-source-connector-" + VERSION + ".jar";

    @Test
    void pluginDirectoryHoldsOurJarAndOnlyTheLibrariesConnectLacks() throws IOException {
        assertThat(jarNames(PLUGIN_DIR)).containsExactlyInAnyOrder(JAR, "opencsv-5.12.0.jar",
                "commons-lang3-3.22.0.jar", "commons-text-1.15.0.jar");
        try (JarFile jar = new JarFile(PLUGIN_DIR.resolve(JAR).toFile())) {
            assertThat(text(jar, jar.getEntry("META-INF/services/org.apache.kafka.connect.source.SourceConnector")))
                    .isEqualToIgnoringNewLines(ConnectCluster.CONNECTOR_CLASS);
            Properties version = new Properties();
            version.load(jar.getInputStream(jar.getEntry("io/github/csvsampling/connect/version.properties")));
            assertThat(version.getProperty("version")).isEqualTo(VERSION);
        }
    }

    @Test
    void pluginZipHasTheSameDirectory() throws IOException {
        try (ZipFile zip = new ZipFile(BUILD.resolve("csv-sampling-source-connector-" + VERSION + "-plugin.zip").toFile())) {
            List<String> names = Collections.list(zip.entries()).stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".jar")).toList();
            assertThat(names).containsExactlyInAnyOrderElementsOf(jarNames(PLUGIN_DIR).stream()
                    .map(n -> "csv-sampling-source-connector/" + n).toList());
        }
    }

    @Test
    void componentArchiveFollowsTheConfluentHubLayout() throws IOException {
        String base = "csvsampling-csv-sampling-source-connector-" + VERSION + "/";
        try (ZipFile zip = new ZipFile(BUILD.resolve("csvsampling-csv-sampling-source-connector-" + VERSION + ".zip").toFile())) {
            JsonNode manifest = ConnectCluster.JSON.readTree(text(zip, zip.getEntry(base + "manifest.json")));
            assertThat(manifest.path("name").asText()).isEqualTo("csv-sampling-source-connector");
            assertThat(manifest.path("version").asText()).isEqualTo(VERSION);
            assertThat(manifest.path("owner").path("username").asText()).isEqualTo("csvsampling");
            assertThat(manifest.path("title").asText()).isNotBlank();
            assertThat(manifest.path("description").asText()).contains("CSV");
            assertThat(manifest.path("component_types").toString()).isEqualTo("[\"source\"]");
            assertThat(manifest.path("license").get(0).path("name").asText()).isEqualTo("Apache License 2.0");
            assertThat(manifest.path("documentation_url").asText()).startsWith("https://");
            assertThat(manifest.path("release_date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");

            List<String> names = Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
            assertThat(names).contains(base + "doc/README.md", base + "doc/connector.md", base + "doc/configuration.md",
                    base + "doc/LICENSE", base + "etc/quickstart-source.json");
            assertThat(names.stream().filter(n -> n.startsWith(base + "lib/") && n.endsWith(".jar")))
                    .containsExactlyInAnyOrderElementsOf(jarNames(PLUGIN_DIR).stream().map(n -> base + "lib/" + n).toList());
            JsonNode example = ConnectCluster.JSON.readTree(text(zip, zip.getEntry(base + "etc/quickstart-source.json")));
            assertThat(example.path("config").path("connector.class").asText()).isEqualTo(ConnectCluster.CONNECTOR_CLASS);
        }
    }

    private static List<String> jarNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String text(ZipFile zip, ZipEntry entry) throws IOException {
        assertThat(entry).isNotNull();
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
