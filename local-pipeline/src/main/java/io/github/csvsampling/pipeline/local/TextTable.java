package io.github.csvsampling.pipeline.local;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.csvsampling.lake.DuckDbLake;

/** Renders a query result as a plain-text table with aligned columns, for the terminal. */
final class TextTable {

    private static final DateTimeFormatter ATHENA_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS",
            Locale.ROOT);

    private TextTable() {
    }

    /** The table with at most {@code maxRows} rows, and a line saying how many more there are. */
    static String render(DuckDbLake.Table table, int maxRows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(table.columns());
        for (List<Object> row : table.rows().subList(0, Math.min(maxRows, table.rows().size()))) {
            cells.add(row.stream().map(TextTable::text).toList());
        }
        int[] widths = new int[table.columns().size()];
        for (List<String> row : cells) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            List<String> row = cells.get(r);
            for (int c = 0; c < row.size(); c++) {
                String pad = " ".repeat(widths[c] - row.get(c).length());
                boolean numeric = r > 0 && c < table.rows().get(r - 1).size() && table.rows().get(r - 1).get(c) instanceof Number;
                out.append(c == 0 ? "" : "  ").append(numeric ? pad + row.get(c) : row.get(c) + pad);
            }
            out.append('\n');
            if (r == 0) {
                for (int c = 0; c < widths.length; c++) {
                    out.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
                }
                out.append('\n');
            }
        }
        if (table.rows().size() > maxRows) {
            out.append("(").append(table.rows().size() - maxRows).append(" more rows)\n");
        }
        return out.toString();
    }

    private static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double) {
            return String.format(Locale.ROOT, "%.2f", (Double) value);
        }
        if (value instanceof LocalDateTime) {
            // As Athena shows a timestamp(3); LocalDateTime.toString() would drop zero seconds and milliseconds.
            return ATHENA_TIMESTAMP.format((LocalDateTime) value);
        }
        return value.toString();
    }
}
