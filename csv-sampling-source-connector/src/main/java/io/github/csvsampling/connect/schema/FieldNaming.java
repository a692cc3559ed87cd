package io.github.csvsampling.connect.schema;

import java.util.Locale;

/** How header names become record field names ({@code field.names}). */
public enum FieldNaming {
    /** The header name exactly as written in the file. */
    ORIGINAL {
        @Override
        public String fieldName(String headerName) {
            return headerName;
        }
    },
    /**
     * Lower-case ASCII words joined by underscores, valid in Avro, Protobuf, Athena and Hive:
     * {@code Adj Close -> adj_close}, {@code CloseUSD -> close_usd}, {@code closePrice -> close_price}.
     * Characters other than ASCII letters and digits separate words; a name starting with a digit
     * gets a leading underscore. May return an empty string (a header of only punctuation).
     */
    SNAKE_CASE {
        @Override
        public String fieldName(String headerName) {
            StringBuilder out = new StringBuilder(headerName.length() + 4);
            int n = headerName.length();
            for (int i = 0; i < n; i++) {
                char c = headerName.charAt(i);
                if (!isAsciiLetterOrDigit(c)) {
                    separate(out);
                    continue;
                }
                if (Character.isUpperCase(c) && i > 0) {
                    char previous = headerName.charAt(i - 1);
                    boolean afterLowerOrDigit = Character.isLowerCase(previous) || Character.isDigit(previous);
                    boolean acronymEnds = Character.isUpperCase(previous)
                            && i + 1 < n && Character.isLowerCase(headerName.charAt(i + 1));
                    if (afterLowerOrDigit || acronymEnds) {
                        separate(out);
                    }
                }
                out.append(Character.toLowerCase(c));
            }
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) == '_') {
                end--;
            }
            out.setLength(end);
            if (out.length() > 0 && Character.isDigit(out.charAt(0))) {
                out.insert(0, '_');
            }
            return out.toString();
        }

        private void separate(StringBuilder out) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                out.append('_');
            }
        }

        private boolean isAsciiLetterOrDigit(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
    };

    /** The record field name for a header name. */
    public abstract String fieldName(String headerName);

    /** The name users write in {@code field.names}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
