package io.github.csvsampling.lake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the local pipeline and the tests need from {@code athena-ddl.sql}: the statements, the table's columns, partition columns,
 * location and properties, and the view. A small reader of the file's own shape, not a Hive DDL parser.
 */
public record AthenaDdl(List<String> statements, String database, String tableName, Map<String, String> columns,
        Map<String, String> partitionColumns, String serde, String location, Map<String, String> properties,
        String viewName, String viewStatement) {

    private static final Pattern TABLE = Pattern.compile(
            "CREATE EXTERNAL TABLE IF NOT EXISTS (\\w+)\\.(\\w+) \\((.*?)\\)\\s*PARTITIONED BY \\((.*?)\\)\\s*"
                    + "ROW FORMAT SERDE '([^']+)'.*?LOCATION '([^']+)'\\s*TBLPROPERTIES \\((.*)\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile("^`?(\\w+)`?\\s+(\\w+)$");
    private static final Pattern PROPERTY = Pattern.compile("'([^']+)'\\s*=\\s*'([^']*)'");
    private static final Pattern VIEW = Pattern.compile("CREATE OR REPLACE VIEW (\\w+)\\.(\\w+) AS\\s.*", Pattern.DOTALL);

    public static AthenaDdl parse(String sql) {
        List<String> statements = statements(sql);
        String database = null;
        String table = null;
        Map<String, String> columns = null;
        Map<String, String> partitions = null;
        String serde = null;
        String location = null;
        Map<String, String> properties = new LinkedHashMap<>();
        String view = null;
        String viewStatement = null;
        for (String statement : statements) {
            Matcher t = TABLE.matcher(statement);
            Matcher v = VIEW.matcher(statement);
            if (statement.startsWith("CREATE DATABASE IF NOT EXISTS ")) {
                database = statement.substring("CREATE DATABASE IF NOT EXISTS ".length()).trim();
            } else if (t.matches()) {
                if (!t.group(1).equals(database)) {
                    throw new IllegalArgumentException("the table is not in the database the file creates");
                }
                table = t.group(2);
                columns = columns(t.group(3));
                partitions = columns(t.group(4));
                serde = t.group(5);
                location = t.group(6);
                Matcher p = PROPERTY.matcher(t.group(7));
                while (p.find()) {
                    properties.put(p.group(1), p.group(2));
                }
            } else if (v.matches()) {
                if (!v.group(1).equals(database)) {
                    throw new IllegalArgumentException("the view is not in the database the file creates");
                }
                view = v.group(2);
                viewStatement = statement;
            } else {
                throw new IllegalArgumentException("unexpected statement in athena-ddl.sql: " + statement);
            }
        }
        if (database == null || table == null || view == null) {
            throw new IllegalArgumentException("athena-ddl.sql must create a database, a table and a view");
        }
        return new AthenaDdl(statements, database, table, columns, partitions, serde, location, properties, view,
                viewStatement);
    }

    /** The same objects with the table's LOCATION in another bucket, such as the local pipeline's. */
    public AthenaDdl withLocationBucket(String bucket) {
        return new AthenaDdl(statements, database, tableName, columns, partitionColumns, serde,
                location.replaceFirst("^s3://[^/]+/", "s3://" + bucket + "/"), properties, viewName, viewStatement);
    }

    /** The statements of a SQL file, without comment lines, each without its closing semicolon. */
    public static List<String> statements(String sql) {
        StringBuilder text = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : text.toString().split(";\\s*(\n|$)")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    private static Map<String, String> columns(String list) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String item : list.split(",")) {
            Matcher m = COLUMN.matcher(item.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("cannot read column definition '" + item.strip() + "'");
            }
            columns.put(m.group(1), m.group(2).toLowerCase(java.util.Locale.ROOT));
        }
        return columns;
    }
}
