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
    static boolean isNumber(String text) {
        return scan(text) != Shape.NOT_A_NUMBER && Double.isFinite(Double.parseDouble(text));
    }

    /** True when {@code text} is a decimal number whose value is an integer that fits in a long. */
    static boolean isInt64(String text) {
        Shape shape = scan(text);
        if (shape == Shape.NOT_A_NUMBER) {
            return false;
        }
        try {
            toInt64(text, shape);
            return true;
        } catch (NumberFormatException | ArithmeticException e) {
            return false;
        }
    }

    /**
     * The value of integral number text.
     *
     * @throws NumberFormatException when the text is not an integral number within the long range
     */
    static long toInt64(String text) {
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

    private static Shape scan(String s) {
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
            return Shape.NOT_A_NUMBER;
        }
        boolean hasExponent = i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E');
        if (hasExponent) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = countDigits(s, i);
            if (expDigits == 0) {
                return Shape.NOT_A_NUMBER;
            }
            i += expDigits;
        }
        if (i != n) {
            return Shape.NOT_A_NUMBER;
        }
        if (hasExponent || intDigits == 0) {
            return Shape.OTHER;
        }
        if (!hasPoint) {
            return Shape.INTEGER;
        }
        return zeroFraction ? Shape.ZERO_FRACTION : Shape.OTHER;
    }

    private static int countDigits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }
}
