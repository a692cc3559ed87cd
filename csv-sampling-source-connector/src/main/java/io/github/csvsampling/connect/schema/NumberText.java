package io.github.csvsampling.connect.schema;

import java.math.BigDecimal;

/**
 * Recognises decimal number text ({@code [+-]digits[.digits][e[+-]digits]}) without regular
 * expressions or exceptions on the hot path, and converts integral text such as {@code 123.0} to
 * a {@code long}. Deliberately stricter than {@link Double#parseDouble}: hexadecimal, {@code NaN},
 * {@code Infinity}, type suffixes ({@code 1d}, {@code 2f}) and surrounding spaces are not numbers.
 */
final class NumberText {

    private NumberText() {
    }

    /** True when {@code text} is a finite decimal number. */
    static boolean isNumber(CharSequence text) {
        if (text instanceof AsciiText && isPlainDecimal((AsciiText) text)) {
            return true;
        }
        int scanned = scanBits(text);
        if (scanned < 0) {
            return false;
        }
        // Without an exponent, at most 308 integer digits stay below Double.MAX_VALUE (1.79e308): finite, no parse needed.
        if ((scanned & EXPONENT) == 0 && scanned >>> DIGITS_SHIFT <= 308) {
            return true;
        }
        return Double.isFinite(Double.parseDouble(text.toString()));
    }

