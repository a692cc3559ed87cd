package io.github.csvsampling.connect.schema;

import java.nio.charset.StandardCharsets;

/**
 * Text made of ASCII bytes, read where they lie in a byte array, each byte one character: a field of a plain CSV
 * record (only ASCII bytes, no quote, escape or NUL), as the record reader finds it. One instance is pointed at
 * each row's field in turn, so that loading a file checks millions of fields without a String each; a String is
 * made only when the text is kept ({@link #toString()}). The checks of {@link ValueTyping} read such text byte
 * by byte, with the same results as on the String.
 */
public final class AsciiText implements CharSequence {

    byte[] bytes;
    int from;
    int length;

    /** Points this text at {@code length} ASCII bytes of {@code bytes} from {@code from}. */
    public void set(byte[] bytes, int from, int length) {
        if (this.bytes != bytes) {
            this.bytes = bytes; // a reference store only when the buffer changes: it costs a GC barrier
        }
        this.from = from;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " of " + length);
        }
        return (char) bytes[from + index]; // ASCII: never negative
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }
}
