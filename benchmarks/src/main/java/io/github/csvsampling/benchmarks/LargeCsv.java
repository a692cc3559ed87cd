package io.github.csvsampling.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Writes a large CSV file in the reference schema ({@code Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD}):
 * 100 synthetic indices, one row per index per weekday from 1900-01-01 on, prices as a seeded random walk with six
 * decimals and volumes written like the Kaggle file ({@code 160000000.0}). About 75 bytes a row. The file is
 * reused when it already exists with the same row count in its name.
 */
final class LargeCsv {

    static final String HEADER = "Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD";
    private static final int INDICES = 100;

    private LargeCsv() {
    }

    static Path ensure(Path dir, long rows) throws IOException {
        Path file = dir.resolve("generated-" + rows + "-rows.csv");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(dir);
        Path partial = dir.resolve(file.getFileName() + ".partial");
        SplittableRandom random = new SplittableRandom(20240601L);
        double[] close = new double[INDICES];
        for (int i = 0; i < INDICES; i++) {
            close[i] = 1_000 + random.nextDouble() * 20_000;
        }
        StringBuilder line = new StringBuilder(128);
        try (BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(partial), StandardCharsets.UTF_8), 1 << 20)) {
            out.write(HEADER);
            out.write('\n');
            LocalDate day = LocalDate.of(1900, 1, 1);
            long written = 0;
            while (written < rows) {
                if (day.getDayOfWeek().getValue() <= 5) {
                    String date = day.toString();
                    for (int i = 0; i < INDICES && written < rows; i++, written++) {
                        double open = close[i];
                        double next = Math.max(1, open * (1 + (random.nextDouble() - 0.5) * 0.04));
                        double high = Math.max(open, next) * (1 + random.nextDouble() * 0.01);
                        double low = Math.min(open, next) * (1 - random.nextDouble() * 0.01);
                        close[i] = next;
                        long volume = random.nextLong(1_000_000_000L);
                        line.setLength(0);
                        line.append("IDX").append(i).append(',').append(date).append(',');
                        appendPrice(line, open).append(',');
                        appendPrice(line, high).append(',');
                        appendPrice(line, low).append(',');
                        appendPrice(line, next).append(',');
                        appendPrice(line, next).append(',');
                        line.append(volume).append(".0,");
                        appendPrice(line, next * 0.13).append('\n');
                        out.append(line);
                    }
                }
                day = day.plusDays(1);
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static StringBuilder appendPrice(StringBuilder line, double value) {
        long micros = Math.round(value * 1_000_000);
        long fraction = micros % 1_000_000;
        line.append(micros / 1_000_000).append('.');
        for (long pad = 100_000; pad > 1 && fraction < pad; pad /= 10) {
            line.append('0');
        }
        return line.append(fraction);
    }
}
