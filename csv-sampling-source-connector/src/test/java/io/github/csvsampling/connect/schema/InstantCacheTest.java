package io.github.csvsampling.connect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class InstantCacheTest {

    private static final TemporalFormat DAY_FIRST = TemporalFormat.of("dd/MM/yyyy", ZoneId.of("Europe/Paris"));

    private static AsciiText ascii(String text) {
        AsciiText ascii = new AsciiText();
        ascii.set(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length());
        return ascii;
    }

    @Test
    void givesTheFormatsInstantsWhetherRememberedOrNot() {
        InstantCache cache = new InstantCache(DAY_FIRST);

        for (int pass = 0; pass < 2; pass++) {
            for (int day = 1; day <= 28; day++) {
                String text = String.format("%02d/02/2021", day);
                assertThat(cache.parse(text)).isEqualTo(DAY_FIRST.parseInstant(text));
                assertThat(cache.parse(ascii(text))).isEqualTo(DAY_FIRST.parseInstant(text));
            }
        }
    }

    @Test
    void beyondItsCapacityTextsAreStillParsed() {
        TemporalFormat seconds = TemporalFormat.of("yyyy-MM-dd HH:mm:ss", ZoneId.of("UTC"));
        InstantCache cache = new InstantCache(seconds);

        for (int i = 0; i < InstantCache.MAX_ENTRIES + 1_000; i += 7) {
            String text = String.format("2021-01-01 %02d:%02d:%02d", i / 3600 % 24, i / 60 % 60, i % 60);
            String later = String.format("2022-01-01 %02d:%02d:%02d", i / 3600 % 24, i / 60 % 60, i % 60);
            assertThat(cache.parse(text)).isEqualTo(seconds.parseInstant(text));
            assertThat(cache.parse(later)).isEqualTo(seconds.parseInstant(later));
        }
        String longText = "2021-01-01 00:00:00" + " ".repeat(InstantCache.MAX_TEXT_LENGTH);
        assertThatThrownBy(() -> cache.parse(longText)).isInstanceOf(DateTimeException.class);
    }

    @Test
    void aTextThatDoesNotParseFailsEveryTime() {
        InstantCache cache = new InstantCache(DAY_FIRST);

        assertThatThrownBy(() -> cache.parse("30/02/2021")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> cache.parse(ascii("30/02/2021"))).isInstanceOf(DateTimeException.class);
    }
}
