package io.github.csvsampling.connect.schema;

import java.util.Set;

/**
 * The field texts that stand for a missing value ({@code csv.null.values}), matched against any character
 * sequence without hashing it: a field whose length no null value has (most fields, with the default of the
 * empty text and {@code null}) is told apart by one bit test.
 */
public final class NullValues {

    private final String[] values;
    /** Bit {@code n} set when a null value has {@code n} characters (n below 64); longer ones set bit 63. */
    private final long lengths;

    public NullValues(Set<String> values) {
        this.values = Set.copyOf(values).toArray(new String[0]);
        long bits = 0;
        for (String value : this.values) {
            bits |= 1L << Math.min(value.length(), 63);
        }
        this.lengths = bits;
    }

    /** True when the text is one of the null values. */
    public boolean matches(CharSequence text) {
        int length = text.length();
        if ((lengths & 1L << Math.min(length, 63)) == 0) {
            return false;
        }
        for (String value : values) {
            if (sameText(value, text)) {
                return true;
            }
        }
        return false;
    }

    /** {@code known.contentEquals(text)}, compared here so that the call to charAt sees only this package's texts. */
    static boolean sameText(String known, CharSequence text) {
        int length = known.length();
        if (length != text.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (known.charAt(i) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
