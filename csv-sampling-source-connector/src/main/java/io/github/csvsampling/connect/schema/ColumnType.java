package io.github.csvsampling.connect.schema;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The types a CSV column can have, as named in {@code column.types} and as inferred from the data.
 * Every column becomes an optional (nullable) field of the record value.
 */
public enum ColumnType {
    /** Text as written in the file. */
    STRING,
    /** A 64-bit integer; {@code 123}, {@code -4} and {@code 123.0} all qualify. */
    INT64,
    /** A 64-bit floating point number such as {@code 528.690002} or {@code 1.5e-3}. */
    FLOAT64,
    /** {@code true} or {@code false}, in any letter case. */
    BOOLEAN,
    /** A calendar date parsed with {@code date.format}. */
    DATE,
    /** An instant parsed with {@code timestamp.format} in {@code timezone}; only by override. */
    TIMESTAMP;

    /** The name users write in {@code column.types}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a name written in {@code column.types}, in any letter case. */
    public static ColumnType fromConfigName(String name) {
        for (ColumnType type : values()) {
            if (type.configName().equalsIgnoreCase(name.trim())) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a column type; use one of " + configNames());
    }

    /** All type names, comma separated, for documentation and error messages. */
    public static String configNames() {
        return Arrays.stream(values()).map(ColumnType::configName).collect(Collectors.joining(", "));
    }
}
