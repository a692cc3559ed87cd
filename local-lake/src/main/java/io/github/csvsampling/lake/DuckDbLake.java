package io.github.csvsampling.lake;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Athena objects of {@code athena-ddl.sql} recreated in an in-memory DuckDB over a local copy of
 * the bucket (the S3 server's folder), so that {@code athena-queries.sql} runs unchanged on the
 * files the S3 sink wrote and shows what Athena would show: the external table becomes a view over
 * {@code read_json} with the same name, the columns and types in the DDL's order followed by the
 * partition columns in the DDL's order (as Athena lists them; DuckDB's own order would be day, hour,
 * month, year), and only the folders the table's integer partition projection covers (Athena never
 * reads the others); the view is created as written.
 */
public final class DuckDbLake implements AutoCloseable {

    /**
     * A query result: column names and rows of plain Java values (integers as long, decimals as
     * double, DATE as LocalDate, TIMESTAMP as a UTC LocalDateTime), so that results of DuckDB and of
     * Athena's engine (Trino, over JDBC) compare as values: DuckDB's HUGEINT sums become long as
     * Trino's bigint sums are, and its microsecond TIMESTAMP the same LocalDateTime as Trino's
     * timestamp(3) when the value has whole milliseconds, as event_ts always has.
     */
    public record Table(List<String> columns, List<List<Object>> rows) {

