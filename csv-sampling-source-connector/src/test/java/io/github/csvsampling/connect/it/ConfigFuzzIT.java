package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.ConnectRestClient.Response;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random connector configurations, from a seeded {@link Random}, against a real worker's REST API.
 *
 * <p>Each configuration is a random subset of the connector's keys (read from
 * {@code GET /connector-plugins/{plugin}/config}, so this test does not depend on the connector's classes,
 * less the keys Connect defines for every source connector),
 * plus {@code tasks.max} (which the connector's {@code validate()} reads too) and random unknown keys, each
 * with a plausible value or a hostile one: wrong types, extreme numbers, empty and blank strings, control
 * characters, unicode, 10,000-character strings, paths outside the allowed directories or to special files,
 * invalid patterns, charsets, zones and enum values. How many keys are hostile varies, so that some
 * configurations fail early in a key's own validator and others reach the checks that open the file.
 *
 * <p>The seed is printed; rerun with {@code -Dconfig.fuzz.seed=<seed>} (and {@code config.fuzz.validations},
 * {@code config.fuzz.creations} for the counts) to reproduce or explore. A failure is reported with the
 * smallest subset of the configuration that still fails.
 */
class ConfigFuzzIT {

    private static final String PLUGIN = "CsvSamplingSourceConnector";
    private static final long SEED = Long.getLong("config.fuzz.seed", 20_260_707L);
    private static final int VALIDATIONS = Integer.getInteger("config.fuzz.validations", 2000);
    private static final int CREATIONS = Integer.getInteger("config.fuzz.creations", 200);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Text that only a Java exception or stack trace puts into a message. */
    private static final List<String> STACK_TRACE_MARKERS = List.of("Exception", "\tat ", "at io.", "at org.",
            "at java.", "Caused by");

    private static ConnectCluster cluster;
    /** Each connector key and its type (STRING, INT, LONG, DOUBLE, BOOLEAN, LIST, ...). */
    private static Map<String, String> keyTypes;
    /** The recommended values of the keys that have them (the enum keys). */
    private static Map<String, List<String>> recommended;

    @TempDir
    static Path files;
    private static Path goodCsv;
    private static List<String> pathValues;

    @BeforeAll
    static void startCluster() throws Exception {
        System.out.printf("ConfigFuzzIT seed %d (rerun with -Dconfig.fuzz.seed=%d)%n", SEED, SEED);
        cluster = ConnectCluster.start(false);
        // The endpoint lists Connect's own source connector keys too (converters, transforms, error handling, ...):
        // leave those out, as this test is about the connector's keys.
        Set<String> connectKeys = SourceConnectorConfig.configDef().names();
        keyTypes = new TreeMap<>();
        for (JsonNode key : cluster.rest.request("GET", "/connector-plugins/" + PLUGIN + "/config", null).body()) {
            if (!connectKeys.contains(key.get("name").asText())) {
                keyTypes.put(key.get("name").asText(), key.get("type").asText());
            }
        }
        recommended = new TreeMap<>();
        JsonNode baseline = cluster.rest.validate(PLUGIN, Map.of("name", "baseline", "topic", "t"));
        for (JsonNode config : baseline.get("configs")) {
            List<String> values = new ArrayList<>();
            config.get("value").get("recommended_values").forEach(v -> values.add(v.asText()));
            if (!values.isEmpty() && keyTypes.containsKey(config.get("value").get("name").asText())) {
                recommended.put(config.get("value").get("name").asText(), values);
            }
        }
        assertThat(keyTypes).as("the connector's keys, from the REST API").containsKeys("topic", "csv.path",
                "records.per.second", "sampling.mode").doesNotContainKeys("connector.class", "tasks.max");
        System.out.printf("ConfigFuzzIT: %d connector keys: %s%n", keyTypes.size(), keyTypes.keySet());
        assertThat(recommended).as("enum keys").containsKey("sampling.mode");

        goodCsv = write("quotes.csv", "Index,Date,Close,Volume\nNYA,2021-06-30,16500.25,100\nHSI,2021-07-01,28800.5,"
                + "200\nNYA,2021-07-01,16600,300\n");
        Path ragged = write("ragged.csv", "a,b\n1,2\n3\n");
        Path empty = write("empty.csv", "");
        Path headerOnly = write("header-only.csv", "a,b\n");
        Path unclosed = write("unclosed.csv", "a,b\n\"1,2\n3,4\n");
        Path binary = files.resolve("binary.csv");
        byte[] bytes = new byte[4096];
        new Random(SEED).nextBytes(bytes);
        Files.write(binary, bytes);
        Path latin1 = files.resolve("latin1.csv");
        Files.write(latin1, "name,city\nJos\u00e9,S\u00e3o Paulo\n".getBytes(StandardCharsets.ISO_8859_1));
        Path directory = Files.createDirectories(files.resolve("a-directory"));
        Path linkOut = files.resolve("link-to-passwd.csv");
        Files.createSymbolicLink(linkOut, Path.of("/etc/passwd"));
        pathValues = List.of(goodCsv.toString(), goodCsv.toString(), goodCsv.toString(), ragged.toString(),
                empty.toString(), headerOnly.toString(), unclosed.toString(), binary.toString(), latin1.toString(),
                directory.toString(), linkOut.toString(), files.resolve("absent.csv").toString(),
                files + "/../" + files.getFileName() + "/quotes.csv", files + "/./quotes.csv", "quotes.csv",
                "../../x", "/etc/passwd", "/etc/shadow", "/proc/self/environ", "/dev/zero",
                "/dev/null", "/", "/tmp", "/etc/passwd\u0000.csv", goodCsv + "\u0000", "\u0000", " " + goodCsv,
                goodCsv + " ", "file://" + goodCsv, "~/quotes.csv", "C:\\data\\x.csv", "/" + "a".repeat(10_000),
                "/etc/" + "nope-" + Long.toHexString(SEED) + ".csv", files + "/" + "n".repeat(300) + ".csv");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Validation never fails as a request: whatever the configuration, {@code PUT .../config/validate} answers
     * 200 with an {@code error_count} equal to the number of field errors, every error attached to a named
     * field, and no message carrying an exception's class name or a stack trace.
     */
    @Test
    void validateAnswersEveryConfigurationWithFieldErrorsOnly() {
        Random random = new Random(SEED);
        Map<String, String> failures = new TreeMap<>();
        Map<String, Integer> occurrences = new TreeMap<>();
        int valid = 0;
        long slowest = 0;
        long started = System.nanoTime();
        for (int i = 0; i < VALIDATIONS; i++) {
            Map<String, String> config = generate(random, "fuzz-" + i, false);
            long t0 = System.nanoTime();
            Outcome outcome = validateChecked(config);
            slowest = Math.max(slowest, System.nanoTime() - t0);
            if (outcome.problem() == null) {
                valid += outcome.errors() == 0 ? 1 : 0;
                continue;
            }
            String kind = outcome.kind();
            if (occurrences.merge(kind, 1, Integer::sum) == 1) {
                Map<String, String> minimal = minimize(config, c -> kind.equals(validateChecked(c).kind()));
                failures.put(kind, validateChecked(minimal).problem() + "\n    smallest configuration: "
                        + abbreviate(minimal.toString()));
            }
        }
        System.out.printf("ConfigFuzzIT: %d validations in %d ms (slowest %d ms), %d valid, problems %s%n",
                VALIDATIONS, (System.nanoTime() - started) / 1_000_000, slowest / 1_000_000, valid, occurrences);
        failures.forEach((kind, example) -> System.out.printf("ConfigFuzzIT problem (%d times): %s%n",
                occurrences.get(kind), example));
        assertThat(failures).as("seed %d: problems (times seen: %s), each with the smallest configuration that"
                + " shows it", SEED, occurrences).isEmpty();
        assertThat(valid).as("some generated configurations are valid").isPositive();
    }

    /**
     * Creation agrees with validation: {@code POST /connectors} rejects each configuration that validation
     * reports errors for with 400 and a message (no stack trace), and then no connector or task of that name
     * exists; it accepts each valid one, whose tasks all reach RUNNING and stay so.
     *
     * <p>To bound the worker's load, every configuration here has {@code max.records} at most 50, and
     * {@code tasks.max} at most 3 when it is a valid number (Connect creates as many tasks as the connector asks
     * for, which is {@code tasks.max}).
     */
    @Test
    void creationRejectsExactlyTheInvalidConfigurationsAndStartsTheValidOnes() throws InterruptedException {
        Random random = new Random(SEED + 1);
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> running = new ArrayList<>();
        int rejected = 0;
        int created = 0;
        for (int i = 0; i < CREATIONS; i++) {
            String name = "created-" + i;
            Map<String, String> config = generate(random, name, true);
            Outcome validation = validateChecked(config);
            int errors = validation.errors();
            Response response = cluster.rest.request("POST", "/connectors", Map.of("name", name, "config", config));
            String message = response.body().path("message").asText("");
            if (errors > 0) {
                rejected++;
                if (response.status() != 400 || message.isBlank() || hasStackTrace(message)) {
                    failures.put(name, "invalid (" + errors + " errors) but POST answered " + response.status()
                            + " " + response.body() + " for " + config);
                }
                Response status = cluster.rest.request("GET", "/connectors/" + name + "/status", null);
                if (status.status() != 404 || cluster.rest.connectors().toString().contains("\"" + name + "\"")) {
                    failures.put(name, "rejected, yet it exists: " + status.status() + " " + status.body());
                }
            } else if (errors == 0) {
                created++;
                if (response.status() != 201) {
                    failures.put(name, "valid, but POST answered " + response.status() + " " + response.body()
                            + " for " + config);
                    continue;
                }
                running.add(name);
                if (running.size() == 10) {
                    checkRunningAndDelete(running, failures);
                }
            } else {
                failures.put(name, "validation failed: " + validation.problem());
            }
        }
        checkRunningAndDelete(running, failures);
        System.out.printf("ConfigFuzzIT: %d creations: %d rejected, %d created and run%n", CREATIONS, rejected,
                created);
        assertThat(failures).as("seed %d", SEED + 1).isEmpty();
        assertThat(created).as("valid configurations created").isPositive();
        assertThat(rejected).as("invalid configurations rejected").isPositive();
    }

    /**
     * The directories the worker allows decide what can be read, and a path outside them is refused the same way
     * whether or not it exists, so that the REST API does not tell its users which files exist elsewhere on the
     * worker.
     */
    @Test
    void pathsOutsideTheAllowedDirectoriesAreRefusedWhetherOrNotTheyExist() {
        for (String path : List.of("/etc/passwd", "/etc/nope-" + Long.toHexString(SEED) + ".csv",
                "/home/someone/.ssh/id_rsa", "/nonexistent-dir/x.csv", "/" + "a".repeat(10_000))) {
            Map<String, String> config = new LinkedHashMap<>(Map.of("name", "paths", "topic", "t", "csv.path", path));
            List<String> errors = fieldErrors(config).get("csv.path");
            assertThat(errors).as("errors of csv.path=%s", abbreviate(path)).isNotNull().singleElement().asString()
                    .contains("outside the directories this worker allows")
                    .doesNotContain("does not exist", "not readable", "cannot be opened");
        }
    }

    /**
     * The smallest configurations of the problems this fuzzer found (with several seeds), kept as fixed cases so
     * that they stay fixed whatever the seed: each must get a well-formed answer with an error on the right key.
     */
    @Test
    void configurationsTheFuzzerFoundAnswerWithAFieldError() {
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        // HTTP 500: InvalidPathException, thrown again while reporting the first one.
        cases.put("csv.path", Map.of("csv.path", "/etc/passwd\u0000.csv"));
        // Accepted by the key's validator (equalsIgnoreCase), then not an enum constant: an exception text on
        // csv.path, and tasks that cannot start.
        cases.put("field.names", Map.of("field.names", "OR\u0130G\u0130NAL"));
        cases.put("date.output", Map.of("date.output", "LOG\u0130CAL"));
        cases.put("csv.malformed.rows", Map.of("csv.malformed.rows", "FA\u0130L"));
        // A file name longer than the file system allows: "java.nio.file.FileSystemException" in the message.
        cases.put("csv.path ", Map.of("csv.path", files + "/" + "n".repeat(300) + ".csv"));
        // tasks.max beyond int with replay: Integer.parseInt in validate().
        cases.put("tasks.max", Map.of("sampling.mode", "replay", "replay.time.column", "Date", "key.column", "Index",
                "tasks.max", "99999999999"));
        cases.forEach((key, settings) -> {
            Map<String, String> config = new LinkedHashMap<>(Map.of("connector.class", ConnectCluster.CONNECTOR_CLASS,
                    "name", "found", "topic", "t"));
            config.putAll(settings);
            Outcome outcome = validateChecked(config);
            assertThat(outcome.problem()).as("%s", config).isNull();
            assertThat(fieldErrors(config)).as("%s", config).containsKey(key.trim());
        });
    }

    /**
     * The result of one validation: the number of errors (-1 when there is no valid answer), and what is wrong
     * with the answer, or null; {@code kind} is the problem without the message, to tell problems apart.
     */
    private record Outcome(int errors, String problem, String kind) {
    }

    /** Validates and checks that the answer is well-formed. */
    private static Outcome validateChecked(Map<String, String> config) {
        Response response = cluster.rest.request("PUT", "/connector-plugins/" + PLUGIN + "/config/validate", config);
        JsonNode body = response.body();
        if (response.status() != 200) {
            String message = body.path("message").asText(body.toString());
            return new Outcome(-1, "status " + response.status() + ": " + abbreviate(message),
                    "status " + response.status() + " " + exceptionName(message));
        }
        if (!body.path("error_count").isInt() || body.get("error_count").asInt() < 0 || !body.path("configs").isArray()) {
            return new Outcome(-1, "malformed answer " + abbreviate(body.toString()), "malformed answer");
        }
        int errors = 0;
        for (JsonNode entry : body.get("configs")) {
            JsonNode value = entry.path("value");
            String field = value.path("name").asText("");
            for (JsonNode error : value.path("errors")) {
                errors++;
                if (field.isBlank()) {
                    return new Outcome(-1, "error not attached to a field: " + abbreviate(error.asText()),
                            "error not attached to a field");
                }
                if (hasStackTrace(error.asText())) {
                    return new Outcome(-1, "exception in the message of " + field + ": " + abbreviate(error.asText()),
                            "exception in the message of " + field + " " + exceptionName(error.asText()));
                }
            }
        }
        int count = body.get("error_count").asInt();
        if (errors != count) {
            return new Outcome(-1, "error_count " + count + " but " + errors + " field errors",
                    "error_count differs from the field errors");
        }
        return new Outcome(count, null, null);
    }

    private static Map<String, List<String>> fieldErrors(Map<String, String> config) {
        Map<String, List<String>> errors = new TreeMap<>();
        for (JsonNode entry : cluster.rest.validate(PLUGIN, config).get("configs")) {
            entry.get("value").get("errors").forEach(e -> errors.computeIfAbsent(entry.get("value").get("name")
                    .asText(), k -> new ArrayList<>()).add(e.asText()));
        }
        return errors;
    }

    /** The first exception class name in a message, or an empty string. */
    private static String exceptionName(String message) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("[\\w.$]*(Exception|Error)\\b").matcher(message);
        return matcher.find() ? matcher.group() : "";
    }

    private static boolean hasStackTrace(String message) {
        return STACK_TRACE_MARKERS.stream().anyMatch(message::contains);
    }

    /**
     * Removes keys, one at a time, while the configuration still fails, and returns what is left: a smallest
     * configuration showing the problem (keys needed by Connect itself stay).
     */
    private static Map<String, String> minimize(Map<String, String> config, Function<Map<String, String>, Boolean> fails) {
        Map<String, String> minimal = new LinkedHashMap<>(config);
        boolean shrunk = true;
        while (shrunk) {
            shrunk = false;
            for (String key : new ArrayList<>(minimal.keySet())) {
                if (key.equals("connector.class")) {
                    continue;
                }
                Map<String, String> smaller = new LinkedHashMap<>(minimal);
                smaller.remove(key);
                if (fails.apply(smaller)) {
                    minimal = smaller;
                    shrunk = true;
                }
            }
        }
        return minimal;
    }

    private void checkRunningAndDelete(List<String> names, Map<String, String> failures) throws InterruptedException {
        for (String name : names) {
            String tasksMax = cluster.rest.connectorConfig(name).path("tasks.max").asText("1");
            int tasks = Integer.parseInt(tasksMax.trim());
            try {
                cluster.rest.awaitConnectorRunning(name, tasks, TIMEOUT);
            } catch (IllegalStateException e) {
                failures.put(name, "valid, but not RUNNING: " + abbreviate(e.getMessage()) + " config "
                        + cluster.rest.connectorConfig(name));
            }
        }
        Thread.sleep(1000);
        for (String name : names) {
            JsonNode status = cluster.rest.status(name);
            if (status.toString().contains("\"FAILED\"")) {
                failures.put(name, "valid, but FAILED after it ran: " + abbreviate(status.toString()) + " config "
                        + cluster.rest.connectorConfig(name));
            }
        }
        for (String name : names) {
            cluster.rest.delete(name);
        }
        for (String name : names) {
            cluster.rest.awaitConnectorDeleted(name, TIMEOUT);
        }
        names.clear();
    }

    // ---- generation ----------------------------------------------------------------------------------------

    /** Values that are wrong for most keys. */
    private static final List<String> HOSTILE = List.of("", " ", "\t", "\n", "  \r\n ", "null", "NULL", "undefined",
            "NaN", "-NaN", "Infinity", "-Infinity", "1e309", "-1e309", "4.9e-324", "1e-320", "0", "-0", "-1", "1",
            "0.0", "-0.5", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "99999999999999999999999",
            "1e18", "1.7976931348623157E308", "0x10", "1_000", "1,000", "+5", " 5 ", "5.", ".5", "1e3", "\uff11\uff12",
            "\u0663", "\u00bd", "true", "TRUE", "yes", "false", "[]", "{}", "[1,2]", "{\"a\":1}", "'", "\"", "\\",
            "\\t", "\\n", "%s%n%x", "${env:HOME}", "${file:/etc/passwd:x}", "<script>alert(1)</script>",
            "' OR '1'='1", "\u0000", "a\u0000b", "\u200f\u202e", "\ufeff", "\ud83d\ude80", "\u65e5\u672c\u8a9e",
            "\u00e9\u0301", "a".repeat(10_000), "9".repeat(10_000), ",".repeat(10_000), "x:y,".repeat(2_000),
            "/etc/passwd", "../../x", "/proc/self/environ", "/tmp", "C:\\Windows");

    /** Invalid or odd values for string keys with a structure: patterns, charsets, zones, column types, names. */
    private static final List<String> HOSTILE_STRUCTURED = List.of("yyyy-MM-dd'", "[[yyyy", "yyyy]]", "{yyyy}",
            "QQQQQQ", "ppH", "'unclosed", "#", "yyyy-MM-dd HH:mm:ss VV", "yyyy-MM-dd'T'HH:mm:ssXXXXXX", "G",
            "uuuu-MM-dd", "e", "W", "n".repeat(30), "UTF-16", "UTF-32", "UTF-16LE", "IBM037", "x-unknown-charset",
            "UTF_8", "utf8", "latin1", "Mars/Phobos", "+25:00", "UTC+99", "GMT+14:00", "Z", "EST", "SystemV/AST4",
            "Volume:", ":int64", "Volume:int128", "a:b:c", "Volume:int64,Volume:string", "Close:boolean",
            "Date:timestamp", "Date:date", "Index:int8", "Volume:decimal", ",,,,", "Index", "INDEX", "index",
            "adj_close", "Adj Close", "column_1", "com.example.Row", "1bad.name", "a..b", ".a", "a.", "\u00e9t\u00e9",
            "io.github.csvsampling.CsvRow", ";", "|", "\\t", "\"", "'", "\\", "\r", "ab", "\u00e9");

    /** Plausible values by key: mostly valid, so that configurations reach the checks that open the file. */
    private static List<String> plausible(String key) {
        return switch (key) {
            case "topic" -> List.of("fuzz-a", "fuzz-b", "fuzz_c.d");
            case "key.column", "timestamp.column", "replay.time.column" -> List.of("", "Index", "Date", "Close",
                    "index", "date", "Volume");
            case "field.names" -> List.of("original", "snake_case", "SNAKE_CASE");
            case "schema.name" -> List.of("io.github.csvsampling.CsvRow", "com.example.Row", "Row");
            case "records.per.second" -> List.of("1", "10", "0.5", "100", "1000");
            case "replay.speed" -> List.of("1", "10", "86400", "0.5");
            case "random.seed" -> List.of("", "0", "42", "-7", "9223372036854775807");
            case "max.records" -> List.of("0", "10", "50");
            case "batch.size" -> List.of("1", "10", "1000");
            case "pacing.max.catchup.ms" -> List.of("0", "500", "1000");
            case "csv.path" -> List.of(goodCsv.toString(), goodCsv.toString(), "");
            case "csv.charset" -> List.of("UTF-8", "ISO-8859-1", "windows-1252", "US-ASCII");
            case "csv.separator" -> List.of(",", ";", "\\t", "|");
            case "csv.quote" -> List.of("\"", "'");
            case "csv.escape" -> List.of("", "\\");
            case "csv.header" -> List.of("true", "false");
            case "csv.skip.lines" -> List.of("0", "1");
            case "csv.null.values" -> List.of(",null", "NA,null", "");
            case "csv.row.max.bytes" -> List.of("64", "1024", "1048576");
            case "column.types" -> List.of("", "Volume:float64", "Close:string,Date:date", "Volume:int64");
            case "date.format", "replay.time.format", "timestamp.column.format" -> List.of("yyyy-MM-dd", "dd/MM/yyyy",
                    "yyyy-MM-dd HH:mm:ss");
            case "timestamp.format" -> List.of("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]", "yyyy-MM-dd HH:mm:ss");
            case "timezone" -> List.of("UTC", "Europe/Paris", "+02:00", "America/New_York");
            case "tasks.max" -> List.of("1", "2", "3");
            default -> recommended.getOrDefault(key, List.of(""));
        };
    }

    /** Hostile values by key type, plus the generic ones. */
    private static String hostile(Random random, String key) {
        if (key.equals("csv.path")) {
            return pick(random, pathValues);
        }
        if (recommended.containsKey(key) && random.nextBoolean()) {
            String value = pick(random, recommended.get(key));
            return switch (random.nextInt(6)) {
                case 0 -> value + "x";
                case 1 -> " " + value.toUpperCase() + "\t";
                case 2 -> value.substring(0, value.length() - 1);
                case 3 -> value + "," + value;
                case 4 -> value.replace('a', '\u0430');
                default -> value.toUpperCase().replace('I', '\u0130');
            };
        }
        String type = keyTypes.getOrDefault(key, "STRING");
        if (type.equals("STRING") || type.equals("LIST")) {
            if (random.nextBoolean()) {
                return pick(random, HOSTILE_STRUCTURED);
            }
        }
        return pick(random, HOSTILE);
    }

    /**
     * A configuration: the connector class and topic-creation settings, then each key with a probability, with a
     * plausible value or, with a probability drawn for this configuration, a hostile one; then unknown keys.
     */
    private static Map<String, String> generate(Random random, String name, boolean forCreation) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", ConnectCluster.CONNECTOR_CLASS);
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.put("name", forCreation || random.nextInt(10) > 0 ? name : hostile(random, "name"));
        double include = new double[] {0.1, 0.3, 0.6, 0.9}[random.nextInt(4)];
        double hostility = new double[] {0.02, 0.1, 0.3, 0.7}[random.nextInt(4)];
        Set<String> keys = new LinkedHashSet<>(keyTypes.keySet());
        keys.add("tasks.max");
        for (String key : keys) {
            boolean essential = key.equals("topic") || key.equals("csv.path");
            if (random.nextDouble() < (essential ? 0.9 : include)) {
                config.put(key, random.nextDouble() < hostility ? hostile(random, key) : pick(random, plausible(key)));
            }
        }
        int unknown = random.nextInt(4);
        for (int i = 0; i < unknown; i++) {
            String key = switch (random.nextInt(5)) {
                case 0 -> "fuzz." + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
                case 1 -> "csv." + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
                case 2 -> "\u043a\u043b\u044e\u0447." + random.nextInt(100);
                case 3 -> "k".repeat(300 + random.nextInt(10));
                default -> "x-" + random.nextInt(1000);
            };
            config.put(key, random.nextBoolean() ? pick(random, HOSTILE) : pick(random, HOSTILE_STRUCTURED));
        }
        if (forCreation) {
            config.put("max.records", String.valueOf(random.nextInt(51)));
            String tasks = config.get("tasks.max");
            if (tasks != null && tasks.trim().matches("\\d{1,9}") && Integer.parseInt(tasks.trim()) > 3) {
                config.put("tasks.max", String.valueOf(1 + random.nextInt(3)));
            }
        }
        return config;
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static Path write(String name, String content) throws java.io.IOException {
        Path file = files.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "... (" + text.length() + " chars)";
    }
}
