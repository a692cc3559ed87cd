package io.github.csvsampling.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;
import io.github.csvsampling.connect.csv.CsvDataset;
import io.github.csvsampling.connect.csv.CsvDatasetWarnings;
import io.github.csvsampling.connect.csv.DatasetException;
import io.github.csvsampling.connect.csv.FileAccessPolicy;
import io.github.csvsampling.connect.metrics.TaskMetrics;
import io.github.csvsampling.stack.StandaloneTaskContext;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;





import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus: every directory under {@code src/test/resources/bad-input} is one case, an
 * {@code input.csv} beside a {@code case.properties} that holds the connector settings of the case
 * and its expected outcome (and, for cases that produce records, an {@code expected.json} with the
 * first record values in JSON). A new edge case costs a directory, not a method.
 *
 * <p>Each case runs through {@code validate()} and through the real task, started and polled:
 * <ul>
 *   <li>{@code outcome=validate-error}: {@code validate()} attaches exactly one error to {@code key},
 *       and the task fails at start with a {@link DatasetException} on the same key; both messages
 *       name the file and contain every {@code contains.N};</li>
 *   <li>{@code outcome=task-failure}: {@code validate()} passes (the problem lies beyond the rows it
 *       reads) and the task fails at start as above;</li>
 *   <li>{@code outcome=config-error}: a setting is wrong whatever the file: {@code validate()} attaches
 *       exactly one error to {@code key}, containing every {@code contains.N} (a worker starts nothing
 *       whose validation fails, so no task is run);</li>
 *   <li>{@code outcome=skipped}: with {@code csv.malformed.rows=skip}, {@code validate()} passes, the
 *       dataset has {@code rows} usable rows and {@code skipped} skipped ones, the task logs each
 *       skipped row with the file and line (the log lines contain every {@code contains.N}) and
 *       counts them in its metric, and emits only well-typed records;</li>
 *   <li>{@code outcome=ok}: {@code validate()} passes, nothing is skipped, records are well typed.</li>
 * </ul>
 * Every record polled is checked against its schema, field by field, and round-tripped through the
 * {@link JsonConverter}; {@code fields} lists the expected {@code name:TYPE} of every field. For
 * {@code ok} cases, the task's start logs no warning, or, with {@code warning.N}, exactly one that names
 * the file and contains every {@code warning.N}. Each case must end within
 * {@value #CASE_TIMEOUT_SECONDS} seconds.
 *
 * <p>Settings of the case file that are not expectations are connector settings, checked against
 * the connector's keys so a typo fails the case instead of silently testing something else. A few
 * keys prepare the input: {@code path} (how csv.path is given: file, directory, missing, outside,
 * symlink-outside, dotdot, relative, unreadable-file, unreadable-directory) and {@code generate.*}
 * (large inputs made at run time, never committed).
 */
class BadInputCorpusTest {

    private static final int MIN_CASES = 30;
    private static final long CASE_TIMEOUT_SECONDS = 10;
    private static final int MAX_RECORDS_CHECKED = 100;
    private static final Instant WALL = Instant.parse("2026-01-02T03:04:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    @TestFactory
    Stream<DynamicTest> everyCaseEndsAsItsCaseFileSays() throws IOException, URISyntaxException {
        Path corpus = Path.of(BadInputCorpusTest.class.getResource("/bad-input").toURI());
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(corpus)) {
            cases = dirs.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
        assertThat(cases).as("cases in %s", corpus).hasSizeGreaterThanOrEqualTo(MIN_CASES);
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), dir.toUri(),
                () -> assertTimeoutPreemptively(Duration.ofSeconds(CASE_TIMEOUT_SECONDS),
                        () -> run(BadInputCase.read(dir)), () -> dir.getFileName() + " did not end in time")));
    }

    private void run(BadInputCase c) throws Exception {
        Path caseDir = Files.createDirectories(work.resolve(c.name));
        boolean outside = c.path == PathMode.OUTSIDE || c.path == PathMode.SYMLINK_OUTSIDE;
        String allowed = System.getProperty(FileAccessPolicy.PROPERTY);
        if (outside) {
            // Only the case's own folder is allowed, so the input placed beside it is outside wherever the tests run.
            System.setProperty(FileAccessPolicy.PROPERTY, caseDir.toRealPath().toString());
        }
        String csvPath = c.prepare(caseDir);
        Map<String, String> props = c.connectorProps(csvPath);
        try {
            run(c, caseDir, csvPath, props);
        } finally {
            if (c.path == PathMode.SYMLINK_OUTSIDE) {
                Files.delete(Path.of(csvPath)); // the link, so that cleaning up never follows it outside
            }
            if (outside) {
                System.setProperty(FileAccessPolicy.PROPERTY, allowed);
            }
        }
    }

    private void run(BadInputCase c, Path caseDir, String csvPath, Map<String, String> props) throws Exception {
        if (c.path == PathMode.UNREADABLE_FILE || c.path == PathMode.UNREADABLE_DIRECTORY) {
            checkUnreadable(c, caseDir, csvPath, props);
            return;
        }
        Map<String, List<String>> errors = validationErrors(props);
        switch (c.outcome) {
            case VALIDATE_ERROR:
                assertValidateError(c, csvPath, errors);
                assertTaskFailure(c, csvPath, props);
                break;
            case TASK_FAILURE:
                assertThat(errors).as("validate() errors").isEmpty();
                assertTaskFailure(c, csvPath, props);
                break;
            case CONFIG_ERROR:
                assertThat(errors).as("validate() errors").containsOnlyKeys(c.key);
                assertThat(errors.get(c.key)).as("validate() errors on %s", c.key).singleElement().asString()
                        .contains(c.contains);
                break;
            default:
                assertThat(errors).as("validate() errors").isEmpty();
                assertRecords(c, csvPath, props);
        }
    }

    private static void assertValidateError(BadInputCase c, String csvPath, Map<String, List<String>> errors) {
        assertThat(errors).as("validate() errors").containsOnlyKeys(c.key);
        assertThat(errors.get(c.key)).as("validate() errors on %s", c.key).hasSize(1);
        String message = errors.get(c.key).get(0);
        assertThat(message).as("an expected problem, not an unexpected exception").doesNotStartWith("Cannot check");
        assertReported(c, "validate() on " + c.key, message, csvPath);
    }

    private void assertTaskFailure(BadInputCase c, String csvPath, Map<String, String> props) {
        AtomicLong nanos = new AtomicLong();
        CsvSamplingSourceTask task = newTask(props, nanos);
        try {
            Throwable failure = catchThrowable(() -> task.start(CsvSamplingSourceTaskConfig.forTask(props, 0, 1)));
            assertThat(failure).as("the task's start").isInstanceOf(DatasetException.class);
            assertThat(((DatasetException) failure).configKey()).as("the key of the task's failure").isEqualTo(c.key);
            assertReported(c, "the task's failure", failure.getMessage(), csvPath);
        } finally {
            task.stop();
        }
    }

    private static void assertReported(BadInputCase c, String where, String message, String csvPath) {
        assertThat(message).as("%s names the file", where).contains(csvPath);
        for (String part : c.contains) {
            assertThat(message).as(where).contains(part);
        }
    }

    private void assertRecords(BadInputCase c, String csvPath, Map<String, String> props) throws Exception {
        long rows;
        try (CsvDataset dataset = CsvDataset.load(new CsvSamplingSourceConfig(props), Long.MAX_VALUE)) {
            rows = dataset.rowCount();
            if (c.rows != null) {
                assertThat(rows).as("usable rows").isEqualTo(c.rows);
            }
            assertThat(dataset.skippedRows()).as("skipped rows")
                    .isEqualTo(c.outcome == Outcome.SKIPPED ? c.skipped : 0L);
            if (c.fields != null) {
                assertThat(describe(dataset.schema().valueSchema())).as("fields").isEqualTo(c.fields);
            }
        }

        AtomicLong nanos = new AtomicLong();
        CsvSamplingSourceTask task = newTask(props, nanos);
        List<SourceRecord> records = new ArrayList<>();
        try (CsvDatasetWarnings skipLog = new CsvDatasetWarnings()) {
            task.start(CsvSamplingSourceTaskConfig.forTask(props, 0, 1));
            if (c.outcome == Outcome.SKIPPED) {
                assertSkipsLoggedAndCounted(c, csvPath, props, skipLog.lines);
            } else if (c.warnings.isEmpty()) {
                assertThat(skipLog.lines).as("warnings logged").isEmpty();
            } else {
                assertThat(skipLog.lines).as("warnings logged").singleElement().asString()
                        .contains(csvPath).contains(c.warnings);
            }
            int wanted = (int) Math.min(MAX_RECORDS_CHECKED, 2 * rows);
            for (int polls = 0; polls < 50 && records.size() < wanted; polls++) {
                nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
                List<SourceRecord> batch = task.poll();
                if (batch != null) {
                    records.addAll(batch);
                }
            }
            assertThat(records).as("records polled").hasSizeGreaterThanOrEqualTo(wanted);
        } finally {
            task.stop();
        }

        JsonConverter withSchemas = converter(true, false);
        JsonConverter schemaless = converter(false, false);
        JsonConverter keys = converter(true, true);
        for (SourceRecord record : records) {
            assertWellTyped(record);
            assertRoundTrips(withSchemas, record.topic(), record.valueSchema(), record.value());
            if (record.keySchema() != null) {
                assertRoundTrips(keys, record.topic(), record.keySchema(), record.key());
            }
            assertThat((Long) record.headers().lastWithName(CsvSamplingSourceTask.HEADER_ROW).value())
                    .as("csv.row of a usable row").isBetween(1L, rows);
        }
        for (int i = 0; i < c.expected.size(); i++) {
            SourceRecord record = records.get(i);
            JsonNode actual = JSON.readTree(schemaless.fromConnectData(record.topic(), record.valueSchema(),
                    record.value()));
            assertThat(actual).as("record %d in JSON", i + 1).isEqualTo(c.expected.get(i));
        }
    }

    private static void assertSkipsLoggedAndCounted(BadInputCase c, String csvPath, Map<String, String> props,
                                                    List<String> logged) throws Exception {
        List<String> skips = logged.stream().filter(line -> line.startsWith("Skipping malformed row"))
                .collect(Collectors.toList());
        assertThat(skips).as("skipped rows logged").hasSize((int) Math.min(c.skipped, 10));
        for (String line : skips) {
            assertThat(line).as("a skipped row's log line").contains(csvPath).contains("line ");
        }
        for (String part : c.contains) {
            assertThat(skips).as("skipped rows logged").anySatisfy(line -> assertThat(line).contains(part));
        }
        Object counted = ManagementFactory.getPlatformMBeanServer().getAttribute(
                TaskMetrics.objectName(props.get("name"), 0), "malformed-rows-skipped-total");
        assertThat(counted).as("malformed-rows-skipped-total").isEqualTo(c.skipped);
    }

    /** Every field holds a value of its schema's type (or null): never a record of the wrong type. */
    private static void assertWellTyped(SourceRecord record) {
        assertThat(record.value()).isInstanceOf(Struct.class);
        Struct value = (Struct) record.value();
        assertThat(value.schema()).isEqualTo(record.valueSchema());
        value.validate();
        for (Field field : value.schema().fields()) {
            ConnectSchema.validateValue(field.name(), field.schema(), value.get(field));
        }
        if (record.keySchema() != null) {
            ConnectSchema.validateValue(record.keySchema(), record.key());
        }
    }

    private static void assertRoundTrips(JsonConverter converter, String topic, Schema schema, Object value) {
        byte[] json = converter.fromConnectData(topic, schema, value);
        SchemaAndValue back = converter.toConnectData(topic, json);
        assertThat(back.value()).as("%s after a JSON round trip", value).isEqualTo(value);
        if (value != null) {
            assertThat(back.schema()).as("schema after a JSON round trip").isEqualTo(schema);
        }
    }

    private static JsonConverter converter(boolean schemas, boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", Boolean.toString(schemas)), isKey);
        return converter;
    }

    /** {@code name:TYPE} of every field in order, with the logical type in parentheses. */
    private static String describe(Schema valueSchema) {
        return valueSchema.fields().stream()
                .map(f -> f.name() + ":" + f.schema().type() + (f.schema().name() == null ? "" : "(" + f.schema().name() + ")"))
                .collect(Collectors.joining(","));
    }

    private static Map<String, List<String>> validationErrors(Map<String, String> props) {
        Config result = new CsvSamplingSourceConnector().validate(props);
        Map<String, List<String>> errors = new TreeMap<>();
        for (ConfigValue value : result.configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }

    /** The real task, with a fake monotonic clock and no stored offsets, as on a worker without plugin metrics. */
    private static CsvSamplingSourceTask newTask(Map<String, String> props, AtomicLong nanos) {
        CsvSamplingSourceTask task = new CsvSamplingSourceTask(nanos::get, Clock.fixed(WALL, ZoneOffset.UTC));
        task.initialize(new StandaloneTaskContext(props));
        return task;
    }

    // ------------------------------------------------------------------ no read permission

    /**
     * Makes the file (or its directory) unreadable and checks the outcome as a user the permission
     * applies to: this JVM's user, unless that is root (which reads anything, as on CI), in which case
     * {@link UnprivilegedCheck} runs validate() and the task's start in a child JVM as uid 65534.
     */
    private void checkUnreadable(BadInputCase c, Path caseDir, String csvPath, Map<String, String> props)
            throws Exception {
        Path file = Path.of(csvPath);
        Path locked = c.path == PathMode.UNREADABLE_FILE ? file : file.getParent();
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(locked);
        Files.setPosixFilePermissions(locked, Set.of());
        try {
            if (!Files.isReadable(file)) {
                assertValidateError(c, csvPath, validationErrors(props));
                assertTaskFailure(c, csvPath, props);
                return;
            }
            Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable)
                    .findFirst().orElse(null);
            Assumptions.assumeTrue(setpriv != null, "running as root and setpriv (util-linux) is not installed,"
                    + " so no unprivileged user can be tried");
            Map<String, String> reported = runUnprivileged(setpriv, caseDir, props);
            assertThat(reported.get("readable")).as("the child runs as a user the permission applies to")
                    .isEqualTo("false");
            assertThat(reported.get("validate.keys")).as("validate() errors").isEqualTo(c.key);
            assertReported(c, "validate() on " + c.key + " as uid 65534", reported.get("validate." + c.key), csvPath);
            assertThat(reported.get("task.class")).as("the task's start as uid 65534")
                    .isEqualTo(DatasetException.class.getName());
            assertThat(reported.get("task.key")).isEqualTo(c.key);
            assertReported(c, "the task's failure as uid 65534", reported.get("task.message"), csvPath);
        } finally {
            Files.setPosixFilePermissions(locked, before);
        }
    }

    private static Map<String, String> runUnprivileged(Path setpriv, Path caseDir, Map<String, String> props)
            throws Exception {
        for (Path dir = work.getParent(); dir != null; dir = dir.getParent()) {
            Assumptions.assumeTrue(Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE),
                    "uid 65534 cannot reach java.io.tmpdir through " + dir);
        }
        Set<PosixFilePermission> open = PosixFilePermissions.fromString("rwxr-xr-x");
        Files.setPosixFilePermissions(work, open);
        Files.setPosixFilePermissions(caseDir, open);
        Path classPath = Files.createDirectories(caseDir.resolve("classpath"));
        List<String> entries = new ArrayList<>();
        for (String className : List.of(
                CsvDataset.class.getName(),                       // the connector
                "org.apache.kafka.connect.source.SourceTask",     // connect-api
                "org.apache.kafka.common.config.ConfigDef",       // kafka-clients
                "com.opencsv.CSVParser",                          // opencsv
                "org.apache.commons.lang3.StringUtils",           // opencsv's dependencies
                "org.apache.commons.text.StringEscapeUtils",
                "org.slf4j.LoggerFactory")) {
            Path source = Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
            entries.add(copyReadable(source, classPath.resolve(entries.size() + "-" + source.getFileName())).toString());
        }
        Path mainClasses = classPath.resolve("main");
        String mainFile = UnprivilegedCheck.class.getName().replace('.', '/') + ".class";
        Path compiled = Path.of(UnprivilegedCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        copyReadable(compiled.resolve(mainFile), mainClasses.resolve(mainFile));
        setReadable(mainClasses);
        entries.add(mainClasses.toString());

        List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534",
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:-UsePerfData", "-Xshare:off",
                "-D" + FileAccessPolicy.PROPERTY + "=" + System.getProperty(FileAccessPolicy.PROPERTY),
                "-cp", String.join(java.io.File.pathSeparator, entries), UnprivilegedCheck.class.getName()));
        props.forEach((key, value) -> command.add(key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).directory(caseDir.toFile()).redirectErrorStream(true);
        builder.environment().put("HOME", caseDir.toString());
        Process child = builder.start();
        child.getOutputStream().close();
        String output;
        try (var out = child.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!child.waitFor(8, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("The unprivileged check did not end: " + output);
        }
        assertThat(child.exitValue()).as("exit status of the unprivileged check; its output:%n%s", output).isZero();
        Map<String, String> reported = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                reported.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return reported;
    }

    /** Copies a jar or a directory of classes where uid 65534 can read it. */
    private static Path copyReadable(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path from : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(source.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        setReadable(target.getParent());
        return target;
    }

    private static void setReadable(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    // ------------------------------------------------------------------ the case files

    enum Outcome { VALIDATE_ERROR, TASK_FAILURE, CONFIG_ERROR, SKIPPED, OK }

    enum PathMode { FILE, DIRECTORY, MISSING, OUTSIDE, SYMLINK_OUTSIDE, DOTDOT, RELATIVE, UNREADABLE_FILE, UNREADABLE_DIRECTORY }

    /** One case directory, read strictly: unknown keys and missing expectations fail the case. */
    static final class BadInputCase {
        private static final Set<String> EXPECTATIONS = Set.of("description", "outcome", "key", "rows", "skipped",
                "fields", "path", "generate.filler.rows", "generate.filler.row", "generate.giant.row.bytes");

        final String name;
        final Path dir;
        final Outcome outcome;
        final String key;
        final List<String> contains = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final Long rows;
        final Long skipped;
        final String fields;
        final PathMode path;
        final Map<String, String> settings = new LinkedHashMap<>();
        final List<JsonNode> expected = new ArrayList<>();
        private final Properties properties = new Properties();

        private BadInputCase(Path dir) throws IOException {
            this.dir = dir;
            this.name = dir.getFileName().toString();
            try (Reader reader = Files.newBufferedReader(dir.resolve("case.properties"), StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            assertThat(properties.getProperty("description")).as("%s: description", name).isNotBlank();
            outcome = Outcome.valueOf(required("outcome").toUpperCase(Locale.ROOT).replace('-', '_'));
            key = properties.getProperty("key");
            rows = number("rows");
            skipped = number("skipped");
            fields = properties.getProperty("fields");
            path = PathMode.valueOf(properties.getProperty("path", "file").toUpperCase(Locale.ROOT).replace('-', '_'));
            Map<Integer, String> numbered = new TreeMap<>();
            Map<Integer, String> warned = new TreeMap<>();
            for (String property : properties.stringPropertyNames()) {
                String value = properties.getProperty(property);
                if (property.startsWith("contains.")) {
                    numbered.put(Integer.valueOf(property.substring("contains.".length())), value);
                } else if (property.startsWith("warning.")) {
                    warned.put(Integer.valueOf(property.substring("warning.".length())), value);
                } else if (!EXPECTATIONS.contains(property)) {
                    assertThat(CsvSamplingSourceConfig.CONFIG_DEF.names()).as("%s: %s is neither an expectation"
                            + " nor a connector setting", name, property).contains(property);
                    settings.put(property, value);
                }
            }
            contains.addAll(numbered.values());
            warnings.addAll(warned.values());
            assertThat(warnings.isEmpty() || outcome == Outcome.OK).as("%s: warning.N is for ok cases", name).isTrue();
            if (outcome == Outcome.VALIDATE_ERROR || outcome == Outcome.TASK_FAILURE || outcome == Outcome.CONFIG_ERROR) {
                assertThat(key).as("%s: key", name).isNotBlank();
                assertThat(contains).as("%s: contains.N", name).isNotEmpty();
            }
            if (outcome == Outcome.SKIPPED) {
                assertThat(settings).as("%s: skip cases set csv.malformed.rows", name)
                        .containsEntry(CsvSamplingSourceConfig.CSV_MALFORMED_ROWS, "skip");
                assertThat(skipped).as("%s: skipped", name).isNotNull().isPositive();
                assertThat(rows).as("%s: rows", name).isNotNull();
            }
            Path expectedJson = dir.resolve("expected.json");
            if (Files.exists(expectedJson)) {
                JSON.readTree(expectedJson.toFile()).forEach(expected::add);
                assertThat(outcome).as("%s: expected.json needs records", name).isIn(Outcome.OK, Outcome.SKIPPED);
            }
        }

        static BadInputCase read(Path dir) throws IOException {
            return new BadInputCase(dir);
        }

        private String required(String property) {
            String value = properties.getProperty(property);
            assertThat(value).as("%s: %s", name, property).isNotBlank();
            return value.trim();
        }

        private Long number(String property) {
            String value = properties.getProperty(property);
            return value == null ? null : Long.valueOf(value.trim());
        }

        /** Puts the input where the case wants it and returns the csv.path to configure. */
        String prepare(Path caseDir) throws IOException {
            Path input = dir.resolve("input.csv");
            Path copy = caseDir.resolve("input.csv");
            switch (path) {
                case DIRECTORY:
                    return Files.createDirectories(copy).toString();
                case MISSING:
                    return copy.toString();
                case OUTSIDE:
                    return writeInput(input, outsideOf(caseDir)).toString();
                case SYMLINK_OUTSIDE:
                    return Files.createSymbolicLink(copy, writeInput(input, outsideOf(caseDir))).toString();
                case UNREADABLE_DIRECTORY:
                    Path locked = Files.createDirectories(caseDir.resolve("locked"));
                    return writeInput(input, locked.resolve("input.csv")).toString();
                default:
                    writeInput(input, copy);
            }
            switch (path) {
                case DOTDOT:
                    return caseDir + "/../" + caseDir.getFileName() + "/input.csv";
                case RELATIVE:
                    return "input.csv";
                default:
                    return copy.toString();
            }
        }

        /** A file beside the case's folder, which is the only allowed directory during the case. */
        private static Path outsideOf(Path caseDir) throws IOException {
            return Files.createDirectories(caseDir.resolveSibling(caseDir.getFileName() + "-outside")).resolve("input.csv");
        }

        /** The committed input, with the generated parts the case asks for. */
        private Path writeInput(Path input, Path target) throws IOException {
            byte[] committed = Files.readAllBytes(input);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
                long fillers = Long.parseLong(properties.getProperty("generate.filler.rows", "0"));
                int firstLineEnd = indexOf(committed, (byte) '\n') + 1;
                out.write(committed, 0, fillers > 0 ? firstLineEnd : committed.length);
                byte[] filler = (properties.getProperty("generate.filler.row", "") + "\n").getBytes(StandardCharsets.UTF_8);
                for (long i = 0; i < fillers; i++) {
                    out.write(filler);
                }
                if (fillers > 0) {
                    out.write(committed, firstLineEnd, committed.length - firstLineEnd);
                }
                long giant = Long.parseLong(properties.getProperty("generate.giant.row.bytes", "0"));
                if (giant > 0) {
                    out.write("2,".getBytes(StandardCharsets.US_ASCII));
                    for (long i = 0; i < giant; i++) {
                        out.write('x');
                    }
                    out.write('\n');
                }
            }
            return target;
        }

        private static int indexOf(byte[] bytes, byte b) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return bytes.length - 1;
        }

        /** The case's settings over the corpus defaults: one task, file order, fast, reproducible. */
        Map<String, String> connectorProps(String csvPath) {
            Map<String, String> props = new HashMap<>();
            props.put("name", "bad-input-" + name);
            props.put(CsvSamplingSourceConfig.TOPIC, "bad-input");
            props.put(CsvSamplingSourceConfig.SAMPLING_MODE, "sequential");
            props.put(CsvSamplingSourceConfig.RECORDS_PER_SECOND, "1000");
            props.put(CsvSamplingSourceConfig.RANDOM_SEED, "1");
            props.putAll(settings);
            props.put(CsvSamplingSourceConfig.CSV_PATH, csvPath);
            return props;
        }
    }
}
