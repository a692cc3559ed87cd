package io.github.csvsampling.connect.schema;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
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
        // One parse, then queries: DateTimeFormatter.parseBest would try ZonedDateTime and LocalDateTime first
        // and throw (and fill in) an exception for each that a date-only pattern cannot give, on every row.
        TemporalAccessor parsed = formatter.parse(text);
        LocalTime time = parsed.query(TemporalQueries.localTime());
        if (time != null && parsed.query(TemporalQueries.zone()) != null) {
            return ZonedDateTime.from(parsed).toInstant();
        }
        LocalDate date = parsed.query(TemporalQueries.localDate());
        if (date == null) {
            throw new DateTimeException("Text '" + text + "' names no date with pattern '" + pattern + "'");
        }
        return (time == null ? date.atStartOfDay(zone) : LocalDateTime.of(date, time).atZone(zone)).toInstant();
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
