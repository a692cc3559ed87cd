package io.github.csvsampling.connect.config;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.csvsampling.connect.csv.CsvDialect;
import io.github.csvsampling.connect.schema.ColumnType;
import io.github.csvsampling.connect.schema.DateOutput;
import io.github.csvsampling.connect.schema.FieldNaming;
import io.github.csvsampling.connect.schema.TemporalFormat;
import io.github.csvsampling.connect.schema.ValueTyping;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Every configuration key of the CSV sampling source connector: its type, default, validator,
 * documentation, group, order and display name, and typed accessors so no other class parses
 * property strings. The configuration reference, docs/configuration.md, is generated from {@link #CONFIG_DEF}.
 */
public class CsvSamplingSourceConfig extends AbstractConfig {

    public static final String GROUP_DESTINATION = "Destination";
    public static final String GROUP_RATE = "Rate and sampling";
    public static final String GROUP_FILE = "CSV file";
    public static final String GROUP_TYPES = "Column types";
    public static final String GROUP_TIMESTAMP = "Record timestamp";
    public static final String GROUP_REPLAY = "Replay";

    public static final String TOPIC = "topic";
    public static final String KEY_COLUMN = "key.column";
    public static final String FIELD_NAMES = "field.names";
    public static final String SCHEMA_NAME = "schema.name";
    public static final String SCHEMA_NAME_DEFAULT = "io.github.csvsampling.CsvRow";

    public static final String RECORDS_PER_SECOND = "records.per.second";
    public static final double RECORDS_PER_SECOND_MAX = 10_000_000;
    public static final String SAMPLING_MODE = "sampling.mode";
    public static final String RANDOM_SEED = "random.seed";
    public static final String MAX_RECORDS = "max.records";
    public static final String BATCH_SIZE = "batch.size";
    public static final String MAX_CATCHUP_MS = "pacing.max.catchup.ms";

    public static final String CSV_PATH = "csv.path";
    public static final String CSV_CHARSET = "csv.charset";
    public static final String CSV_SEPARATOR = "csv.separator";
    public static final String CSV_QUOTE = "csv.quote";
    public static final String CSV_ESCAPE = "csv.escape";
    public static final String CSV_HEADER = "csv.header";
    public static final String CSV_SKIP_LINES = "csv.skip.lines";
    public static final String CSV_NULL_VALUES = "csv.null.values";
    public static final String CSV_ROW_MAX_BYTES = "csv.row.max.bytes";
    public static final String CSV_CHANGE_POLICY = "csv.change.policy";
    public static final String CSV_MALFORMED_ROWS = "csv.malformed.rows";
    public static final String CSV_CACHE_MAX_BYTES = "csv.cache.max.bytes";

    public static final String COLUMN_TYPES = "column.types";
    public static final String DATE_FORMAT = "date.format";
    public static final String TIMESTAMP_FORMAT = "timestamp.format";
    public static final String DATE_OUTPUT = "date.output";
    public static final String TIMEZONE = "timezone";

    public static final String TIMESTAMP_COLUMN = "timestamp.column";
    public static final String TIMESTAMP_COLUMN_FORMAT = "timestamp.column.format";

    public static final String REPLAY_TIME_COLUMN = "replay.time.column";
    public static final String REPLAY_TIME_FORMAT = "replay.time.format";
    public static final String REPLAY_PACING = "replay.pacing";
    public static final String REPLAY_SPEED = "replay.speed";
    public static final String REPLAY_END = "replay.end";

    public static final ConfigDef CONFIG_DEF = configDef();

    public CsvSamplingSourceConfig(Map<String, String> props) {
        this(CONFIG_DEF, props);
    }

    protected CsvSamplingSourceConfig(ConfigDef definition, Map<String, String> props) {
        super(definition, props, false);
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Validators.topicName(), Importance.HIGH,
                "The topic the sampled rows are written to.",
                GROUP_DESTINATION, ++order, Width.MEDIUM, "Topic");
        def.define(KEY_COLUMN, Type.STRING, "", Importance.MEDIUM,
                "The column whose typed value becomes the record key (header name or field name), such as"
                        + " Index to keep each stock index in one partition. Empty for records without key.",
                GROUP_DESTINATION, ++order, Width.MEDIUM, "Key column");
        def.define(FIELD_NAMES, Type.STRING, FieldNaming.ORIGINAL.configName(), Validators.oneOf(FieldNaming.class),
                Importance.MEDIUM,
                "How header names become record field names. original: as written in the header."
                        + " snake_case: lower-case words joined by underscores (Adj Close becomes adj_close,"
                        + " CloseUSD becomes close_usd), valid for Avro, Protobuf, Athena and Hive.",
                GROUP_DESTINATION, ++order, Width.SHORT, "Field names", Recommenders.enumValues(FieldNaming.class));
        def.define(SCHEMA_NAME, Type.STRING, SCHEMA_NAME_DEFAULT, Validators.schemaFullName(), Importance.LOW,
                "The name of the record value schema. Keep it stable: schema registries compare schemas"
                        + " by subject and name.",
                GROUP_DESTINATION, ++order, Width.LONG, "Schema name");

        order = 0;
        def.define(RECORDS_PER_SECOND, Type.DOUBLE, 1.0, Validators.positiveAtMost(RECORDS_PER_SECOND_MAX),
                Importance.HIGH,
                "The target rate in records per second, in total across all tasks; fractions are allowed"
                        + " (0.2 is one record every 5 seconds). Each record has a scheduled time, so the"
                        + " long-run rate does not drift.",
                GROUP_RATE, ++order, Width.SHORT, "Records per second");
        def.define(SAMPLING_MODE, Type.STRING, SamplingMode.RANDOM.name().toLowerCase(Locale.ROOT),
                Validators.oneOf(SamplingMode.class), Importance.HIGH,
                "How each record picks its row. random: uniformly with replacement, like df.sample(1) in a"
                        + " loop. shuffle: every row once per pass in a seeded random order, a new order each"
                        + " pass. sequential: file order, looping. replay: rows in order of replay.time.column,"
                        + " paced by data time (replay.pacing, replay.speed) instead of records.per.second, rows"
                        + " of equal time together. With several tasks, shuffle and sequential give each task its"
                        + " own contiguous share of the rows, and replay gives each key.column value's rows to one"
                        + " task.",
                GROUP_RATE, ++order, Width.SHORT, "Sampling mode", Recommenders.enumValues(SamplingMode.class));
        def.define(RANDOM_SEED, Type.LONG, null, Importance.MEDIUM,
                "The seed that makes the stream reproducible: the same file, configuration and seed give"
                        + " the same records. Each task derives its own seed from it. When empty, a random"
                        + " seed is chosen on the first start and kept in the source offsets, so restarts"
                        + " continue the same stream.",
                GROUP_RATE, ++order, Width.MEDIUM, "Random seed");
        def.define(MAX_RECORDS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "The number of records to emit in total across all tasks, after which the tasks stay"
                        + " RUNNING and idle. 0 for no limit.",
                GROUP_RATE, ++order, Width.MEDIUM, "Maximum records");
        def.define(BATCH_SIZE, Type.INT, 1000, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                "The most records a task hands to the worker at once; more are sent in the next batch.",
                GROUP_RATE, ++order, Width.SHORT, "Batch size");
        def.define(MAX_CATCHUP_MS, Type.LONG, 1000L, ConfigDef.Range.between(0, 3_600_000), Importance.LOW,
                "After a stall (a slow broker, a long pause), the largest schedule delay in milliseconds a"
                        + " task makes up by sending faster than the rate. The burst after a stall is at most"
                        + " 1 + rate x this delay records; the remaining delay is dropped from the schedule, so the"
                        + " stream continues at the rate instead of flooding the topic.",
                GROUP_RATE, ++order, Width.SHORT, "Maximum catch-up (ms)");

        order = 0;
        def.define(CSV_PATH, Type.STRING, "", Importance.HIGH,
                "The CSV file to sample, as an absolute path on the Connect worker. Empty for the bundled"
                        + " synthetic stock-index dataset (the schema of Kaggle's indexProcessed.csv).",
                GROUP_FILE, ++order, Width.LONG, "CSV file");
        def.define(CSV_CHARSET, Type.STRING, "UTF-8", Validators.asciiCompatibleCharset(), Importance.LOW,
                "The file's character encoding. Byte order marks at the start of the file are not part of the"
                        + " first column's name: a UTF-8 mark is skipped, as is, with a warning, a UTF-8 mark garbled"
                        + " into \u00EF\u00BB\u00BF by a tool that read it as Latin-1 and saved it as UTF-8. A UTF-16"
                        + " or UTF-32 file is refused: convert it to UTF-8.",
                GROUP_FILE, ++order, Width.SHORT, "Charset");
        def.define(CSV_SEPARATOR, Type.STRING, ",", Validators.separator(), Importance.MEDIUM,
                "The field separator. Kafka Connect trims whitespace from values, so a tab or a space is"
                        + " written as its name: tab (or \\t), space (or \\s); in JSON \"csv.separator\": \"tab\".",
                GROUP_FILE, ++order, Width.SHORT, "Separator");
        def.define(CSV_QUOTE, Type.STRING, "\"", Validators.singleCharacter(false), Importance.LOW,
                "The quote character. Quoted fields may contain separators, line breaks and doubled quotes.",
                GROUP_FILE, ++order, Width.SHORT, "Quote");
        def.define(CSV_ESCAPE, Type.STRING, "", Validators.singleCharacter(true), Importance.LOW,
                "The escape character inside quoted fields, such as \\. Empty for none: quotes inside"
                        + " quoted fields are doubled, as in RFC 4180. Whitespace is refused: Kafka Connect would"
                        + " trim it to empty, which means none.",
                GROUP_FILE, ++order, Width.SHORT, "Escape");
        def.define(CSV_HEADER, Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether the first row (after csv.skip.lines) holds the column names. Without a header the"
                        + " columns are named column_1, column_2, ...",
                GROUP_FILE, ++order, Width.SHORT, "Header row");
        def.define(CSV_SKIP_LINES, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Lines to skip at the start of the file, before the header.",
                GROUP_FILE, ++order, Width.SHORT, "Lines to skip");
        def.define(CSV_NULL_VALUES, Type.LIST, List.of("", "null"), Importance.MEDIUM,
                "Field texts that stand for a missing value (null). An empty item, as in the leading"
                        + " comma of the default, stands for an empty field. Kafka Connect trims whitespace around"
                        + " items, so write a space as \\s and a tab as \\t: ,\\s makes empty fields and fields of"
                        + " one space null (in JSON \"csv.null.values\": \",\\\\s\").",
                GROUP_FILE, ++order, Width.MEDIUM, "Null values");
        def.define(CSV_CHANGE_POLICY, Type.STRING, ChangePolicy.RESTART.name().toLowerCase(Locale.ROOT),
                Validators.oneOf(ChangePolicy.class), Importance.LOW,
                "What a task does when the file differs from the one its stored offset was made from (the"
                        + " offset keeps a CRC-32C fingerprint of the content). restart: log a warning and start"
                        + " again from record 0. fail: fail the task; reset the offsets to start over.",
                GROUP_FILE, 10, Width.SHORT, "On file change", Recommenders.enumValues(ChangePolicy.class));
        def.define(CSV_MALFORMED_ROWS, Type.STRING, MalformedRows.FAIL.name().toLowerCase(Locale.ROOT),
                Validators.oneOf(MalformedRows.class), Importance.MEDIUM,
                "What to do with a row that cannot be used (wrong number of fields, bytes invalid in the"
                        + " charset or a NUL byte, a value that does not fit its column.types override, a missing"
                        + " or unparsable time). fail: the task fails at start with the file, line and problem (validate()"
                        + " reports the first such row). skip: the row is left out, logged (the first 10 with"
                        + " their line) and counted in the malformed-rows-skipped-total metric. A quote that is"
                        + " never closed or a row over csv.row.max.bytes always fails: the rows after it cannot"
                        + " be trusted.",
                GROUP_FILE, 11, Width.SHORT, "Malformed rows", Recommenders.enumValues(MalformedRows.class));
        def.define(CSV_ROW_MAX_BYTES, Type.INT, 1 << 20, ConfigDef.Range.between(64, 1 << 30), Importance.LOW,
                "The longest row accepted, in bytes. Protects against a quote that is never closed"
                        + " swallowing the rest of the file.",
                GROUP_FILE, ++order, Width.SHORT, "Maximum row size");
        def.define(CSV_CACHE_MAX_BYTES, Type.LONG, 64L << 20, ConfigDef.Range.between(0, 1L << 40), Importance.LOW,
                "Heap, in bytes (estimated), that a task may use to keep the typed values of rows it has"
                        + " emitted, so that a row sampled again is not read, parsed and typed again. A file whose"
                        + " rows fit (the reference file's 104,000 rows take about 33 MB) is then served from"
                        + " memory; beyond the budget, rows are read per record. 0 to read every record from the"
                        + " file.",
                GROUP_FILE, 12, Width.SHORT, "Row cache size");

        order = 0;
        def.define(COLUMN_TYPES, Type.LIST, "", Validators.columnTypes(), Importance.MEDIUM,
                "Column types that override inference, as column:type items (column by header name or"
                        + " field name), such as Volume:float64,Date:string. Types: " + ColumnType.configNames()
                        + ". Without an override a column is boolean, int64 (every value integral, 123.0"
                        + " included), float64, date (every value matches date.format) or string, in that"
                        + " order of preference; every field is nullable.",
                GROUP_TYPES, ++order, Width.LONG, "Column types");
        def.define(DATE_FORMAT, Type.STRING, "yyyy-MM-dd", Validators.temporalPattern(), Importance.LOW,
                "The DateTimeFormatter pattern of date columns; a column whose values all match it is"
                        + " inferred as date.",
                GROUP_TYPES, ++order, Width.SHORT, "Date format");
        def.define(TIMESTAMP_FORMAT, Type.STRING, "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]",
                Validators.temporalPattern(), Importance.LOW,
                "The DateTimeFormatter pattern of columns typed timestamp in column.types. Without an offset"
                        + " in the pattern or the value, timezone applies.",
                GROUP_TYPES, ++order, Width.MEDIUM, "Timestamp format");
        def.define(DATE_OUTPUT, Type.STRING, DateOutput.STRING.name().toLowerCase(Locale.ROOT),
                Validators.oneOf(DateOutput.class), Importance.MEDIUM,
                "How date and timestamp columns are written. string: ISO-8601 text (2021-06-30,"
                        + " 2021-06-30T14:00:00Z), which JSON sinks and Athena read as dates. logical: Connect's"
                        + " Date and Timestamp logical types, for Avro, Protobuf or JDBC sinks (JSON sinks"
                        + " write them as numbers).",
                GROUP_TYPES, ++order, Width.SHORT, "Date output", Recommenders.enumValues(DateOutput.class));
        def.define(TIMEZONE, Type.STRING, "UTC", Validators.zoneId(), Importance.LOW,
                "The time zone of dates and timestamps written without an offset.",
                GROUP_TYPES, ++order, Width.SHORT, "Time zone");

        order = 0;
        def.define(TIMESTAMP_COLUMN, Type.STRING, "", Importance.MEDIUM,
                "The column whose value becomes the Kafka record timestamp. Empty for the time the"
                        + " record is emitted, which is what time-based sinks such as the S3 sink partition on"
                        + " for a live stream.",
                GROUP_TIMESTAMP, ++order, Width.MEDIUM, "Timestamp column");
        def.define(TIMESTAMP_COLUMN_FORMAT, Type.STRING, "yyyy-MM-dd", Validators.temporalPattern(),
                Importance.LOW,
                "The DateTimeFormatter pattern of timestamp.column's text. A pattern without time means"
                        + " midnight; without offset, timezone applies.",
                GROUP_TIMESTAMP, ++order, Width.MEDIUM, "Timestamp column format");

        order = 0;
        def.define(REPLAY_TIME_COLUMN, Type.STRING, "", Importance.MEDIUM,
                "replay: the column that orders the rows and paces the stream, such as Date.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "Replay time column");
        def.define(REPLAY_TIME_FORMAT, Type.STRING, "yyyy-MM-dd", Validators.temporalPattern(), Importance.LOW,
                "replay: the DateTimeFormatter pattern of replay.time.column.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "Replay time format");
        def.define(REPLAY_PACING, Type.STRING, ReplayPacing.STEPS.name().toLowerCase(Locale.ROOT),
                Validators.oneOf(ReplayPacing.class), Importance.MEDIUM,
                "replay: how data time maps to wall time. steps: each distinct time in the file is one step,"
                        + " replay.speed steps per second (1 = one trading day per second for daily data;"
                        + " weekends take no time). time: data time runs replay.speed times faster than wall"
                        + " time (86400 = one day per second, weekends included).",
                GROUP_REPLAY, ++order, Width.SHORT, "Replay pacing", Recommenders.enumValues(ReplayPacing.class));
        def.define(REPLAY_SPEED, Type.DOUBLE, 1.0, Validators.positiveAtMost(1e12), Importance.MEDIUM,
                "replay: steps per second (replay.pacing=steps) or data seconds per wall second"
                        + " (replay.pacing=time). records.per.second does not apply to replay.",
                GROUP_REPLAY, ++order, Width.SHORT, "Replay speed");
        def.define(REPLAY_END, Type.STRING, ReplayEnd.LOOP.name().toLowerCase(Locale.ROOT),
                Validators.oneOf(ReplayEnd.class), Importance.MEDIUM,
                "replay: after the last time. loop: start again from the first time, scheduled after the"
                        + " last so the stream keeps moving forward (values are emitted as in the file). stop:"
                        + " stay RUNNING and idle.",
                GROUP_REPLAY, ++order, Width.SHORT, "Replay end", Recommenders.enumValues(ReplayEnd.class));
        return def;
    }

    /**
     * Whitespace in the values as written (before {@link ConfigDef} trims them) that trimming would silently turn
     * into another setting: an item of {@code csv.null.values} that is only whitespace (it would match empty
     * fields) and a {@code csv.escape} that is only whitespace (it would mean no escape character). Values that
     * trimming leaves invalid, such as an empty {@code csv.separator}, are reported by their validators instead.
     *
     * @param written the configuration as submitted, such as the map {@code Connector.validate} receives
     * @return an error message by key, empty when there is none
     */
    public static Map<String, String> whitespaceLostToTrimming(Map<String, String> written) {
        Map<String, String> errors = new LinkedHashMap<>();
        String nullValues = written.get(CSV_NULL_VALUES);
        if (nullValues != null && hasBlankItem(nullValues)) {
            StringBuilder escaped = new StringBuilder();
            for (String item : nullValues.split(",", -1)) {
                escaped.append(escaped.length() == 0 ? "" : ",")
                        .append(isBlank(item) ? item.replace(" ", "\\s").replace("\t", "\\t") : item.trim());
            }
            errors.put(CSV_NULL_VALUES, CSV_NULL_VALUES + " has an item of only whitespace, which would match empty"
                    + " fields instead. " + Validators.TRIMMED + " Write a space as \\s and a tab as \\t: "
                    + escaped + " (in JSON \"" + CSV_NULL_VALUES + "\": \"" + escaped.toString().replace("\\", "\\\\")
                    + "\"), or leave the item empty if empty fields are meant.");
        }
        if (isBlank(written.get(CSV_ESCAPE))) {
            errors.put(CSV_ESCAPE, CSV_ESCAPE + " is only whitespace. " + Validators.TRIMMED + " It would arrive"
                    + " empty, which means no escape character; an escape character cannot be whitespace. Leave "
                    + CSV_ESCAPE + " empty for none, or set a character such as \\.");
        }
        return errors;
    }

    /** Not empty, but nothing left once trimmed as {@link ConfigDef} trims. */
    private static boolean isBlank(String text) {
        return text != null && !text.isEmpty() && text.trim().isEmpty();
    }

    private static boolean hasBlankItem(String list) {
        for (String item : list.split(",", -1)) {
            if (isBlank(item)) {
                return true;
            }
        }
        return false;
    }

    public String topic() {
        return getString(TOPIC);
    }

    /** The configured file, or empty for the bundled sample dataset. */
    public Optional<Path> csvPath() {
        String path = getString(CSV_PATH).trim();
        return path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path));
    }

    public double recordsPerSecond() {
        return getDouble(RECORDS_PER_SECOND);
    }

    public SamplingMode samplingMode() {
        return option(SAMPLING_MODE, SamplingMode.class);
    }

    /** The configured seed, or empty when the task is to choose one and keep it in its offsets. */
    public Optional<Long> randomSeed() {
        return Optional.ofNullable(getLong(RANDOM_SEED));
    }

    /** Total records across tasks, 0 for unbounded. */
    public long maxRecords() {
        return getLong(MAX_RECORDS);
    }

    public long cacheMaxBytes() {
        return getLong(CSV_CACHE_MAX_BYTES);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long maxCatchUpMillis() {
        return getLong(MAX_CATCHUP_MS);
    }

    public Optional<String> keyColumn() {
        return nonBlank(getString(KEY_COLUMN));
    }

    public FieldNaming fieldNaming() {
        return option(FIELD_NAMES, FieldNaming.class);
    }

    public String schemaName() {
        return getString(SCHEMA_NAME);
    }

    public CsvDialect dialect() {
        String escape = getString(CSV_ESCAPE);
        return new CsvDialect(
                Validators.separatorCharacter(getString(CSV_SEPARATOR)),
                Validators.unescapeCharacter(getString(CSV_QUOTE)),
                escape.isEmpty() ? CsvDialect.NO_ESCAPE : Validators.unescapeCharacter(escape),
                getBoolean(CSV_HEADER),
                getInt(CSV_SKIP_LINES),
                Charset.forName(getString(CSV_CHARSET).trim()),
                getInt(CSV_ROW_MAX_BYTES));
    }

    /** The field texts that are null, with {@code \s} and {@code \t} standing for a space and a tab. */
    public Set<String> nullValues() {
        Set<String> values = new LinkedHashSet<>();
        for (String item : getList(CSV_NULL_VALUES)) {
            values.add(Validators.unescapeWhitespace(item));
        }
        return values;
    }

    /** Type overrides by column name (header or field name), in the order written. */
    public Map<String, ColumnType> columnTypes() {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        for (String item : getList(COLUMN_TYPES)) {
            int colon = item.lastIndexOf(':');
            types.put(item.substring(0, colon).trim(), ColumnType.fromConfigName(item.substring(colon + 1)));
        }
        return types;
    }

    public ZoneId timezone() {
        return ZoneId.of(getString(TIMEZONE).trim());
    }

    public ValueTyping valueTyping() {
        return new ValueTyping(
                TemporalFormat.of(getString(DATE_FORMAT), timezone()),
                TemporalFormat.of(getString(TIMESTAMP_FORMAT), timezone()),
                option(DATE_OUTPUT, DateOutput.class));
    }

    public Optional<String> timestampColumn() {
        return nonBlank(getString(TIMESTAMP_COLUMN));
    }

    public TemporalFormat timestampColumnFormat() {
        return TemporalFormat.of(getString(TIMESTAMP_COLUMN_FORMAT), timezone());
    }

    public MalformedRows malformedRows() {
        return option(CSV_MALFORMED_ROWS, MalformedRows.class);
    }

    public ChangePolicy changePolicy() {
        return option(CSV_CHANGE_POLICY, ChangePolicy.class);
    }

    public Optional<String> replayTimeColumn() {
        return nonBlank(getString(REPLAY_TIME_COLUMN));
    }

    public TemporalFormat replayTimeFormat() {
        return TemporalFormat.of(getString(REPLAY_TIME_FORMAT), timezone());
    }

    public ReplayPacing replayPacing() {
        return option(REPLAY_PACING, ReplayPacing.class);
    }

    public double replaySpeed() {
        return getDouble(REPLAY_SPEED);
    }

    public ReplayEnd replayEnd() {
        return option(REPLAY_END, ReplayEnd.class);
    }

    /** The value of an option key as its enum constant; validation has checked it is one. */
    private <E extends Enum<E>> E option(String key, Class<E> type) {
        return Enum.valueOf(type, getString(key).trim().toUpperCase(Locale.ROOT));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
