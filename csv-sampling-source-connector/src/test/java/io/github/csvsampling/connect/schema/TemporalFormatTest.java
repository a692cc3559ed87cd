package io.github.csvsampling.connect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TemporalFormatTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void parsesIsoDatesWithTheFamiliarYyyyPattern() {
        TemporalFormat format = TemporalFormat.of("yyyy-MM-dd", UTC);

        assertThat(format.parseDate("2021-06-30")).isEqualTo(LocalDate.of(2021, 6, 30));
        assertThat(format.parseDate("1965-12-31")).isEqualTo(LocalDate.of(1965, 12, 31));
        assertThat(format.isDate("2020-02-29")).as("leap day").isTrue();
        assertThat(format.pattern()).isEqualTo("yyyy-MM-dd");
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', value = {
            "dd/MM/yyyy|30/06/2021",
            "MM/dd/yyyy|06/30/2021",
            "d.M.yyyy|30.6.2021",
            "yyyyMMdd|20210630",
            "uuuu-MM-dd|2021-06-30",
            "dd MMM yyyy|30 Jun 2021",
            "yyyy-MM-dd HH:mm:ss|2021-06-30 14:05:00",
    })
    void otherPatternsGiveTheSameDate(String pattern, String text) {
        assertThat(TemporalFormat.of(pattern, UTC).parseDate(text)).isEqualTo(LocalDate.of(2021, 6, 30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2021-02-30", "2021-02-29", "2021-04-31", "2021-13-01", "2021-00-10", "2021-01-00",
            "2021-01-32", "2021-6-30", "21-06-30", "2021/06/30", "2021-06-30 ", " 2021-06-30", "2021-06-30T00:00",
            "", "yesterday", "20210630"})
    void invalidOrNonMatchingDatesAreRejectedNotAdjusted(String text) {
        TemporalFormat format = TemporalFormat.of("yyyy-MM-dd", UTC);

        assertThat(format.isDate(text)).isFalse();
        assertThatThrownBy(() -> format.parseDate(text)).isInstanceOf(DateTimeException.class);
    }

    @Test
    void timestampsWithAnOffsetUseIt() {
        TemporalFormat format = TemporalFormat.of("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]", NEW_YORK);

        assertThat(format.parseInstant("2021-06-30T14:00:00Z")).isEqualTo(Instant.parse("2021-06-30T14:00:00Z"));
        assertThat(format.parseInstant("2021-06-30T14:00:00+02:00"))
                .isEqualTo(Instant.parse("2021-06-30T12:00:00Z"));
        assertThat(format.parseInstant("2021-06-30T14:00:00.250-05:00"))
                .isEqualTo(Instant.parse("2021-06-30T19:00:00.250Z"));
    }

    @Test
    void timestampsWithoutAnOffsetAreInTheConfiguredZone() {
        TemporalFormat format = TemporalFormat.of("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]", NEW_YORK);

        // New York is UTC-4 in summer and UTC-5 in winter.
        assertThat(format.parseInstant("2021-06-30T14:00:00")).isEqualTo(Instant.parse("2021-06-30T18:00:00Z"));
        assertThat(format.parseInstant("2021-12-30T14:00:00.500"))
                .isEqualTo(Instant.parse("2021-12-30T19:00:00.500Z"));
        assertThat(TemporalFormat.of("yyyy-MM-dd HH:mm:ss", UTC).parseInstant("2021-06-30 14:00:00"))
                .isEqualTo(Instant.parse("2021-06-30T14:00:00Z"));
    }

    @Test
    void timestampsWithAZoneIdUseIt() {
        TemporalFormat format = TemporalFormat.of("yyyy-MM-dd HH:mm VV", UTC);

        assertThat(format.parseInstant("2021-06-30 14:00 Europe/Paris"))
                .isEqualTo(Instant.parse("2021-06-30T12:00:00Z"));
        assertThat(format.parseInstant("2021-01-15 14:00 Asia/Tokyo"))
                .isEqualTo(Instant.parse("2021-01-15T05:00:00Z"));
    }

    @Test
    void aDateOnlyPatternGivesMidnightInTheZone() {
        assertThat(TemporalFormat.of("yyyy-MM-dd", UTC).parseInstant("2021-06-30"))
                .isEqualTo(Instant.parse("2021-06-30T00:00:00Z"));
        assertThat(TemporalFormat.of("yyyy-MM-dd", NEW_YORK).parseInstant("2021-06-30"))
                .isEqualTo(Instant.parse("2021-06-30T04:00:00Z"));
        assertThat(TemporalFormat.of("dd/MM/yyyy", ZoneId.of("Asia/Kolkata")).parseInstant("01/01/2021"))
                .isEqualTo(Instant.parse("2020-12-31T18:30:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2021-06-30T24:00:00", "2021-06-30T14:60:00", "2021-02-30T10:00:00", "2021-06-30",
            "2021-06-30T14:00", "2021-06-30T14:00:00+25:00", "not a time", ""})
    void invalidTimestampsAreRejected(String text) {
        TemporalFormat format = TemporalFormat.of("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]", UTC);

        assertThat(format.isInstant(text)).isFalse();
        assertThatThrownBy(() -> format.parseInstant(text)).isInstanceOf(DateTimeException.class);
    }

    @Test
    void aPatternWithoutADateIsNoInstant() {
        TemporalFormat format = TemporalFormat.of("HH:mm", UTC);

        assertThat(format.isInstant("14:00")).isFalse();
        assertThat(format.isDate("14:00")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yyyy-MM-dd'", "{yyyy}", "yyyy-MM-dd#", "yyyy-MM-ddbb", "yyyy]",
            "yyyy-MM-dd'T'HH:mm:ss[XXX]]"})
    void invalidPatternsAreIllegalArguments(String pattern) {
        assertThatThrownBy(() -> TemporalFormat.of(pattern, UTC)).isInstanceOf(IllegalArgumentException.class);
    }

    /** parseInstant gives what DateTimeFormatter.parseBest(ZonedDateTime, LocalDateTime, LocalDate) gives. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "yyyy-MM-dd|2021-06-30",
        "yyyy-MM-dd HH:mm:ss|2021-03-14 02:30:00",
        "yyyy-MM-dd HH:mm:ss|2021-11-07 01:30:00",
        "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]|2021-06-30T14:00:00.250+05:30",
        "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]|2021-06-30T14:00:00",
        "yyyy-MM-dd HH:mm VV|2021-06-30 14:00 Europe/Paris",
        "yyyy-MM-dd XXX|2021-06-30 +02:00",
        "dd/MM/yyyy HH:mm|30/06/2021 23:59",
    })
    void instantsAreThoseOfParseBest(String pattern, String text) {
        java.time.format.DateTimeFormatter formatter = new java.time.format.DateTimeFormatterBuilder()
                .appendPattern(pattern).parseDefaulting(java.time.temporal.ChronoField.ERA, 1)
                .toFormatter(java.util.Locale.ROOT).withResolverStyle(java.time.format.ResolverStyle.STRICT);
        java.time.temporal.TemporalAccessor best = formatter.parseBest(text, java.time.ZonedDateTime::from,
                java.time.LocalDateTime::from, LocalDate::from);
        Instant expected = best instanceof java.time.ZonedDateTime ? ((java.time.ZonedDateTime) best).toInstant()
                : best instanceof java.time.LocalDateTime ? ((java.time.LocalDateTime) best).atZone(NEW_YORK).toInstant()
                : ((LocalDate) best).atStartOfDay(NEW_YORK).toInstant();

        assertThat(TemporalFormat.of(pattern, NEW_YORK).parseInstant(text)).isEqualTo(expected);
    }

    /**
     * ISO dates are read without the formatter (it is the costliest step of loading a date column): on every
     * text, valid or not, in zones of one offset and with daylight saving time (São Paulo moved its clocks at
     * midnight, so some days start at 01:00), the answers are the formatter's, which the same pattern written with
     * quoted hyphens still takes.
     */
    @Test
    void isoDatesReadWithoutTheFormatterGiveTheFormattersAnswers() {
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of("2021-06-30", "2020-02-29",
                "2021-02-29", "1900-02-29", "2000-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2021-13-01",
                "2021-00-10", "2021-01-00", "2021-04-31", "2021-1-05", "12021-01-05", "2021/06/30", "2018-11-04",
                "2018-11-03", "2019-02-16", "+021-01-01", "-021-01-01", "2021-06-3x", " 021-06-30", ""));
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 5_000; i++) {
            texts.add(String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33)));
        }
        for (ZoneId zone : java.util.List.of(UTC, ZoneId.of("UTC"), ZoneId.of("+05:30"), NEW_YORK,
                ZoneId.of("America/Sao_Paulo"))) {
            for (String year : java.util.List.of("yyyy", "uuuu")) {
                TemporalFormat fast = TemporalFormat.of(year + "-MM-dd", zone);
                TemporalFormat formatter = TemporalFormat.of(year + "'-'MM'-'dd", zone);
                for (String text : texts) {
                    assertThat(fast.isDate(text)).as("%s isDate %s in %s", year, text, zone)
                            .isEqualTo(formatter.isDate(text));
                    assertThat(fast.isInstant(text)).as("%s isInstant %s", year, text).isEqualTo(formatter.isInstant(text));
                    if (formatter.isDate(text)) {
                        assertThat(fast.parseDate(text)).as("%s parseDate %s", year, text)
                                .isEqualTo(formatter.parseDate(text));
                        assertThat(fast.parseInstant(text)).as("%s parseInstant %s in %s", year, text, zone)
                                .isEqualTo(formatter.parseInstant(text));
                    }
                }
            }
        }
    }

    @Test
    void epochDaysAreThoseOfLocalDate() {
        for (LocalDate day = LocalDate.of(1, 1, 1); day.getYear() < 10_000; day = day.plusDays(1)) {
            assertThat(TemporalFormat.epochDay(day.getYear(), day.getMonthValue(), day.getDayOfMonth()))
                    .as("%s", day).isEqualTo(day.toEpochDay());
        }
    }
}
