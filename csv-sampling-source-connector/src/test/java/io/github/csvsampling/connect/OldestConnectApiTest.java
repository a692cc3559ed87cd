package io.github.csvsampling.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin is compiled against the oldest Connect API it supports. Its sources, compiled again
 * here against the Connect API and clients of Kafka 3.6 alone (no newer Kafka class on the class
 * path), give class files identical, byte for byte, to the ones the build packages (compiled with
 * the newest Kafka the rest of the project runs on). So every Kafka type, method and field the
 * plugin refers to exists in 3.6 and resolves to the same member there: no newer overload slipped
 * in. (Plugin metrics of Kafka 4.1+ are reached by reflection, see PluginMetricsRegistration.)
 */
class OldestConnectApiTest {

    @TempDir
    Path compiled;

    @Test
    void theShippedClassesAreTheOnesCompiledAgainstTheKafka36ConnectApi() throws IOException {
        Path oldestApi = Path.of(System.getProperty("connect.api.3.6.dir", "target/connect-api-3.6"));
        List<String> classPath;
        try (Stream<Path> jars = Files.list(oldestApi)) {
            classPath = Stream.concat(jars.map(Path::toString),
                    // The plugin's own libraries, which it packages, from this JVM's class path.
                    Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                            .filter(entry -> entry.contains("/com/opencsv/") || entry.contains("/org/apache/commons/")))
                    .toList();
        }
        assertThat(classPath).anyMatch(p -> p.endsWith("connect-api-3.6.2.jar"))
                .anyMatch(p -> p.endsWith("kafka-clients-3.6.2.jar")).anyMatch(p -> p.contains("opencsv"))
                .as("no Kafka jar but 3.6's").noneMatch(p -> p.contains("kafka") && !p.endsWith("-3.6.2.jar"));
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        // The options the build's compiler plugin uses that shape the class files: release, debug info, encoding.
        boolean ok = javac.getTask(errors, null, null,
                List.of("--release", "17", "-g", "-encoding", "UTF-8", "-proc:none", "-d", compiled.toString(), "-cp",
                        String.join(File.pathSeparator, classPath)), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjectsFromPaths(sources))
                .call();

        assertThat(ok).as("the sources compile against Kafka 3.6's Connect API: %s", errors).isTrue();
        Map<String, byte[]> againstOldest = classFiles(compiled);
        Map<String, byte[]> shipped = classFiles(Path.of("target/classes"));
        assertThat(againstOldest.keySet()).isEqualTo(shipped.keySet());
        assertThat(againstOldest).allSatisfy((name, bytes) -> assertThat(bytes)
                .as("%s compiled against Kafka 3.6 is the class the build packages", name).isEqualTo(shipped.get(name)));
    }

    private static Map<String, byte[]> classFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            Map<String, byte[]> classes = new TreeMap<>();
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                classes.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
            return classes;
        }
    }
}
