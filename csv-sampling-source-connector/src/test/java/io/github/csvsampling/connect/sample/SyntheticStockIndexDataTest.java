package io.github.csvsampling.connect.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticStockIndexDataTest {

    /**
     * SHA-256 of the bundled dataset. Changing the generator (parameters, seed, model, rounding or
     * formatting) changes the dataset users see out of the box: that must be deliberate. If it is,
     * update this hash, the row count and the documentation together.
     */
    private static final String PINNED_SHA_256 =
            "5a03a683068b37bcf60761bc44dffe50c95ecb9eaec29cfcf8a6eaa20a7e1d0c";

    private static final String HEADER = "Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD";

    /** The documented order, with the documented USD rate and start level of each index. */
    private static final List<String> TICKERS = List.of("NYA", "IXIC", "HSI", "000001.SS", "N225",
            "N100", "399001.SZ", "GSPTSE", "NSEI", "GDAXI", "KS11", "SSMI", "TWII", "J203.JO");

    private static final Map<String, BigDecimal> USD_RATES = Map.ofEntries(
            Map.entry("NYA", new BigDecimal("1")),
            Map.entry("IXIC", new BigDecimal("1")),
            Map.entry("HSI", new BigDecimal("0.13")),
            Map.entry("000001.SS", new BigDecimal("0.146")),
            Map.entry("N225", new BigDecimal("0.0091")),
            Map.entry("N100", new BigDecimal("1.10")),
            Map.entry("399001.SZ", new BigDecimal("0.146")),
            Map.entry("GSPTSE", new BigDecimal("0.76")),
            Map.entry("NSEI", new BigDecimal("0.013")),
            Map.entry("GDAXI", new BigDecimal("1.10")),
            Map.entry("KS11", new BigDecimal("0.00085")),
            Map.entry("SSMI", new BigDecimal("1.02")),
            Map.entry("TWII", new BigDecimal("0.033")),
            Map.entry("J203.JO", new BigDecimal("0.063")));

    private static final Map<String, Double> START_LEVELS = Map.ofEntries(
            Map.entry("NYA", 11_400.0),
            Map.entry("IXIC", 6_600.0),
            Map.entry("HSI", 25_800.0),
            Map.entry("000001.SS", 2_500.0),
            Map.entry("N225", 20_000.0),
            Map.entry("N100", 950.0),
            Map.entry("399001.SZ", 7_300.0),
            Map.entry("GSPTSE", 14_300.0),
            Map.entry("NSEI", 10_800.0),
            Map.entry("GDAXI", 10_500.0),
            Map.entry("KS11", 2_000.0),
            Map.entry("SSMI", 8_400.0),
            Map.entry("TWII", 9_700.0),
            Map.entry("J203.JO", 52_000.0));

    /** The one index kept at 0.0 volume, mirroring the zero volumes of the real file. */
    private static final String ZERO_VOLUME_TICKER = "J203.JO";

    private static final LocalDate FIRST = LocalDate.of(2019, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2022, 12, 30);
    private static final int WEEKDAYS = 1_044;

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern PRICE = Pattern.compile("\\d+\\.\\d{6}");
    private static final Pattern VOLUME = Pattern.compile("\\d+\\.0");

    private static String text() {
        return new String(SyntheticStockIndexData.csv(), StandardCharsets.UTF_8);
    }

    private static List<String> lines() {
        String text = text();
        assertThat(text).endsWith("\n").doesNotContain("\r");
        return List.of(text.substring(0, text.length() - 1).split("\n", -1));
    }

    /** Data rows (header excluded), each split into its fields. */
    private static List<String[]> rows() {
        List<String> lines = lines();
        List<String[]> rows = new ArrayList<>(lines.size() - 1);
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    private static Map<String, List<String[]>> rowsByIndex() {
        Map<String, List<String[]>> byIndex = new LinkedHashMap<>();
        for (String[] row : rows()) {
            byIndex.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row);
        }
        return byIndex;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void resourceNameIsStable() {
        assertThat(SyntheticStockIndexData.RESOURCE_NAME).isEqualTo("bundled:synthetic-stock-indices");
    }

    @Test
    void headerIsExactlyTheReferenceHeader() {
        assertThat(lines().get(0)).isEqualTo(HEADER);
        assertThat(SyntheticStockIndexData.HEADER).isEqualTo(HEADER);
    }

    @Test
    void isPlainAsciiWithoutQuotesOrBlankLines() {
        String text = text();
        assertThat(text.chars().allMatch(c -> c >= 0x20 && c < 0x7F || c == '\n')).isTrue();
        assertThat(text).doesNotContain("\"").doesNotContain("\n\n");
    }

    @Test
    void everyRowHasNineFields() {
        List<String[]> rows = rows();
        assertThat(rows).hasSize(TICKERS.size() * WEEKDAYS);
        assertThat(rows).allSatisfy(row -> assertThat(row).hasSize(9).doesNotContain(""));
    }

    @Test
    void hasTheFourteenIndicesInTheDocumentedOrderEachInOneBlock() {
        List<String> blocks = new ArrayList<>();
        for (String[] row : rows()) {
            if (blocks.isEmpty() || !blocks.get(blocks.size() - 1).equals(row[0])) {
                blocks.add(row[0]);
            }
        }
        assertThat(blocks).containsExactlyElementsOf(TICKERS);
        assertThat(rowsByIndex()).allSatisfy((ticker, rows) -> assertThat(rows).hasSize(WEEKDAYS));
    }

    @Test
    void datesAreIsoWeekdaysInRangeStrictlyIncreasingPerIndex() {
        rowsByIndex().forEach((ticker, rows) -> {
            LocalDate previous = null;
            for (String[] row : rows) {
                assertThat(row[1]).matches(DATE);
                LocalDate date = LocalDate.parse(row[1], DateTimeFormatter.ISO_LOCAL_DATE);
                assertThat(date.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
                assertThat(date).isBetween(FIRST, LAST);
                if (previous != null) {
                    assertThat(date).as("%s after %s", ticker, previous).isAfter(previous);
                }
                previous = date;
            }
            assertThat(rows.get(0)[1]).isEqualTo("2019-01-01");
            assertThat(rows.get(rows.size() - 1)[1]).isEqualTo("2022-12-30");
        });
    }

    @Test
    void pricesRespectOhlcInvariants() {
        for (String[] row : rows()) {
            for (int field = 2; field <= 6; field++) {
                assertThat(row[field]).as("%s field %d", String.join(",", row), field).matches(PRICE);
            }
            BigDecimal open = new BigDecimal(row[2]);
            BigDecimal high = new BigDecimal(row[3]);
            BigDecimal low = new BigDecimal(row[4]);
            BigDecimal close = new BigDecimal(row[5]);
            String line = String.join(",", row);
            assertThat(high).as(line).isGreaterThanOrEqualTo(open.max(close));
            assertThat(low).as(line).isLessThanOrEqualTo(open.min(close)).isPositive();
        }
    }

    @Test
    void openIsNearThePreviousCloseAndLevelsStartNearTheDocumentedOnes() {
        rowsByIndex().forEach((ticker, rows) -> {
            double start = START_LEVELS.get(ticker);
            assertThat(Double.parseDouble(rows.get(0)[2])).as(ticker)
                    .isCloseTo(start, within(0.05 * start));
            for (int i = 1; i < rows.size(); i++) {
                double previousClose = Double.parseDouble(rows.get(i - 1)[5]);
                assertThat(Double.parseDouble(rows.get(i)[2])).as(ticker)
                        .isCloseTo(previousClose, within(0.05 * previousClose));
            }
        });
    }

    @Test
    void adjCloseEqualsClose() {
        assertThat(rows()).allSatisfy(row -> assertThat(row[6]).isEqualTo(row[5]));
    }

    @Test
    void volumeIsIntegralWithOneDecimalAndZeroOnlyForTheDocumentedIndex() {
        for (String[] row : rows()) {
            assertThat(row[7]).matches(VOLUME);
            if (row[0].equals(ZERO_VOLUME_TICKER)) {
                assertThat(row[7]).isEqualTo("0.0");
            } else {
                assertThat(Long.parseLong(row[7].substring(0, row[7].length() - 2))).isPositive();
            }
        }
    }

    @Test
    void closeUsdIsCloseTimesTheCurrencyRate() {
        BigDecimal halfUnit = new BigDecimal("0.0000005");
        for (String[] row : rows()) {
            assertThat(row[8]).matches(PRICE);
            BigDecimal expected = new BigDecimal(row[5]).multiply(USD_RATES.get(row[0]));
            BigDecimal actual = new BigDecimal(row[8]);
            assertThat(actual.subtract(expected).abs()).as(String.join(",", row))
                    .isLessThanOrEqualTo(halfUnit);
            assertThat(actual).isEqualByComparingTo(expected.setScale(6, RoundingMode.HALF_UP));
        }
    }

    @Test
    void outputIsDeterministicAndPinned() throws Exception {
        byte[] first = SyntheticStockIndexData.csv();
        byte[] second = SyntheticStockIndexData.csv();
        assertThat(second).isEqualTo(first);
        assertThat(sha256(first)).isEqualTo(PINNED_SHA_256);
    }

    @Test
    void csvReturnsACopyAndCsvBufferIsAReadOnlyViewOfTheSameBytes() {
        byte[] copy = SyntheticStockIndexData.csv();
        byte[] expected = copy.clone();
        copy[0] = 'X';
        assertThat(SyntheticStockIndexData.csv()).isEqualTo(expected);

        ByteBuffer buffer = SyntheticStockIndexData.csvBuffer();
        assertThat(buffer.isReadOnly()).isTrue();
        assertThat(buffer.position()).isZero();
        byte[] viewed = new byte[buffer.remaining()];
        buffer.get(viewed);
        assertThat(viewed).isEqualTo(expected);
        assertThat(SyntheticStockIndexData.csvBuffer().remaining()).isEqualTo(expected.length);
    }

    @Test
    void mainWritesTheSameBytesToAFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("indices.csv");
        SyntheticStockIndexData.main(new String[] {target.toString()});
        assertThat(Files.readAllBytes(target)).isEqualTo(SyntheticStockIndexData.csv());

        // Overwrites an existing file rather than appending to it.
        SyntheticStockIndexData.main(new String[] {target.toString()});
        assertThat(Files.readAllBytes(target)).isEqualTo(SyntheticStockIndexData.csv());
    }

    @Test
    void mainWritesTheSameBytesToStandardOutputWithoutArguments() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            SyntheticStockIndexData.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toByteArray()).isEqualTo(SyntheticStockIndexData.csv());
    }
}
