package io.github.csvsampling.connect.config;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.schema.ColumnType;
import io.github.csvsampling.connect.schema.TemporalFormat;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The validators of {@link CsvSamplingSourceConfig}. Each names the key, the bad value and what
 * would be valid, and its {@code toString()} is what the generated reference lists as valid values.
 */
public final class Validators {

    /** Kafka's rule ({@code org.apache.kafka.common.internals.Topic}): "." and ".." are not topic names. */
    private static final Pattern TOPIC = Pattern.compile("(?!\\.{1,2}$)[a-zA-Z0-9._-]{1,249}");
    private static final Pattern AVRO_FULL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    /**
     * Why whitespace that users configure can be lost: Kafka's {@code ConfigDef} trims every value, and every
     * item of a list, before validators and accessors see it (checked for Kafka 3.6 and 4.1).
     */
    public static final String TRIMMED = "Kafka Connect trims spaces, tabs and line breaks from both ends of every"
            + " configuration value (and of each item of a list).";

    private Validators() {
    }

    /**
     * One of the constants of an enum, written in lower case and matched in any case. A value matches exactly
     * when the accessors' {@code valueOf(value.trim().toUpperCase(Locale.ROOT))} finds the constant:
     * {@code equalsIgnoreCase} also accepts, for example, a Turkish dotted capital I ({@code ORİGİNAL}), which
     * {@code valueOf} then refuses, failing the task instead of the validation.
     */
    public static <E extends Enum<E>> ConfigDef.Validator oneOf(Class<E> type) {
        List<String> names = enumNames(type);
        return new Described(String.join(", ", names), (key, value) -> {
            String text = value == null ? "" : value.toString().trim().toUpperCase(Locale.ROOT);
            if (Arrays.stream(type.getEnumConstants()).noneMatch(e -> e.name().equals(text))) {
                throw new ConfigException(key, value, "Valid values are " + String.join(", ", names) + ".");
            }
        });
    }

