package io.github.csvsampling.connect.schema;

/** How {@code date} and {@code timestamp} columns are written into record values. */
public enum DateOutput {
    /**
     * ISO-8601 text: {@code 2021-06-30} for dates, {@code 2021-06-30T14:00:00Z} for timestamps.
     * The default, because JSON sinks such as the S3 sink write Connect's logical {@code Date} as a
     * bare count of days that query engines do not read as a date.
     */
    STRING,
    /** Connect's logical {@code Date} and {@code Timestamp} types, for Avro, Protobuf and JDBC sinks. */
    LOGICAL
}
