package io.github.csvsampling.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.csvsampling.lake.DuckDbLake;

/**
 * A query of {@code athena-queries.sql}: its name, the comment lines under its {@code -- name:} line (what the page
 * shows as its description) and its SQL, as {@link DuckDbLake#namedQueries(String)} reads it.
 */
record NamedQuery(String name, String description, String sql) {

    private static final Pattern HEADER = Pattern.compile("^-- name: (\\w+)\\s*$");

    /** Every named query of the file, in its order. */
    static List<NamedQuery> parse(String file) {
        Map<String, String> sql = DuckDbLake.namedQueries(file);
        List<NamedQuery> queries = new ArrayList<>();
        String[] lines = file.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = HEADER.matcher(lines[i]);
            if (m.matches() && sql.containsKey(m.group(1))) {
                StringBuilder description = new StringBuilder();
                for (int j = i + 1; j < lines.length && lines[j].startsWith("--"); j++) {
                    description.append(description.length() == 0 ? "" : " ")
                            .append(lines[j].replaceFirst("^--\\s?", "").strip());
                }
                String text = sql.get(m.group(1)).replaceFirst("^(\\s*--[^\n]*\n)+", "").strip();
                queries.add(new NamedQuery(m.group(1), description.toString().strip(), text));
            }
        }
        return queries;
    }
}
