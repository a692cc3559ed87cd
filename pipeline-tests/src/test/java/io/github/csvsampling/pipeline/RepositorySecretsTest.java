package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No credentials in the repository. Scans every checked-in config, compose file, IAM document,
 * script and properties file for AWS access key ids, private keys, and literal values of keys named
 * like secrets (secret, password, token, credential, access key...): such values must be references
 * resolved at run time ({@code ${file:...}}, {@code ${env:...}}, {@code ${VAR}}), never literals. The
 * one allowed literal is MinIO's documented local default {@code minioadmin}, as an overridable
 * default in docker-compose.yml. Also guards the connector: a key that could carry a secret must be
 * of type PASSWORD, so Connect masks it in logs and the REST API.
 */
class RepositorySecretsTest {

    /** Key names that carry credentials, in any of the spellings configs, env vars and flags use. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i)(secret|passw(or)?d|passphrase|token|credential"
            + "|(api|access|private|auth|account|master|encryption)[._-]?key|jaas)");

    /** AWS access key ids (long-term AKIA, temporary ASIA, and the other IAM unique-id prefixes). */
    private static final Pattern AWS_KEY_ID = Pattern.compile(
            "(?<![A-Z0-9])(AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z]+ )?PRIVATE KEY-----");

    /** {@code ${NAME:-default}} and friends: a shell or compose variable with a literal fallback. */
    private static final Pattern VARIABLE_WITH_DEFAULT = Pattern.compile(
            "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?[-=])([^}]*)}");
    /** A value that is wholly a reference: ${...} (config provider or variable), $VAR, $$VAR, $(...). */
    private static final Pattern REFERENCE = Pattern.compile(
            "\\$\\{[^}]*}|\\$\\$?[A-Za-z_][A-Za-z0-9_]*|\\$\\(.*\\)");
    /** key=value, key: value, "key": "value", export KEY=value, --key value. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "[\"']?((?:--)?[A-Za-z_][A-Za-z0-9_.-]*)[\"']?\\s*(?:[:=]|\\s(?=[\"'$A-Za-z0-9]))\\s*(.*)");

    private static final String MINIO_DEFAULT = "minioadmin";
    private static final Path COMPOSE = Path.of("docker-compose.yml");

    private static List<Path> tracked;
    private static List<Path> configs;

    @BeforeAll
    static void listFiles() {
        tracked = trackedFiles();
        configs = tracked.stream().filter(RepositorySecretsTest::isConfig).collect(Collectors.toList());
    }

    @Test
    void theScanCoversTheConfigsComposeIamAndScripts() {
        assertThat(configs).contains(COMPOSE, Path.of("glue-crawler.json"), Repo.ROOT.relativize(Repo.SINK_AWS),
                Repo.ROOT.relativize(Repo.SINK_MINIO), Repo.ROOT.relativize(Repo.DEPLOY_SCRIPT));
        for (String kind : List.of("connect-configs/", "iam/", "scripts/")) {
            assertThat(configs).as(kind).anyMatch(p -> p.toString().replace('\\', '/').startsWith(kind));
        }
        assertThat(configs).anyMatch(p -> p.toString().endsWith(".properties"));
    }

    @Test
    void noAwsAccessKeyIdOrPrivateKeyAnywhere() {
        List<String> found = new ArrayList<>();
        for (Path file : tracked) {
            String text = latin1(file);
            Matcher keyId = AWS_KEY_ID.matcher(text);
            while (keyId.find()) {
                if (!keyId.group().endsWith("EXAMPLE")) { // AWS's documented example, AKIAIOSFODNN7EXAMPLE
                    found.add(file + ": AWS access key id " + keyId.group().substring(0, 8) + "...");
                }
            }
            if (PRIVATE_KEY.matcher(text).find()) {
                found.add(file + ": a private key");
            }
        }
        assertThat(found).as("credentials in checked-in files").isEmpty();
    }

    @Test
    void secretNamedKeysHoldReferencesNotLiterals() {
        List<String> literals = new ArrayList<>();
        for (Path file : configs) {
            entries(file, (key, value) -> {
                if (SECRET_NAME.matcher(key).find()) {
                    for (String literal : literalsIn(value)) {
                        if (!(file.equals(COMPOSE) && literal.equals(MINIO_DEFAULT))) {
                            literals.add(file + ": " + key + " has a literal value; use ${file:...}, ${env:...}"
                                    + " or the worker's environment");
                        }
                    }
                }
            });
        }
        assertThat(literals).isEmpty();
    }

    @Test
    void minioadminAppearsOnlyInDockerComposeAsAnOverridableDefault() {
        assertThat(configs.stream().filter(file -> latin1(file).contains(MINIO_DEFAULT)))
                .as("config files holding MinIO's local default credential").containsExactly(COMPOSE);
        String compose = latin1(COMPOSE);
        int occurrences = compose.split(MINIO_DEFAULT, -1).length - 1;
        int asDefaults = compose.split(Pattern.quote(":-" + MINIO_DEFAULT + "}"), -1).length - 1;
        assertThat(asDefaults).as("every %s in %s is the default of a variable that overrides it", MINIO_DEFAULT,
                COMPOSE).isEqualTo(occurrences).isPositive();
    }

    @Test
    void connectorKeysThatCouldCarryASecretArePasswords() {
        List<String> plain = CsvSamplingSourceConfig.CONFIG_DEF.configKeys().values().stream()
                .filter(key -> SECRET_NAME.matcher(key.name).find() && key.type != ConfigDef.Type.PASSWORD)
                .map(key -> key.name + " (" + key.type + ")")
                .collect(Collectors.toList());
        assertThat(plain).as("connector keys named like secrets but not of type PASSWORD").isEmpty();
    }

    @Test
    void theSecretNamePatternRecognisesSecretsAndSparesOrdinaryKeys() {
        assertThat(List.of("aws.secret.access.key", "aws.access.key.id", "AWS_SECRET_ACCESS_KEY",
                "AWS_ACCESS_KEY_ID", "MINIO_ROOT_PASSWORD", "ssl.keystore.password", "sasl.jaas.config",
                "csv.source.token", "api_key", "s3.credentials.provider.class", "--password"))
                .allMatch(name -> SECRET_NAME.matcher(name).find());
        assertThat(CsvSamplingSourceConfig.CONFIG_DEF.names()).contains("key.column")
                .noneMatch(name -> SECRET_NAME.matcher(name).find());
        assertThat(literalsIn("${file:/etc/kafka/secrets/s3.properties:secret}")).isEmpty();
        assertThat(literalsIn("${env:AWS_SECRET_ACCESS_KEY}")).isEmpty();
        assertThat(literalsIn("\"$$MINIO_ROOT_PASSWORD\"")).isEmpty();
        assertThat(literalsIn("\"${2:?--password needs a value}\"")).isEmpty();
        assertThat(literalsIn("${MINIO_ROOT_PASSWORD:-minioadmin}")).containsExactly("minioadmin");
        assertThat(literalsIn("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).hasSize(1);
    }

    // ------------------------------------------------------------------ what counts as a literal

    /**
     * The literal credentials in a value: the value itself unless it is empty, a number, a boolean
     * or wholly a reference; plus the fallback of every {@code ${NAME:-fallback}} in it.
     */
    static List<String> literalsIn(String raw) {
        String value = unquote(raw.trim());
        List<String> literals = new ArrayList<>();
        Matcher defaults = VARIABLE_WITH_DEFAULT.matcher(value);
        while (defaults.find()) {
            if (!defaults.group(2).isBlank()) {
                literals.add(unquote(defaults.group(2).trim()));
            }
        }
        boolean harmless = value.isEmpty() || value.matches("-?\\d+(\\.\\d+)?|true|false|null|none|\\[\\]|\\{\\}")
                || REFERENCE.matcher(value).matches();
        if (!harmless) {
            literals.add(value);
        }
        return literals;
    }

