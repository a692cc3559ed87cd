package io.github.csvsampling.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.csvsampling.lake.AthenaDdl;

/**
 * {@code athena-ddl.sql} as Trino's Hive connector takes it. Athena's DDL is Hive DDL, which Trino does not accept, so
 * the statements are derived from the parsed file: the database becomes a schema; the external table keeps its
 * columns, types, partition columns, SerDe (as Trino's table format) and partition projection (each Athena
 * {@code projection.*} property as the Trino table or column property of the same meaning), with {@code s3://bucket/}
 * in LOCATION and the location template mapped to the local folder that holds the buckets; the view is taken
 * verbatim. A property or type this mapping does not know fails, so nothing of the DDL is silently dropped.
 */
final class TrinoTables {

    private static final Map<String, String> FORMATS = Map.of(
            "org.apache.hive.hcatalog.data.JsonSerDe", "JSON",
            "org.openx.data.jsonserde.JsonSerDe", "OPENX_JSON");
    private static final Map<String, String> TYPES = Map.of(
            "string", "varchar", "double", "double", "bigint", "bigint", "int", "integer");
    private static final Pattern COLUMN_PROPERTY = Pattern.compile("projection\\.(\\w+)\\.(type|range|digits)");

    private TrinoTables() {
    }

    /** The statements to run on Trino, in the file's order, reading the buckets under {@code bucketsRoot}. */
    static List<String> statements(AthenaDdl ddl, Path bucketsRoot) {
        List<String> statements = new ArrayList<>();
        for (String statement : ddl.statements()) {
            if (statement.startsWith("CREATE DATABASE")) {
                statements.add("CREATE SCHEMA IF NOT EXISTS " + ddl.database());
            } else if (statement.startsWith("CREATE EXTERNAL TABLE")) {
                statements.add(table(ddl, bucketsRoot));
            } else {
                statements.add(statement);
            }
        }
        return statements;
    }

    private static String table(AthenaDdl ddl, Path bucketsRoot) {
        Map<String, String> p = ddl.properties();
        for (String key : p.keySet()) {
            if (!key.equals("projection.enabled") && !key.equals("storage.location.template")
                    && !COLUMN_PROPERTY.matcher(key).matches()) {
                throw new IllegalArgumentException("no Trino equivalent for the table property " + key);
            }
        }
        List<String> columns = new ArrayList<>();
        ddl.columns().forEach((name, type) -> columns.add(quoted(name) + " " + type(type)));
        ddl.partitionColumns().forEach((name, type) -> columns.add(quoted(name) + " " + type(type)
                + projection(name, p)));
        String format = FORMATS.get(ddl.serde());
        if (format == null) {
            throw new IllegalArgumentException("no Trino format for the SerDe " + ddl.serde());
        }
        return "CREATE TABLE " + ddl.database() + "." + ddl.tableName() + " (\n  " + String.join(",\n  ", columns)
                + "\n) WITH (\n  format = '" + format + "',\n  external_location = '" + local(ddl.location(), bucketsRoot)
                + "',\n  partitioned_by = ARRAY[" + ddl.partitionColumns().keySet().stream().map(c -> "'" + c + "'")
                        .collect(Collectors.joining(", "))
                + "],\n  partition_projection_enabled = " + Boolean.parseBoolean(p.getOrDefault("projection.enabled", "false"))
                + (p.containsKey("storage.location.template") ? ",\n  partition_projection_location_template = '"
                        + local(p.get("storage.location.template"), bucketsRoot) + "'" : "")
                + "\n)";
    }

    /** The column properties of a partition column's projection ({@code projection.<column>.type/range/digits}). */
    private static String projection(String column, Map<String, String> p) {
        List<String> properties = new ArrayList<>();
        String prefix = "projection." + column + ".";
        if (p.containsKey(prefix + "type")) {
            properties.add("partition_projection_type = '" + p.get(prefix + "type") + "'");
        }
        if (p.containsKey(prefix + "range")) {
            properties.add("partition_projection_range = ARRAY[" + java.util.Arrays.stream(p.get(prefix + "range")
                    .split(",")).map(v -> "'" + v.strip() + "'").collect(Collectors.joining(", ")) + "]");
        }
        if (p.containsKey(prefix + "digits")) {
            properties.add("partition_projection_digits = " + Integer.parseInt(p.get(prefix + "digits")));
        }
        return properties.isEmpty() ? "" : " WITH (" + String.join(", ", properties) + ")";
    }

    /** {@code s3://bucket/key} as the Hive connector's local file system URI of {@code <bucketsRoot>/bucket/key}. */
    static String local(String s3, Path bucketsRoot) {
        Matcher m = Pattern.compile("s3://(.+)").matcher(s3);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an s3:// location: " + s3);
        }
        return "local://" + bucketsRoot.toAbsolutePath() + "/" + m.group(1);
    }

    private static String type(String hiveType) {
        String type = TYPES.get(hiveType.toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new IllegalArgumentException("no Trino type for the Hive type " + hiveType);
        }
        return type;
    }

    private static String quoted(String name) {
        return '"' + name + '"';
    }
}
