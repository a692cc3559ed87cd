package io.github.csvsampling.connect.csv;

/**
 * A problem with the content of a CSV file at a known line. {@link CsvDataset} adds the file name
 * and the responsible configuration key before it reaches users.
 */
final class CsvFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long line;

    CsvFormatException(long line, String problem) {
        super(problem);
        this.line = line;
    }

    long line() {
        return line;
    }
}