    private static String unquote(String value) {
        String v = value;
        if (v.endsWith(",")) {
            v = v.substring(0, v.length() - 1).trim();
        }
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }

    // ------------------------------------------------------------------ reading the files

    /** Every key and value of a file: parsed as JSON, YAML or properties, else line by line. */
    private static void entries(Path file, BiConsumer<String, String> sink) {
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".json")) {
                walk("", Repo.JSON.readTree(Repo.ROOT.resolve(file).toFile()), sink);
            } else if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                walk("", new ObjectMapper(new YAMLFactory()).readTree(Repo.ROOT.resolve(file).toFile()), sink);
            } else if (name.endsWith(".properties")) {
                Properties properties = new Properties();
                properties.load(new StringReader(Files.readString(Repo.ROOT.resolve(file), StandardCharsets.UTF_8)));
                properties.stringPropertyNames().forEach(key -> sink.accept(key, properties.getProperty(key)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + " does not parse", e);
        }
        // Line by line as well: scripts, .env files, and anything a parser above would not call a key.
        for (String line : latin1(file).split("\n")) {
            String text = line.trim().replaceFirst("^(export|local|declare|readonly)\\s+", "").replaceFirst("^-\\s+", "");
            Matcher assignment = ASSIGNMENT.matcher(text);
            if (!text.startsWith("#") && assignment.matches()) {
                sink.accept(assignment.group(1), firstWord(assignment.group(2).trim()));
            }
        }
    }

    /** The value as a shell reads it: a quoted string whole, else up to the first space or ; */
    private static String firstWord(String value) {
        if (!value.isEmpty() && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
            int end = value.indexOf(value.charAt(0), 1);
            return end < 0 ? value : value.substring(0, end + 1);
        }
        return value.split("[\\s;]", 2)[0];
    }

    /** Object fields and compose-style "KEY=value" list items, at any depth. */
    private static void walk(String key, JsonNode node, BiConsumer<String, String> sink) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                walk(field.getKey(), field.getValue(), sink);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isTextual() && item.asText().matches("[A-Za-z_][A-Za-z0-9_.]*=.*")) {
                    String[] pair = item.asText().split("=", 2);
                    sink.accept(pair[0], pair[1]);
                } else {
                    walk(key, item, sink);
                }
            }
        } else if (node.isValueNode() && !node.isNull()) {
            sink.accept(key, node.asText());
        }
    }

    private static boolean isConfig(Path file) {
        String path = file.toString().replace('\\', '/');
        String name = file.getFileName().toString();
        return path.startsWith("connect-configs/") || path.startsWith("iam/") && name.endsWith(".json")
                || path.startsWith("scripts/") || path.startsWith(".ci/")
                || name.matches("(docker-)?compose.*\\.ya?ml") || path.equals("glue-crawler.json")
                || name.endsWith(".properties") || name.equals(".env") || name.endsWith(".env");
    }

    private static String latin1(Path file) {
        try {
            return new String(Files.readAllBytes(Repo.ROOT.resolve(file)), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The files git tracks or would add (not ignored), relative to the repository root; without git,
     * every file outside build output and ignored run-time data.
     */
    private static List<Path> trackedFiles() {
        try {
            Process git = new ProcessBuilder("git", "-C", Repo.ROOT.toString(), "ls-files", "-z", "--cached",
                    "--others", "--exclude-standard").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out;
            try (InputStream in = git.getInputStream()) {
                out = in.readAllBytes();
            }
            if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 && out.length > 0) {
                Set<Path> files = new TreeSet<>();
                for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
                    if (!name.isEmpty() && Files.isRegularFile(Repo.ROOT.resolve(name))) {
                        files.add(Path.of(name));
                    }
                }
                return new ArrayList<>(files);
            }
        } catch (IOException e) {
            // no git: walk the tree instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Set<String> skipped = Set.of(".git", "target", "node_modules", "pipeline-data", ".idea");
        try (Stream<Path> paths = Files.walk(Repo.ROOT)) {
            return paths.filter(Files::isRegularFile)
                    .map(Repo.ROOT::relativize)
                    .filter(p -> {
                        for (Path part : p) {
                            if (skipped.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
