package io.github.csvsampling.connect.schema;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * A {@link DateTimeFormatter} pattern applied strictly: {@code 2021-02-30} is an error, not
 * {@code 2021-02-28}. Patterns use the familiar {@code yyyy} (year of era, defaulted to the current
 * era) and may omit the time (midnight) and the offset (then {@code zone} applies).
 */
public final class TemporalFormat {

    private final String pattern;
    private final DateTimeFormatter formatter;
    private final ZoneId zone;

    private TemporalFormat(String pattern, DateTimeFormatter formatter, ZoneId zone) {
        this.pattern = pattern;
        this.formatter = formatter;
        this.zone = zone;
    }

    /**
     * @throws IllegalArgumentException when the pattern is not a valid {@link DateTimeFormatter} pattern
     */
    public static TemporalFormat of(String pattern, ZoneId zone) {
        DateTimeFormatter formatter = new DateTimeFormatterBuilder()
                .appendPattern(pattern)
                .parseDefaulting(ChronoField.ERA, 1)
                .toFormatter(Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);
        return new TemporalFormat(pattern, formatter, zone);
    }

    public String pattern() {
        return pattern;
    }

    /**
     * @throws DateTimeException when the text does not match the pattern or names no valid date
     */
    public LocalDate parseDate(String text) {
        return LocalDate.from(formatter.parse(text));
    }

    /**
     * The instant the text names: with its own offset or zone when the pattern has one, otherwise in
     * the configured zone, at midnight when the pattern has no time.
     *
     * @throws DateTimeException when the text does not match the pattern or names no valid instant
     */
    public Instant parseInstant(String text) {
        TemporalAccessor parsed = formatter.parseBest(text, ZonedDateTime::from, LocalDateTime::from, LocalDate::from);
        if (parsed instanceof ZonedDateTime) {
            return ((ZonedDateTime) parsed).toInstant();
        }
        if (parsed instanceof LocalDateTime) {
            return ((LocalDateTime) parsed).atZone(zone).toInstant();
        }
        return ((LocalDate) parsed).atStartOfDay(zone).toInstant();
    }

    /** True when {@link #parseDate} would succeed; for type inference. */
    public boolean isDate(String text) {
        try {
            parseDate(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** True when {@link #parseInstant} would succeed. */
    public boolean isInstant(String text) {
        try {
            parseInstant(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