    /** True when {@code text} is a decimal number whose value is an integer that fits in a long. */
    static boolean isInt64(CharSequence text) {
        if (text instanceof AsciiText && isSmallIntegral((AsciiText) text)) {
            return true;
        }
        // Fast path, as in toInt64: up to 18 digits (no overflow possible), optionally a point and zeros.
        int n = text.length();
        int i = n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        int start = i;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 18) {
            i++;
        }
        if (i > start && (i == n || text.charAt(i) == '.')) {
            int end = i == n ? n : i + 1;
            while (end < n && text.charAt(end) == '0') {
                end++;
            }
            if (end == n) {
                return true;
            }
        }
        String string = text.toString();
        Shape shape = scan(string);
        if (shape == Shape.NOT_A_NUMBER) {
            return false;
        }
        try {
            toInt64(string, shape);
            return true;
        } catch (NumberFormatException | ArithmeticException e) {
            return false;
        }
    }

    /**
     * True when the text is {@code [+-]digits[.digits]} (at least one digit) with at most 308 integer digits: a
     * finite number, as {@link #isNumber} finds it. False says nothing. Reads the bytes directly: this check runs
     * for every value of every number column while a file loads.
     */
    private static boolean isPlainDecimal(AsciiText text) {
        byte[] b = text.bytes;
        int end = text.from + text.length;
        int i = text.from;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        int intStart = i;
        while (i < end && isDigit(b[i])) {
            i++;
        }
        int intDigits = i - intStart;
        int fractionDigits = 0;
        if (i < end && b[i] == '.') {
            int fractionStart = ++i;
            while (i < end && isDigit(b[i])) {
                i++;
            }
            fractionDigits = i - fractionStart;
        }
        return i == end && intDigits + fractionDigits > 0 && intDigits <= 308;
    }

    /**
     * True when the text is {@code [+-]digits[.zeros]} with 1 to 18 digits: an integer that fits a long, as
     * {@link #isInt64} finds it. False says nothing.
     */
    private static boolean isSmallIntegral(AsciiText text) {
        byte[] b = text.bytes;
        int end = text.from + text.length;
        int i = text.from;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        int start = i;
        while (i < end && isDigit(b[i]) && i - start < 18) {
            i++;
        }
        if (i == start) {
            return false;
        }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && b[i] == '0') {
                i++;
            }
        }
        return i == end;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * The value of integral number text.
     *
     * @throws NumberFormatException when the text is not an integral number within the long range
     */
    static long toInt64(String text) {
        // Fast path: up to 18 digits (no overflow possible), optionally followed by a point and zeros.
        int n = text.length();
        int i = n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        int start = i;
        long value = 0;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 18) {
            value = value * 10 + (text.charAt(i++) - '0');
        }
        if (i > start && (i == n || text.charAt(i) == '.')) {
            int end = i == n ? n : i + 1;
            while (end < n && text.charAt(end) == '0') {
                end++;
            }
            if (end == n) {
                return text.charAt(0) == '-' ? -value : value;
            }
        }
        Shape shape = scan(text);
        if (shape == Shape.NOT_A_NUMBER) {
            throw new NumberFormatException("not a number: '" + text + "'");
        }
        try {
            return toInt64(text, shape);
        } catch (ArithmeticException e) {
            throw new NumberFormatException("not an integer within the 64-bit range: '" + text + "'");
        }
    }

    /**
     * The value of decimal number text, exactly as {@link Double#parseDouble} gives it. Plain decimals
     * of up to 15 significant digits and 22 fraction digits, such as every price in the reference file,
     * take a fast path: their digits as a long, divided by a power of ten, which is exact because both
     * are exactly representable doubles and IEEE division rounds correctly (Clinger's fast path).
     * Anything else goes to {@link Double#parseDouble}.
     */
    static double toFloat64(String text) {
        int n = text.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i++;
        }
        long digits = 0;
        int fractionDigits = -1;
        boolean any = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = digits * 10 + (c - '0');
                if (digits > MAX_EXACT_DIGITS) {
                    return Double.parseDouble(text);
                }
                any = true;
                if (fractionDigits >= 0) {
                    fractionDigits++;
                }
            } else if (c == '.' && fractionDigits < 0) {
                fractionDigits = 0;
            } else {
                return Double.parseDouble(text);
            }
        }
        if (!any || fractionDigits >= EXACT_POWERS_OF_TEN.length) {
            return Double.parseDouble(text);
        }
        double value = fractionDigits <= 0 ? digits : digits / EXACT_POWERS_OF_TEN[fractionDigits];
        return negative ? -value : value;
    }

    /** Digits beyond this no longer fit a double exactly (2^53 - 1 > 10^15). */
    private static final long MAX_EXACT_DIGITS = 999_999_999_999_999L;
    /** 10^0 to 10^22: the powers of ten that are exact doubles. */
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    };

    private static long toInt64(String text, Shape shape) {
        switch (shape) {
            case INTEGER:
                return Long.parseLong(text);
            case ZERO_FRACTION:
                return Long.parseLong(text.substring(0, text.indexOf('.')));
            default:
                return new BigDecimal(text).longValueExact();
        }
    }

    private enum Shape { NOT_A_NUMBER, INTEGER, ZERO_FRACTION, OTHER }

    private static Shape scan(CharSequence s) {
        int scanned = scanBits(s);
        return scanned < 0 ? Shape.NOT_A_NUMBER : SHAPES[scanned & SHAPE_BITS];
    }

    private static final Shape[] SHAPES = Shape.values();
    private static final int SHAPE_BITS = 3;
    private static final int EXPONENT = 4;
    private static final int DIGITS_SHIFT = 3;
    private static final int MAX_COUNTED_DIGITS = 1 << 20;

    /**
     * The shape of number text in one pass: -1 when it is not a number, else the {@link Shape} ordinal, the
     * {@link #EXPONENT} bit and the count of integer digits (capped) from {@link #DIGITS_SHIFT} on.
     */
    private static int scanBits(CharSequence s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = countDigits(s, i);
        i += intDigits;
        boolean zeroFraction = true;
        int fractionDigits = 0;
        boolean hasPoint = i < n && s.charAt(i) == '.';
        if (hasPoint) {
            i++;
            int start = i;
            fractionDigits = countDigits(s, i);
            for (int j = start; j < start + fractionDigits; j++) {
                zeroFraction &= s.charAt(j) == '0';
            }
            i += fractionDigits;
        }
        if (intDigits + fractionDigits == 0) {
            return -1;
        }
        boolean hasExponent = i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E');
        if (hasExponent) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = countDigits(s, i);
            if (expDigits == 0) {
                return -1;
            }
            i += expDigits;
        }
        if (i != n) {
            return -1;
        }
        Shape shape;
        if (hasExponent || intDigits == 0) {
            shape = Shape.OTHER;
        } else if (!hasPoint) {
            shape = Shape.INTEGER;
        } else {
            shape = zeroFraction ? Shape.ZERO_FRACTION : Shape.OTHER;
        }
        return Math.min(intDigits, MAX_COUNTED_DIGITS) << DIGITS_SHIFT | (hasExponent ? EXPONENT : 0) | shape.ordinal();
    }

    private static int countDigits(CharSequence s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }
}
