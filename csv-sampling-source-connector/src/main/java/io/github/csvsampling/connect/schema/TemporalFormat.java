package io.github.csvsampling.connect.schema;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.Year;
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
        int date = isoDate(text);
        if (date >= 0) {
            return LocalDate.of(date / 10_000, date / 100 % 100, date % 100);
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
        return isoDate(text) >= 0;
    }

    /**
     * The text as {@code year * 10000 + month * 100 + day} when {@link #isIsoDate} holds, else -1: one pass over
     * the characters, over the bytes of a field read where it lies ({@link AsciiText}).
     */
    private int isoDate(CharSequence text) {
        if (!isoDatePattern || text.length() != 10) {
            return -1;
        }
        int year;
        int month;
        int day;
        if (text instanceof AsciiText) {
            AsciiText ascii = (AsciiText) text;
            byte[] b = ascii.bytes;
            int f = ascii.from;
            if (b[f + 4] != '-' || b[f + 7] != '-') {
                return -1;
            }
            year = digit(b[f]) * 1000 + digit(b[f + 1]) * 100 + digit(b[f + 2]) * 10 + digit(b[f + 3]);
            month = digit(b[f + 5]) * 10 + digit(b[f + 6]);
            day = digit(b[f + 8]) * 10 + digit(b[f + 9]);
        } else {
            if (text.charAt(4) != '-' || text.charAt(7) != '-') {
                return -1;
            }
            year = digit(text.charAt(0)) * 1000 + digit(text.charAt(1)) * 100 + digit(text.charAt(2)) * 10
                    + digit(text.charAt(3));
            month = digit(text.charAt(5)) * 10 + digit(text.charAt(6));
            day = digit(text.charAt(8)) * 10 + digit(text.charAt(9));
        }
        // A character that is not a digit makes its part negative (digit gives -100000).
        if (year <= 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))) {
            return -1;
        }
        return year * 10_000 + month * 100 + day;
    }

    /** The value of a decimal digit, or a number so negative that any part holding it stays negative. */
    private static int digit(int c) {
        return c >= '0' && c <= '9' ? c - '0' : -100_000;
    }

    /**
     * The instant of the text when {@link #isIsoDate} holds (midnight in the zone, as {@link #parseInstant} gives
     * it), else null.
     */
    Instant isoDateInstant(CharSequence text) {
        int date = isoDate(text);
        if (date < 0) {
            return null;
        }
        if (fixedOffset != null) {
            return Instant.ofEpochSecond(startOfDaySeconds(date));
        }
        return LocalDate.of(date / 10_000, date / 100 % 100, date % 100).atStartOfDay(zone).toInstant();
    }

    /**
     * {@code parseInstant(text).toEpochMilli()} when {@link #isIsoDate} holds in a zone of one offset (UTC,
     * +02:00), computed without building the objects on the way; else {@link Long#MIN_VALUE}.
     */
    long isoDateEpochMillis(CharSequence text) {
        int date = fixedOffset == null ? -1 : isoDate(text);
        return date < 0 ? Long.MIN_VALUE : startOfDaySeconds(date) * 1000;
    }

    /** What {@code atStartOfDay} gives for a packed ISO date in the zone of one offset, in epoch seconds. */
    private long startOfDaySeconds(int date) {
        return epochDay(date / 10_000, date / 100 % 100, date % 100) * 86_400 - fixedOffset.getTotalSeconds();
    }

    /** {@code LocalDate.of(year, month, day).toEpochDay()} for a valid date of a year from 1, without the object. */
    static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367 * month - 362) / 12 + day - 1;
        if (month > 2) {
            total -= java.time.Year.isLeap(year) ? 1 : 2;
        }
        return total - DAYS_0000_TO_1970;
    }

    /** Days from 0000-01-01 to 1970-01-01, as {@link LocalDate#toEpochDay()} counts them. */
    private static final long DAYS_0000_TO_1970 = 146_097L * 5 - (30L * 365 + 7);

    /** True when {@link #parseDate} would succeed; for type inference. */
    public boolean isDate(CharSequence text) {
        if (isoDate(text) >= 0) {
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
