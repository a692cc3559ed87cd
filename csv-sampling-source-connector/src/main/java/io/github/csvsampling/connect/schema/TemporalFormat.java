package io.github.csvsampling.connect.schema;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    private final boolean isoDatePattern;
    /** The zone's offset when it never changes (UTC, +02:00), else null. */
    private final ZoneOffset fixedOffset;

    private TemporalFormat(String pattern, DateTimeFormatter formatter, ZoneId zone) {
        this.pattern = pattern;
        this.formatter = formatter;
        this.zone = zone;
        this.isoDatePattern = "yyyy-MM-dd".equals(pattern) || "uuuu-MM-dd".equals(pattern);
        this.fixedOffset = zone.getRules().isFixedOffset() ? zone.getRules().getOffset(Instant.EPOCH) : null;
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
    public LocalDate parseDate(CharSequence text) {
        if (isIsoDate(text)) {
            return LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
        }
        return LocalDate.from(formatter.parse(text));
    }

    /**
     * The instant the text names: with its own offset or zone when the pattern has one, otherwise in
     * the configured zone, at midnight when the pattern has no time.
     *
     * @throws DateTimeException when the text does not match the pattern or names no valid instant
     */
    public Instant parseInstant(CharSequence text) {
        Instant isoDate = isoDateInstant(text);
        if (isoDate != null) {
            return isoDate;
        }
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

    /**
     * True when the pattern is the ISO date ({@code yyyy-MM-dd} or {@code uuuu-MM-dd}) and the text a valid date
     * as that pattern writes it (four digits of a year from 1, a month, a day that exists): the formatter would
     * accept it and write it back unchanged. Checked on the characters, without the formatter, whose parse is the
     * costliest step of reading a date (it runs for every row of a date column while a file loads, and for every
     * date a record carries). False says nothing: the formatter decides.
     */
    public boolean isIsoDate(CharSequence text) {
        if (isoDatePattern && text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            return year > 0 && month >= 1 && month <= 12 && day >= 1
                    && day <= java.time.Month.of(month).length(java.time.Year.isLeap(year));
        }
        return false;
    }

    /**
     * The instant of the text when {@link #isIsoDate} holds (midnight in the zone, as {@link #parseInstant} gives
     * it), else null.
     */
    Instant isoDateInstant(CharSequence text) {
        if (!isIsoDate(text)) {
            return null;
        }
        LocalDate date = LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
        if (fixedOffset != null) {
            return Instant.ofEpochSecond(startOfDaySeconds(date));
        }
        return date.atStartOfDay(zone).toInstant();
    }

    /**
     * {@code parseInstant(text).toEpochMilli()} when {@link #isIsoDate} holds in a zone of one offset (UTC,
     * +02:00), computed without building the objects on the way; else {@link Long#MIN_VALUE}.
     */
    long isoDateEpochMillis(CharSequence text) {
        if (fixedOffset == null || !isIsoDate(text)) {
            return Long.MIN_VALUE;
        }
        return startOfDaySeconds(LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10))) * 1000;
    }

    /** What {@code atStartOfDay} gives in the zone of one offset, in epoch seconds. */
    private long startOfDaySeconds(LocalDate date) {
        return date.toEpochDay() * 86_400 - fixedOffset.getTotalSeconds();
    }

    /** The number the decimal digits from {@code from} to {@code to} write, or -1 when one is not a digit. */
    private static int digits(CharSequence text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** True when {@link #parseDate} would succeed; for type inference. */
    public boolean isDate(CharSequence text) {
        if (isIsoDate(text)) {
            return true;
        }
        try {
            parseDate(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** True when {@link #parseInstant} would succeed. */
    public boolean isInstant(CharSequence text) {
        try {
            parseInstant(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