        /** Reads the whole result set. */
        public static Table of(ResultSet rs) throws SQLException {
            List<List<Object>> rows = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(normalise(rs.getObject(i)));
                }
                rows.add(row);
            }
            return new Table(columns, rows);
        }
    }

    private final Connection duckdb;
    private final String tableGlob;
    private final AthenaDdl ddl;
    private final String table;
    /** The files the in-memory copy holds ({@link #refresh()}); {@code null} before the first. */
    private java.util.Set<String> copied;

    private DuckDbLake(Connection duckdb, String tableGlob, AthenaDdl ddl) {
        this.duckdb = duckdb;
        this.tableGlob = tableGlob;
        this.ddl = ddl;
        this.table = ddl.database() + "." + ddl.tableName();
    }

    /**
     * Creates the database objects of the DDL over {@code bucketsRoot}, the folder that holds one
     * folder per bucket (the table's {@code s3://bucket/prefix} is read from {@code bucketsRoot/bucket/prefix}).
     */
    public static DuckDbLake open(AthenaDdl ddl, Path bucketsRoot) throws SQLException {
        Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        try {
            execute(duckdb, "SET autoinstall_known_extensions = false");
            execute(duckdb, "SET autoload_known_extensions = false");
            execute(duckdb, "SET TimeZone = 'UTC'");
            String glob = tableGlob(ddl, bucketsRoot);
            for (String statement : ddl.statements()) {
                if (statement.startsWith("CREATE DATABASE")) {
                    execute(duckdb, "CREATE SCHEMA " + ddl.database());
                } else if (statement.startsWith("CREATE EXTERNAL TABLE")) {
                    execute(duckdb, tableView(ddl, glob));
                } else {
                    execute(duckdb, statement);
                }
            }
            return new DuckDbLake(duckdb, glob, ddl);
        } catch (SQLException | RuntimeException e) {
            duckdb.close();
            throw e;
        }
    }

    /** Runs one query. */
    public Table query(String sql) throws SQLException {
        return query(sql, 0);
    }

    /**
     * Runs one query, cancelled after {@code timeoutSeconds} (0 for no limit) with an {@link SQLException}, such
     * as a query that a user typed.
     */
    public Table query(String sql, int timeoutSeconds) throws SQLException {
        try (Statement statement = duckdb.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = statement.executeQuery(sql)) {
                return Table.of(rs);
            }
        }
    }

    /**
     * Brings an in-memory copy of the table up to date with its files, reading only the files it has not read
     * before and dropping the rows of files that are gone, then makes the table's name read the copy: for running
     * the queries again and again over a lake that only gains files (the S3 sink's objects are never rewritten
     * under the same name; a file rewritten in place is not read again). The copy costs memory: use it for a lake
     * that fits in this database's memory limit.
     *
     * @return how many files were read
     */
    public int refresh() throws SQLException {
        List<String> files = new ArrayList<>();
        try (java.sql.PreparedStatement glob = duckdb.prepareStatement("SELECT file FROM glob(?) ORDER BY file")) {
            glob.setString(1, tableGlob);
            try (ResultSet rs = glob.executeQuery()) {
                while (rs.next()) {
                    files.add(rs.getString(1));
                }
            }
        }
        if (copied == null) {
            if (files.isEmpty()) {
                return 0; // nothing to copy yet: the table still reads the files (and says there are none)
            }
            execute(duckdb, "CREATE TABLE " + table + "_copy AS SELECT * FROM " + readJson(ddl, list(files), true));
            execute(duckdb, "CREATE OR REPLACE VIEW " + table + " AS SELECT " + selectList(ddl) + " FROM " + table
                    + "_copy" + projectedPartitions(ddl));
            copied = new java.util.HashSet<>(files);
            return files.size();
        }
        List<String> gone = copied.stream().filter(f -> !files.contains(f)).toList();
        List<String> added = files.stream().filter(f -> !copied.contains(f)).toList();
        if (!gone.isEmpty()) {
            execute(duckdb, "DELETE FROM " + table + "_copy WHERE filename IN " + list(gone).replace('[', '(')
                    .replace(']', ')'));
            gone.forEach(copied::remove);
        }
        if (!added.isEmpty()) {
            execute(duckdb, "INSERT INTO " + table + "_copy SELECT * FROM " + readJson(ddl, list(added), true));
            copied.addAll(added);
        }
        return added.size();
    }

    private static String list(List<String> files) {
        return files.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * Confines this database to {@code folder} for good: no file outside it, no network, no extension loading, at
     * most {@code threads} threads and {@code memoryLimit} (DuckDB syntax, such as {@code 512MB}), and no later
     * {@code SET} can undo it. For running SQL that someone typed over the bucket's files; they can still write
     * inside the folder (COPY, ATTACH), so only read-only statements should reach such a database.
     */
    public void confineTo(Path folder, int threads, String memoryLimit) throws SQLException {
        String allowed = folder.toAbsolutePath().normalize() + "/";
        execute(duckdb, "SET threads = " + threads);
        execute(duckdb, "SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
        execute(duckdb, "SET allowed_directories = ['" + allowed.replace("'", "''") + "']");
        execute(duckdb, "SET enable_external_access = false");
        execute(duckdb, "SET lock_configuration = true");
    }

    /**
     * Whether {@code sql} is exactly one SELECT statement, as DuckDB's own parser sees it ({@code json_serialize_sql}
     * serializes SELECT statements only); nothing is executed.
     */
    public boolean isSingleSelect(String sql) throws SQLException {
        try (java.sql.PreparedStatement statement = duckdb.prepareStatement(
                "SELECT json_extract(s, '$.error')::BOOLEAN, json_array_length(json_extract(s, '$.statements'))"
                        + " FROM (SELECT json_serialize_sql(?::VARCHAR) AS s)")) {
            statement.setString(1, sql);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && !rs.getBoolean(1) && rs.getLong(2) == 1;
            }
        }
    }


    /** The named queries of an {@code athena-queries.sql} file: each starts with a {@code -- name:} line. */
    public static Map<String, String> namedQueries(String sql) {
        Map<String, String> queries = new LinkedHashMap<>();
        Pattern header = Pattern.compile("^-- name: (\\w+)\\s*$");
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String line : sql.split("\n")) {
            Matcher m = header.matcher(line);
            if (m.matches()) {
                name = m.group(1);
                text.setLength(0);
            } else if (name != null) {
                text.append(line).append('\n');
                if (line.strip().endsWith(";")) {
                    String statement = text.toString().strip();
                    queries.put(name, statement.substring(0, statement.length() - 1));
                    name = null;
                }
            }
        }
        return queries;
    }

    @Override
    public void close() throws SQLException {
        duckdb.close();
    }

    private static String tableGlob(AthenaDdl ddl, Path bucketsRoot) {
        Matcher location = Pattern.compile("s3://([^/]+)/(.*)").matcher(ddl.location());
        if (!location.matches()) {
            throw new IllegalArgumentException("the table's LOCATION is not an s3:// URL: " + ddl.location());
        }
        Path folder = bucketsRoot.resolve(location.group(1)).resolve(location.group(2));
        return folder + "/" + "*/".repeat(ddl.partitionColumns().size()) + "*.json";
    }

    private static String tableView(AthenaDdl ddl, String glob) {
        return "CREATE VIEW " + ddl.database() + "." + ddl.tableName() + " AS SELECT " + selectList(ddl) + " FROM "
                + readJson(ddl, "'" + glob + "'", false) + projectedPartitions(ddl);
    }

    /** The table's columns, then its partition columns, in the DDL's order, as Athena lists them. */
    private static String selectList(AthenaDdl ddl) {
        return java.util.stream.Stream.concat(ddl.columns().keySet().stream(), ddl.partitionColumns().keySet().stream())
                .map(c -> '"' + c + '"').collect(Collectors.joining(", "));
    }

    /** {@code read_json} of {@code files} (a quoted glob or a list) with the table's columns and partitions. */
    private static String readJson(AthenaDdl ddl, String files, boolean filename) {
        String columns = ddl.columns().entrySet().stream()
                .map(c -> "'" + c.getKey() + "': '" + duckDbType(c.getValue()) + "'")
                .collect(Collectors.joining(", ", "{", "}"));
        String hiveTypes = ddl.partitionColumns().entrySet().stream()
                .map(c -> "'" + c.getKey() + "': '" + duckDbType(c.getValue()) + "'")
                .collect(Collectors.joining(", ", "{", "}"));
        return "read_json(" + files + ", format = 'newline_delimited', columns = " + columns
                + ", hive_partitioning = true, hive_types = " + hiveTypes + (filename ? ", filename = true" : "") + ")";
    }

    /**
     * The WHERE clause that keeps the partitions Athena's partition projection generates: for each
     * partition column of type integer, its range. Other projection types are not emulated and
     * refused, rather than showing rows Athena would not.
     */
    static String projectedPartitions(AthenaDdl ddl) {
        Map<String, String> p = ddl.properties();
        if (!"true".equalsIgnoreCase(p.get("projection.enabled"))) {
            return "";
        }
        List<String> ranges = new ArrayList<>();
        for (String column : ddl.partitionColumns().keySet()) {
            String type = p.get("projection." + column + ".type");
            String[] range = p.getOrDefault("projection." + column + ".range", "").split(",");
            if (!"integer".equals(type) || range.length != 2) {
                throw new IllegalArgumentException("partition projection of " + column + " is " + type + " with range "
                        + String.join(",", range) + "; only integer ranges (lo,hi) are emulated on DuckDB");
            }
            ranges.add('"' + column + "\" BETWEEN " + Long.parseLong(range[0].strip()) + " AND "
                    + Long.parseLong(range[1].strip()));
        }
        return " WHERE " + String.join(" AND ", ranges);
    }

    private static String duckDbType(String hiveType) {
        switch (hiveType) {
            case "string":
                return "VARCHAR";
            case "double":
                return "DOUBLE";
            case "bigint":
                return "BIGINT";
            case "int":
                return "INTEGER";
            default:
                throw new IllegalArgumentException("no DuckDB type for Hive type " + hiveType);
        }
    }

    private static Object normalise(Object value) {
        if (value instanceof BigInteger) {
            return ((BigInteger) value).longValueExact();
        } else if (value instanceof BigDecimal) {
            return ((BigDecimal) value).doubleValue();
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        } else if (value instanceof Float) {
            return ((Float) value).doubleValue();
        } else if (value instanceof java.sql.Date) {
            return ((java.sql.Date) value).toLocalDate();
        } else if (value instanceof java.sql.Timestamp) {
            return ((java.sql.Timestamp) value).toLocalDateTime();
        } else if (value instanceof java.time.OffsetDateTime) {
            return ((java.time.OffsetDateTime) value).withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime();
        }
        return value;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
