package io.github.csvsampling.connect.schema;

import java.time.DateTimeException;
import java.time.Instant;

/**
 * The instants of time texts as a {@link TemporalFormat} parses them, remembered by text: a time column
 * usually repeats a few thousand distinct texts (a date per trading day) over millions of rows, and parsing
 * with a {@code DateTimeFormatter} costs about a microsecond, so a task starting on a large file would
 * otherwise spend most of its time there. Remembers up to {@value #MAX_ENTRIES} texts of at most
 * {@value #MAX_TEXT_LENGTH} characters (a few MB at most); beyond, texts are parsed each time. Failures are
 * not remembered: they are thrown each time, as the format throws them.
 *
 * <p>Not thread-safe: one per user.
 */
public final class InstantCache {

    static final int MAX_ENTRIES = 1 << 16;
    static final int MAX_TEXT_LENGTH = 64;

    private final TemporalFormat format;
    private String[] texts = new String[64];
    private Instant[] instants = new Instant[64];
    private int size;

    public InstantCache(TemporalFormat format) {
        this.format = format;
    }

    /**
     * The instant the text names, as {@link TemporalFormat#parseInstant} gives it.
     *
     * @throws DateTimeException when the text does not match the format
     */
    public Instant parse(CharSequence text) {
        Instant isoDate = format.isoDateInstant(text);
        if (isoDate != null) {
            return isoDate; // as cheap as a look-up
        }
        int mask = texts.length - 1;
        int slot = hash(text) & mask;
        for (String known = texts[slot]; known != null; known = texts[slot = (slot + 1) & mask]) {
            if (NullValues.sameText(known, text)) {
                return instants[slot];
            }
        }
        Instant instant = format.parseInstant(text);
        if (size < MAX_ENTRIES && text.length() <= MAX_TEXT_LENGTH) {
            texts[slot] = text.toString();
            instants[slot] = instant;
            if (++size * 2 > texts.length) {
                grow();
            }
        }
        return instant;
    }

    /**
     * {@code parse(text).toEpochMilli()}, without building an {@link Instant} for ISO dates in a zone of one offset:
     * the replay order takes every row's time this way.
     *
     * @throws DateTimeException   when the text does not match the format
     * @throws ArithmeticException when the instant is beyond the range of epoch milliseconds
     */
    public long epochMillis(CharSequence text) {
        long isoDate = format.isoDateEpochMillis(text);
        return isoDate != Long.MIN_VALUE ? isoDate : parse(text).toEpochMilli();
    }

    private void grow() {
        String[] oldTexts = texts;
        Instant[] oldInstants = instants;
        texts = new String[oldTexts.length * 2];
        instants = new Instant[oldTexts.length * 2];
        int mask = texts.length - 1;
        for (int i = 0; i < oldTexts.length; i++) {
            if (oldTexts[i] != null) {
                int slot = hash(oldTexts[i]) & mask;
                while (texts[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                texts[slot] = oldTexts[i];
                instants[slot] = oldInstants[i];
            }
        }
    }

    /** String's hash of the characters, spread over the low bits. */
    private static int hash(CharSequence text) {
        int h = 0;
        for (int i = 0; i < text.length(); i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}