    /** The lower-case names of an enum's constants, in declaration order. */
    public static <E extends Enum<E>> List<String> enumNames(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toList());
    }

    /** A legal Kafka topic name. */
    public static ConfigDef.Validator topicName() {
        return new Described("a topic name of 1 to 249 characters from a-z A-Z 0-9 . _ -", (key, value) -> {
            if (value != null && !TOPIC.matcher(value.toString()).matches()) {
                throw new ConfigException(key, value, "A topic name is 1 to 249 characters from"
                        + " a-z, A-Z, 0-9, '.', '_' and '-', other than '.' and '..'. Set it to the topic the"
                        + " records go to.");
            }
        });
    }

    /** A name valid as an Avro full name, which also satisfies Protobuf and JSON Schema converters. */
    public static ConfigDef.Validator schemaFullName() {
        return new Described("a dotted name such as com.example.Row (Avro naming rules)", (key, value) -> {
            if (value == null || !AVRO_FULL_NAME.matcher(value.toString()).matches()) {
                throw new ConfigException(key, value, "Use dot-separated parts that each start with a"
                        + " letter or '_' followed by letters, digits or '_', such as com.example.StockQuote.");
            }
        });
    }

    /**
     * A single ASCII character ({@code \t} is accepted for a tab); with {@code allowEmpty}, also the
     * empty string for "none". An empty value where one is required gets its own message: Kafka Connect
     * trims values, so whitespace written as itself arrives empty (see {@link #TRIMMED}).
     */
    public static ConfigDef.Validator singleCharacter(boolean allowEmpty) {
        String description = "one ASCII character (\\t for tab)" + (allowEmpty ? ", or empty for none" : "");
        return new Described(description, (key, value) -> {
            String text = value == null ? "" : value.toString();
            if (text.isEmpty() && allowEmpty) {
                return;
            }
            if (text.isEmpty()) {
                throw new ConfigException(key + " is empty. " + TRIMMED + " A value that is only whitespace"
                        + " arrives empty, and this character cannot be whitespace: set one such as \" or '.");
            }
            Character c = unescapeCharacter(text);
            if (c == null || c > 127 || c == '\n' || c == '\r') {
                throw new ConfigException(key, value, "Expected " + description + ".");
            }
        });
    }

    /**
     * The field separator: one ASCII character, or a name for a whitespace character ({@code tab} or
     * {@code \t}, {@code space} or {@code \s}), which Kafka Connect would otherwise trim away.
     */
    public static ConfigDef.Validator separator() {
        String description = "one ASCII character; tab or \\t for a tab, space or \\s for a space";
        return new Described(description, (key, value) -> {
            String text = value == null ? "" : value.toString();
            if (text.isEmpty()) {
                throw new ConfigException(key + " is empty. " + TRIMMED + " A tab or space separator written as"
                        + " itself arrives empty: name it instead, as \"" + key + "\": \"tab\" (or \"\\\\t\") in"
                        + " JSON, " + key + "=tab in a properties file, and \"space\" for a space.");
            }
            Character c = separatorCharacter(text);
            if (c == null || c > 127 || c == '\n' || c == '\r') {
                throw new ConfigException(key, value, "Expected " + description + ".");
            }
        });
    }

    /**
     * The character a single-character setting stands for, or null when the text is not one
     * character ({@code \t} stands for a tab).
     */
    public static Character unescapeCharacter(String text) {
        if ("\\t".equals(text)) {
            return '\t';
        }
        return text.length() == 1 ? text.charAt(0) : null;
    }

    /**
     * The separator a {@code csv.separator} value stands for: as {@link #unescapeCharacter}, and the names
     * {@code tab} and {@code space} (in any case) and {@code \s}; null when it is none of these.
     */
    public static Character separatorCharacter(String text) {
        if ("tab".equalsIgnoreCase(text)) {
            return '\t';
        }
        if ("space".equalsIgnoreCase(text) || "\\s".equals(text)) {
            return ' ';
        }
        return unescapeCharacter(text);
    }

    /**
     * A {@code csv.null.values} item as it is matched against fields: {@code \s} stands for a space and
     * {@code \t} for a tab, so that whitespace survives Kafka Connect's trimming of list items.
     */
    public static String unescapeWhitespace(String item) {
        return item.indexOf('\\') < 0 ? item : item.replace("\\s", " ").replace("\\t", "\t");
    }

    /**
     * A charset this JVM supports that writes line feeds, quotes and common separators as the same
     * single bytes as ASCII (UTF-8, ISO-8859-*, windows-125*, ...), because rows are found on bytes.
     */
    public static ConfigDef.Validator asciiCompatibleCharset() {
        return new Described("a charset that extends ASCII, such as UTF-8, ISO-8859-1 or windows-1252",
                (key, value) -> {
                    String name = value == null ? "" : value.toString().trim();
                    Charset charset;
                    try {
                        charset = Charset.forName(name);
                    } catch (IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException e) {
                        throw new ConfigException(key, value, "This JVM does not know that charset."
                                + " Use a name such as UTF-8, ISO-8859-1 or windows-1252.");
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(key, value, "A charset name is required, such as UTF-8.");
                    }
                    if (!isAsciiCompatible(charset)) {
                        throw new ConfigException(key, value, "Only charsets that extend ASCII are supported"
                                + " (rows are split on raw bytes). Convert the file to UTF-8, for example with"
                                + " iconv -f " + name + " -t UTF-8.");
                    }
                });
    }

    static boolean isAsciiCompatible(Charset charset) {
        String probe = "\n\r\t,;|\"'\\ azAZ09";
        return charset.canEncode()
                && Arrays.equals(probe.getBytes(charset), probe.getBytes(StandardCharsets.US_ASCII));
    }

    /** A {@link java.time.format.DateTimeFormatter} pattern. */
    public static ConfigDef.Validator temporalPattern() {
        return new Described("a java.time.format.DateTimeFormatter pattern", (key, value) -> {
            try {
                TemporalFormat.of(value == null ? "" : value.toString(), ZoneId.of("UTC"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, value, "Not a valid DateTimeFormatter pattern (" + e.getMessage()
                        + "). Examples: yyyy-MM-dd, dd/MM/yyyy, yyyy-MM-dd HH:mm:ss.");
            }
        });
    }

    /** A time-zone ID such as {@code UTC} or {@code America/New_York}. */
    public static ConfigDef.Validator zoneId() {
        return new Described("a time-zone ID such as UTC, Europe/Paris or +02:00", (key, value) -> {
            try {
                ZoneId.of(value == null ? "" : value.toString().trim());
            } catch (DateTimeException e) {
                throw new ConfigException(key, value, "Not a time-zone ID. Use UTC, a region such as"
                        + " America/New_York, or an offset such as +02:00.");
            }
        });
    }

    /** A list of {@code column:type} items. */
    public static ConfigDef.Validator columnTypes() {
        return new Described("a list of column:type, type one of " + ColumnType.configNames(), (key, value) -> {
            if (!(value instanceof List)) {
                return;
            }
            for (Object item : (List<?>) value) {
                String text = item.toString();
                int colon = text.lastIndexOf(':');
                if (colon <= 0 || colon == text.length() - 1) {
                    throw new ConfigException(key, value, "Item '" + text + "' is not column:type."
                            + " Write for example Volume:int64,Date:date.");
                }
                try {
                    ColumnType.fromConfigName(text.substring(colon + 1));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key, value, "In item '" + text + "', " + e.getMessage() + ".");
                }
            }
        });
    }

    /** A number greater than zero and at most {@code max}. */
    public static ConfigDef.Validator positiveAtMost(double max) {
        return new Described("(0, " + (long) max + "]", (key, value) -> {
            double number = value == null ? Double.NaN : ((Number) value).doubleValue();
            if (!(number > 0 && number <= max)) {
                throw new ConfigException(key, value, "Must be greater than 0 and at most " + (long) max
                        + "; fractions are allowed (0.2 means one record every 5 seconds).");
            }
        });
    }

    /** A validator with a human-readable {@code toString()} for the generated reference. */
    private static final class Described implements ConfigDef.Validator {
        private final String description;
        private final ConfigDef.Validator check;

        Described(String description, ConfigDef.Validator check) {
            this.description = description;
            this.check = check;
        }

        @Override
        public void ensureValid(String name, Object value) {
            check.ensureValid(name, value);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
