package io.github.csvsampling.connect.config;

/** What happens to a CSV row that cannot be parsed or typed ({@code csv.malformed.rows}). */
public enum MalformedRows {
    /** Fail: the task does not start, naming the file, line and problem. */
    FAIL,
    /** Leave the row out, log it and count it. */
    SKIP
}
