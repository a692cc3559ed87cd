package io.github.csvsampling.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A stand-in for the Confluent S3 sink with the packaging that matters to its installation, built
 * in the tests because the real one cannot be downloaded here: a Confluent Hub component
 * ({@code manifest.json}, {@code lib/*.jar}) whose jars declare nothing in {@code META-INF/services},
 * whose connector class {@code io.confluent.connect.s3.S3SinkConnector} cannot even be instantiated
 * without a class from another jar of the same {@code lib/} (as the real one needs
 * {@code kafka-connect-storage-core}), and which carries its own, older copy of a library the
 * worker also has (jackson-core 2.16.1, as the real {@code lib/} does). Its version string reports
 * the jackson-core it sees, so a test can tell whether the plugin got its own class loader.
 */
final class StandInS3Sink {

    /** The shapes users have the component in. */
    enum Form { HUB_ZIP, HUB_FOLDER, FLAT_JARS }

    /** What the stand-in is made of. */
    enum Variant {
        /** All jars: installs and runs. */
        COMPLETE,
        /** {@code lib/} without the storage jar: the connector class cannot be loaded. */
        WITHOUT_STORAGE_JAR,
        /** Loads, but its config definition requires a key the real sink config does not have. */
        REJECTS_CONFIG
    }

    static final String NAME = "confluentinc-kafka-connect-s3-standin";
    static final String CLASHING_LIBRARY_VERSION = "2.16.1";
    static final String REQUIRED_KEY = "stand.in.required";

    private static final String STORAGE_CONFIG = """
            package io.confluent.connect.storage;

            import java.util.Map;
            import org.apache.kafka.common.config.AbstractConfig;
            import org.apache.kafka.common.config.ConfigDef;

            public class StorageSinkConnectorConfig extends AbstractConfig {
                public static ConfigDef definition() {
                    return new ConfigDef()
                            .define("flush.size", ConfigDef.Type.INT, ConfigDef.NO_DEFAULT_VALUE,
                                    ConfigDef.Range.atLeast(1), ConfigDef.Importance.HIGH, "Records per file.")
                            .define("s3.bucket.name", ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                                    ConfigDef.Importance.HIGH, "The bucket.")%s;
                }

                public StorageSinkConnectorConfig(Map<String, String> props) {
                    super(definition(), props);
                }
            }
            """;
    private static final String REQUIRED_KEY_DEFINITION = """

                            .define("%s", ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                                    ConfigDef.Importance.HIGH, "Only the stand-in has it.")""".formatted(REQUIRED_KEY);
    private static final String CONNECTOR = """
            package io.confluent.connect.s3;

            import java.util.Collections;
            import java.util.List;
            import java.util.Map;
            import io.confluent.connect.storage.StorageSinkConnectorConfig;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.sink.SinkConnector;

            public class S3SinkConnector extends SinkConnector {
                private final ConfigDef definition = StorageSinkConnectorConfig.definition();
                private Map<String, String> props;

                @Override public String version() {
                    return "0.0.0-standin-jackson-core-" + com.fasterxml.jackson.core.json.PackageVersion.VERSION;
                }
                @Override public void start(Map<String, String> props) {
                    new StorageSinkConnectorConfig(props);
                    this.props = props;
                }
                @Override public Class<? extends Task> taskClass() { return S3SinkTask.class; }
                @Override public List<Map<String, String>> taskConfigs(int maxTasks) {
                    return Collections.nCopies(maxTasks, props);
                }
                @Override public void stop() { }
                @Override public ConfigDef config() { return definition; }
            }
            """;
    private static final String TASK = """
            package io.confluent.connect.s3;

            import java.util.Collection;
            import java.util.Map;
            import org.apache.kafka.connect.sink.SinkRecord;
            import org.apache.kafka.connect.sink.SinkTask;

            public class S3SinkTask extends SinkTask {
                @Override public String version() { return "stand-in"; }
                @Override public void start(Map<String, String> props) { }
                @Override public void put(Collection<SinkRecord> records) { }
                @Override public void stop() { }
            }
            """;

    private StandInS3Sink() {
    }

    /** Builds the stand-in under {@code dir} in the given form and returns what a user would pass. */
    static Path build(Path dir, Form form, Variant variant) throws IOException {
        Path classes = dir.resolve("classes");
        Path storageClasses = classes.resolve("storage");
        compile(storageClasses, List.of(), Map.of("io/confluent/connect/storage/StorageSinkConnectorConfig.java",
                STORAGE_CONFIG.formatted(variant == Variant.REJECTS_CONFIG ? REQUIRED_KEY_DEFINITION : "")));
        Path connectorClasses = classes.resolve("connector");
        compile(connectorClasses, List.of(storageClasses, clashingLibrary()), Map.of(
                "io/confluent/connect/s3/S3SinkConnector.java", CONNECTOR,
                "io/confluent/connect/s3/S3SinkTask.java", TASK));

        Path component = dir.resolve(form == Form.FLAT_JARS ? "jars" : NAME);
        Path lib = form == Form.FLAT_JARS ? component : component.resolve("lib");
        Files.createDirectories(lib);
        jar(connectorClasses, lib.resolve("kafka-connect-s3-standin.jar"));
        if (variant != Variant.WITHOUT_STORAGE_JAR) {
            jar(storageClasses, lib.resolve("kafka-connect-storage-core-standin.jar"));
        }
        Files.copy(clashingLibrary(), lib.resolve(clashingLibrary().getFileName()));
        if (form == Form.FLAT_JARS) {
            return component;
        }
        Files.writeString(component.resolve("manifest.json"), "{\"name\": \"kafka-connect-s3\", \"version\": \"standin\","
                + " \"owner\": {\"username\": \"confluentinc\"}}\n");
        Files.createDirectories(component.resolve("doc"));
        Files.writeString(component.resolve("doc/README.md"), "A stand-in of the Confluent S3 sink's packaging.\n");
        if (form == Form.HUB_FOLDER) {
            return component;
        }
        Path zip = dir.resolve(NAME + ".zip");
        zip(component, zip);
        return zip;
    }

    /** The older jackson-core that the stand-in carries, copied from Maven Central by the build. */
    static Path clashingLibrary() {
        Path jar = Path.of(System.getProperty("stand-in.lib.dir", "target/stand-in-lib"))
                .resolve("jackson-core-" + CLASHING_LIBRARY_VERSION + ".jar");
        assertThat(jar).as("copied by maven-dependency-plugin in generate-test-resources").isRegularFile();
        return jar;
    }

    private static void compile(Path output, List<Path> classPath, Map<String, String> sources) throws IOException {
        Path sourceDir = output.resolveSibling(output.getFileName() + "-src");
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceDir.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file);
        }
        Files.createDirectories(output);
        String path = Stream.concat(classPath.stream().map(Path::toString), Stream.of(System.getProperty("java.class.path")))
                .collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean compiled = javac.getTask(errors, null, null,
                List.of("--release", "17", "-proc:none", "-d", output.toString(), "-cp", path), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjectsFromPaths(files))
                .call();
        assertThat(compiled).as("the stand-in compiles: %s", errors).isTrue();
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    /** A zip as Confluent Hub serves it: every entry under the component's top folder. */
    private static void zip(Path component, Path zip) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             Stream<Path> files = Files.walk(component)) {
            for (Path file : files.sorted().toList()) {
                String name = component.getParent().relativize(file).toString().replace('\\', '/');
                out.putNextEntry(new ZipEntry(Files.isDirectory(file) ? name + "/" : name));
                if (Files.isRegularFile(file)) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
    }
}
