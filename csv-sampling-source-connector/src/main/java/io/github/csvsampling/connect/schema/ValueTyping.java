package io.github.csvsampling.connect.schema;

import java.util.Date;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Turns the text of one CSV field into the typed value of a record field, and tells whether text
 * fits a type (for inference and for checking {@code column.types} overrides).
 */
public final class ValueTyping {

    private static final Schema LOGICAL_DATE = org.apache.kafka.connect.data.Date.builder().optional().build();
    private static final Schema LOGICAL_TIMESTAMP = Timestamp.builder().optional().build();

    private final TemporalFormat dateFormat;
    private final TemporalFormat timestampFormat;
    private final DateOutput dateOutput;

    public ValueTyping(TemporalFormat dateFormat, TemporalFormat timestampFormat, DateOutput dateOutput) {
        this.dateFormat = dateFormat;
        this.timestampFormat = timestampFormat;
        this.dateOutput = dateOutput;
    }

    /** The (optional) Connect schema of a field of this type. */
    public Schema schema(ColumnType type) {
        switch (type) {
            case INT64:
                return Schema.OPTIONAL_INT64_SCHEMA;
            case FLOAT64:
                return Schema.OPTIONAL_FLOAT64_SCHEMA;
            case BOOLEAN:
                return Schema.OPTIONAL_BOOLEAN_SCHEMA;
            case DATE:
                return dateOutput == DateOutput.LOGICAL ? LOGICAL_DATE : Schema.OPTIONAL_STRING_SCHEMA;
            case TIMESTAMP:
                return dateOutput == DateOutput.LOGICAL ? LOGICAL_TIMESTAMP : Schema.OPTIONAL_STRING_SCHEMA;
            default:
                return SchemaBuilder.string().optional().build();
        }
    }

    /**
     * True when {@link #convert} accepts the text for this type. Takes any character sequence, so that fields can
     * be checked where they lie in a row's bytes, without a String each.
     */
    public boolean fits(ColumnType type, CharSequence text) {
        switch (type) {
            case INT64:
                return NumberText.isInt64(text);
            case FLOAT64:
                return NumberText.isNumber(text);
            case BOOLEAN:
                return isBoolean(text);
            case DATE:
                return dateFormat.isDate(text);
            case TIMESTAMP:
                return timestampFormat.isInstant(text);
            default:
                return true;
        }
    }

    /**
     * The value of the text as a field of {@link #schema(ColumnType)}.
     *
     * @throws IllegalArgumentException (or a subclass, or {@link java.time.DateTimeException}) when
     *         the text does not fit the type; callers check with {@link #fits} first
     */
    public Object convert(ColumnType type, String text) {
        switch (type) {
            case INT64:
                return NumberText.toInt64(text);
            case FLOAT64:
                return NumberText.toFloat64(text);
            case BOOLEAN:
                if (!isBoolean(text)) {
                    throw new IllegalArgumentException("not a boolean: '" + text + "'");
                }
                return Boolean.parseBoolean(text);
            case DATE:
                return dateOutput == DateOutput.LOGICAL
                        ? Date.from(dateFormat.parseDate(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant())
                        : isoDateText(text);
            case TIMESTAMP:
                return dateOutput == DateOutput.LOGICAL
                        ? Date.from(timestampFormat.parseInstant(text))
                        : timestampFormat.parseInstant(text).toString();
            default:
                return text;
        }
    }

    /**
     * The ISO text of a date. With the default {@code date.format} (yyyy-MM-dd), a text that is already a valid ISO
     * date is its own ISO text (see {@link TemporalFormat#isIsoDate}), without the formatter's parse. Anything else,
     * including days the formatter's resolver would adjust, takes the formatter.
     */
    private String isoDateText(String text) {
        return dateFormat.isIsoDate(text) ? text : dateFormat.parseDate(text).toString();
    }

    /** A short description of what text a type accepts, for error messages. */
    public String expectation(ColumnType type) {
        switch (type) {
            case INT64:
                return "an integer within the 64-bit range (such as 42 or 42.0)";
            case FLOAT64:
                return "a decimal number (such as 528.69 or 1.5e3)";
            case BOOLEAN:
                return "true or false";
            case DATE:
                return "a date in the format '" + dateFormat.pattern() + "' (date.format)";
            case TIMESTAMP:
                return "a timestamp in the format '" + timestampFormat.pattern() + "' (timestamp.format)";
            default:
                return "text";
        }
    }

    TemporalFormat dateFormat() {
        return dateFormat;
    }

    /**
     * true or false in any letter case, as {@code text.toLowerCase(Locale.ROOT)} compares them: only the ASCII
     * letters lower-case to these letters, so an ASCII comparison ignoring case is the same test.
     */
    private static boolean isBoolean(CharSequence text) {
        return equalsIgnoringAsciiCase(text, "true") || equalsIgnoringAsciiCase(text, "false");
    }

    /** {@code lowerCase} must hold only lower-case ASCII letters. */
    private static boolean equalsIgnoringAsciiCase(CharSequence text, String lowerCase) {
        if (text.length() != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            if ((text.charAt(i) | 0x20) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
