package io.github.csvsampling.connect.sample;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A <strong>synthetic</strong> stock-index dataset bundled with the connector, generated
 * deterministically at runtime. <strong>This is NOT real market data</strong>: every price and
 * volume below comes from a seeded random walk and must never be used for anything but demos and
 * tests.
 *
 * <h2>Why it exists</h2>
 * The connector is designed around the Kaggle "Stock Exchange Data" file
 * {@code indexProcessed.csv}, which cannot be redistributed. So that a connector configured with
 * an empty {@code csv.path} streams realistic rows out of the box, it reads this dataset instead
 * (labelled {@link #RESOURCE_NAME} in logs and source offsets). {@link #main(String[])} writes it
 * out, so it can also be inspected or used as an ordinary CSV file.
 *
 * <h2>What it mirrors</h2>
 * Exactly the schema and formatting of {@code indexProcessed.csv}:
 * <ul>
 *   <li>header {@value #HEADER}; UTF-8, {@code \n} line endings, trailing newline, no quoting;</li>
 *   <li>the same 14 index tickers, rows grouped by index (in the order of the table below) and
 *       sorted by date within an index;</li>
 *   <li>ISO {@code yyyy-MM-dd} dates: every weekday (Monday to Friday, holidays are not modelled)
 *       from {@value #FIRST_DATE} to {@value #LAST_DATE} inclusive, 1,044 days per index,
 *       14,616 data rows in all;</li>
 *   <li>prices with exactly 6 decimals. Like the Yahoo-derived source, prices are quoted to 2
 *       decimals and stored as single-precision floats, which is where 6-decimal artefacts such
 *       as {@code 2568.300049} come from; this dataset reproduces that;</li>
 *   <li>{@code Adj Close} equal to {@code Close} (indices pay no dividends);</li>
 *   <li>{@code Volume} as an integral value written with one decimal, e.g. {@code 1435980000.0};
 *       J203.JO is deliberately kept at {@code 0.0} throughout, mirroring the real file, in which
 *       many rows carry a volume of {@code 0.0};</li>
 *   <li>{@code CloseUSD} = {@code Close} &times; a fixed per-currency USD rate, rounded half-up
 *       to 6 decimals.</li>
 * </ul>
 *
 * <h2>Indices, start levels and model parameters</h2>
 * <table>
 *   <caption>Per-index parameters (start level = previous close before the first trading day;
 *   volatility and drift are annualised; volume is the mean daily volume)</caption>
 *   <tr><th>Ticker</th><th>Index</th><th>Currency</th><th>Start level</th><th>Volatility</th>
 *       <th>Drift</th><th>Mean volume</th></tr>
 *   <tr><td>NYA</td><td>NYSE Composite</td><td>USD</td><td>11,400</td><td>18%</td><td>5%</td>
 *       <td>3,600,000,000</td></tr>
 *   <tr><td>IXIC</td><td>NASDAQ Composite</td><td>USD</td><td>6,600</td><td>25%</td><td>12%</td>
 *       <td>3,200,000,000</td></tr>
 *   <tr><td>HSI</td><td>Hang Seng</td><td>HKD</td><td>25,800</td><td>22%</td><td>-2%</td>
 *       <td>2,000,000,000</td></tr>
 *   <tr><td>000001.SS</td><td>SSE Composite</td><td>CNY</td><td>2,500</td><td>20%</td><td>6%</td>
 *       <td>290,000,000</td></tr>
 *   <tr><td>N225</td><td>Nikkei 225</td><td>JPY</td><td>20,000</td><td>21%</td><td>6%</td>
 *       <td>75,000,000</td></tr>
 *   <tr><td>N100</td><td>Euronext 100</td><td>EUR</td><td>950</td><td>19%</td><td>5%</td>
 *       <td>190,000,000</td></tr>
 *   <tr><td>399001.SZ</td><td>Shenzhen Component</td><td>CNY</td><td>7,300</td><td>27%</td>
 *       <td>7%</td><td>1,300,000,000</td></tr>
 *   <tr><td>GSPTSE</td><td>S&amp;P/TSX Composite</td><td>CAD</td><td>14,300</td><td>16%</td>
 *       <td>5%</td><td>230,000,000</td></tr>
 *   <tr><td>NSEI</td><td>NIFTY 50</td><td>INR</td><td>10,800</td><td>20%</td><td>10%</td>
 *       <td>400,000</td></tr>
 *   <tr><td>GDAXI</td><td>DAX</td><td>EUR</td><td>10,500</td><td>21%</td><td>5%</td>
 *       <td>85,000,000</td></tr>
 *   <tr><td>KS11</td><td>KOSPI</td><td>KRW</td><td>2,000</td><td>22%</td><td>5%</td>
 *       <td>700,000</td></tr>
 *   <tr><td>SSMI</td><td>Swiss Market Index</td><td>CHF</td><td>8,400</td><td>15%</td><td>4%</td>
 *       <td>45,000,000</td></tr>
 *   <tr><td>TWII</td><td>TAIEX</td><td>TWD</td><td>9,700</td><td>19%</td><td>9%</td>
 *       <td>3,500,000</td></tr>
 *   <tr><td>J203.JO</td><td>FTSE/JSE All Share</td><td>ZAR</td><td>52,000</td><td>18%</td>
 *       <td>5%</td><td>0 (see above)</td></tr>
 * </table>
 *
 * <h2>USD conversion rates used for {@code CloseUSD}</h2>
 * <table>
 *   <caption>Fixed USD value of one unit of each currency</caption>
 *   <tr><th>Currency</th><th>USD rate</th></tr>
 *   <tr><td>USD</td><td>1</td></tr>
 *   <tr><td>HKD</td><td>0.13</td></tr>
 *   <tr><td>CNY</td><td>0.146</td></tr>
 *   <tr><td>JPY</td><td>0.0091</td></tr>
 *   <tr><td>EUR</td><td>1.10</td></tr>
 *   <tr><td>CAD</td><td>0.76</td></tr>
 *   <tr><td>INR</td><td>0.013</td></tr>
 *   <tr><td>KRW</td><td>0.00085</td></tr>
 *   <tr><td>CHF</td><td>1.02</td></tr>
 *   <tr><td>TWD</td><td>0.033</td></tr>
 *   <tr><td>ZAR</td><td>0.063</td></tr>
 * </table>
 *
 * <h2>Model</h2>
 * For each index, independently, with {@code dt = 1/252} and {@code s = volatility * sqrt(dt)}:
 * <ul>
 *   <li>{@code Close = previous Close * exp((drift - volatility^2 / 2) * dt + s * Z1)}
 *       (geometric Brownian motion; the previous close of the first day is the start level);</li>
 *   <li>{@code Open = previous Close * exp(0.25 * s * Z2)} (an overnight gap);</li>
 *   <li>{@code High = max(Open, Close) * exp(0.5 * s * |Z3|)},
 *       {@code Low = min(Open, Close) * exp(-0.5 * s * |Z4|)};</li>
 *   <li>{@code Volume = mean volume * exp(0.3 * Z5 - 0.045) * (1 + 0.5 * |Z1|) / 1.4},
 *       rounded to a multiple of an index-specific lot (10,000 or 100 units);</li>
 * </ul>
 * where the {@code Zi} are standard normal draws. Each price is rounded half-up to 2 decimals
 * and then to the nearest {@code float}, and the rounded previous close feeds the next day. All
 * these roundings are monotonic, so {@code High >= max(Open, Close)} and
 * {@code Low <= min(Open, Close)} hold for the printed values, and {@code Low > 0}.
 *
 * <h2>Determinism</h2>
 * The output is bit-for-bit identical on every JVM (the test suite pins its SHA-256):
 * <ul>
 *   <li>random numbers come from SplitMix64 (the algorithm behind
 *       {@link java.util.SplittableRandom}), implemented inline so that the sequence does not
 *       depend on any JDK class; index number {@code i} (0 to 13, in table order) is seeded with
 *       {@code BASE_SEED + i * 0x9E3779B97F4A7C15L}, with
 *       {@code BASE_SEED = 0x5EED_2019_0101_CAFEL};</li>
 *   <li>normal draws use the Box-Muller transform with {@link StrictMath} {@code log},
 *       {@code sqrt} and {@code cos}, and {@code exp} is {@link StrictMath#exp}; plain double
 *       arithmetic is strict IEEE 754 since Java 17;</li>
 *   <li>decimal text comes from exact {@link BigDecimal} conversions, never from the default
 *       locale or {@link Double#toString(double)}.</li>
 * </ul>
 * Changing anything here changes the bundled dataset (and its pinned hash): do so deliberately.
 */
public final class SyntheticStockIndexData {

    /** Stable label of the bundled sample, used in logs and source offsets. */
    public static final String RESOURCE_NAME = "bundled:synthetic-stock-indices";

    /** The header line (without line terminator), identical to {@code indexProcessed.csv}'s. */
    public static final String HEADER = "Index,Date,Open,High,Low,Close,Adj Close,Volume,CloseUSD";

    /** First calendar day of the range (a Tuesday, so also the first trading day). */
    public static final String FIRST_DATE = "2019-01-01";

    /** Last calendar day of the range (a Friday, so also the last trading day). */
    public static final String LAST_DATE = "2022-12-30";

    /** Base seed of the random walks. */
    static final long BASE_SEED = 0x5EED_2019_0101_CAFEL;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double TRADING_DAYS_PER_YEAR = 252.0;

    private static final BigDecimal USD = new BigDecimal("1");
    private static final BigDecimal HKD = new BigDecimal("0.13");
    private static final BigDecimal CNY = new BigDecimal("0.146");
    private static final BigDecimal JPY = new BigDecimal("0.0091");
    private static final BigDecimal EUR = new BigDecimal("1.10");
    private static final BigDecimal CAD = new BigDecimal("0.76");
    private static final BigDecimal INR = new BigDecimal("0.013");
    private static final BigDecimal KRW = new BigDecimal("0.00085");
    private static final BigDecimal CHF = new BigDecimal("1.02");
    private static final BigDecimal TWD = new BigDecimal("0.033");
    private static final BigDecimal ZAR = new BigDecimal("0.063");

    /** One index of the dataset: see the table in the class javadoc. */
    private static final class IndexSpec {
        final String ticker;
        final BigDecimal usdRate;
        final double startLevel;
        final double volatility;
        final double drift;
        final long meanVolume;
        final long volumeLot;

        IndexSpec(String ticker, BigDecimal usdRate, double startLevel, double volatility,
                double drift, long meanVolume, long volumeLot) {
            this.ticker = ticker;
            this.usdRate = usdRate;
            this.startLevel = startLevel;
            this.volatility = volatility;
            this.drift = drift;
            this.meanVolume = meanVolume;
            this.volumeLot = volumeLot;
        }
    }

    /** The indices, in output order. */
    private static final List<IndexSpec> INDICES = List.of(
            new IndexSpec("NYA", USD, 11_400, 0.18, 0.05, 3_600_000_000L, 10_000),
            new IndexSpec("IXIC", USD, 6_600, 0.25, 0.12, 3_200_000_000L, 10_000),
            new IndexSpec("HSI", HKD, 25_800, 0.22, -0.02, 2_000_000_000L, 10_000),
            new IndexSpec("000001.SS", CNY, 2_500, 0.20, 0.06, 290_000_000L, 10_000),
            new IndexSpec("N225", JPY, 20_000, 0.21, 0.06, 75_000_000L, 10_000),
            new IndexSpec("N100", EUR, 950, 0.19, 0.05, 190_000_000L, 10_000),
            new IndexSpec("399001.SZ", CNY, 7_300, 0.27, 0.07, 1_300_000_000L, 10_000),
            new IndexSpec("GSPTSE", CAD, 14_300, 0.16, 0.05, 230_000_000L, 10_000),
            new IndexSpec("NSEI", INR, 10_800, 0.20, 0.10, 400_000L, 100),
            new IndexSpec("GDAXI", EUR, 10_500, 0.21, 0.05, 85_000_000L, 10_000),
            new IndexSpec("KS11", KRW, 2_000, 0.22, 0.05, 700_000L, 100),
            new IndexSpec("SSMI", CHF, 8_400, 0.15, 0.04, 45_000_000L, 10_000),
            new IndexSpec("TWII", TWD, 9_700, 0.19, 0.09, 3_500_000L, 100),
            new IndexSpec("J203.JO", ZAR, 52_000, 0.18, 0.05, 0L, 100));

    private SyntheticStockIndexData() {
    }

    /** Lazy holder: the dataset is generated on first use only, then kept. */
    private static final class Holder {
        static final byte[] CSV = generate();
    }

    /**
     * The whole dataset as UTF-8 CSV: header line first, {@code \n} line endings, trailing newline.
     *
     * @return a fresh copy of the bytes, which the caller may modify
     */
    public static byte[] csv() {
        return Holder.CSV.clone();
    }

    /**
     * The whole dataset as a read-only view, without copying.
     *
     * @return a new read-only buffer over the dataset, positioned at 0; its position and limit
     *     are the caller's own
     */
    public static ByteBuffer csvBuffer() {
        return ByteBuffer.wrap(Holder.CSV).asReadOnlyBuffer();
    }

    /**
     * Writes the dataset to the file named by {@code args[0]} (created or overwritten), or to
     * standard output when no argument is given.
     *
     * @param args optional target path
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            Files.write(Paths.get(args[0]), Holder.CSV);
        } else {
            System.out.write(Holder.CSV, 0, Holder.CSV.length);
            System.out.flush();
        }
    }

    private static byte[] generate() {
        List<LocalDate> days = tradingDays();
        StringBuilder csv = new StringBuilder(110 * (INDICES.size() * days.size() + 1));
        csv.append(HEADER).append('\n');
        for (int i = 0; i < INDICES.size(); i++) {
            appendIndex(csv, INDICES.get(i), new SplitMix64(BASE_SEED + i * GOLDEN_GAMMA), days);
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<LocalDate> tradingDays() {
        List<LocalDate> days = new ArrayList<>();
        LocalDate last = LocalDate.parse(LAST_DATE);
        for (LocalDate day = LocalDate.parse(FIRST_DATE); !day.isAfter(last); day = day.plusDays(1)) {
            DayOfWeek dow = day.getDayOfWeek();
            if (dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY) {
                days.add(day);
            }
        }
        return days;
    }

    private static void appendIndex(StringBuilder csv, IndexSpec spec, SplitMix64 random,
            List<LocalDate> days) {
        double dt = 1.0 / TRADING_DAYS_PER_YEAR;
        double s = spec.volatility * StrictMath.sqrt(dt);
        double meanLogReturn = (spec.drift - spec.volatility * spec.volatility / 2.0) * dt;
        double previousClose = spec.startLevel;
        for (LocalDate day : days) {
            // Always draw the same number of normals per day, whatever the branch taken below.
            double z1 = random.nextGaussian();
            double z2 = random.nextGaussian();
            double z3 = random.nextGaussian();
            double z4 = random.nextGaussian();
            double z5 = random.nextGaussian();

            double close = quote(previousClose * StrictMath.exp(meanLogReturn + s * z1));
            double open = quote(previousClose * StrictMath.exp(0.25 * s * z2));
            double high = quote(Math.max(open, close) * StrictMath.exp(0.5 * s * Math.abs(z3)));
            double low = quote(Math.min(open, close) * StrictMath.exp(-0.5 * s * Math.abs(z4)));

            long volume = 0;
            if (spec.meanVolume > 0) {
                double raw = spec.meanVolume * StrictMath.exp(0.3 * z5 - 0.045)
                       * (1.0 + 0.5 * Math.abs(z1)) / 1.4;
                volume = Math.max(1, Math.round(raw / spec.volumeLot)) * spec.volumeLot;
            }

            BigDecimal closeDecimal = sixDecimals(close);
            String closeText = closeDecimal.toPlainString();
            csv.append(spec.ticker).append(',')
                    .append(day).append(',')
                    .append(sixDecimals(open).toPlainString()).append(',')
                    .append(sixDecimals(high).toPlainString()).append(',')
                    .append(sixDecimals(low).toPlainString()).append(',')
                    .append(closeText).append(',')
                    .append(closeText).append(',')
                    .append(volume).append(".0,")
                    .append(closeDecimal.multiply(spec.usdRate).setScale(6, RoundingMode.HALF_UP)
                            .toPlainString())
                    .append('\n');
            previousClose = close;
        }
    }

    /** Rounds half-up to 2 decimals, then to the nearest float, as the source data is stored. */
    private static double quote(double price) {
        double cents = Math.floor(price * 100.0 + 0.5);
        return (float) (cents / 100.0);
    }

    /** Exact decimal value of {@code value}, rounded half-up to 6 decimals. */
    private static BigDecimal sixDecimals(double value) {
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_UP);
    }

    /**
     * SplitMix64, as in {@link java.util.SplittableRandom}, written out so that the sequence is
     * fixed by this file alone.
     */
    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += GOLDEN_GAMMA);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, 1). */
        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        /** Standard normal, by the Box-Muller transform (one of the pair is discarded). */
        double nextGaussian() {
            double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
            double u2 = nextDouble();
            return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
        }
    }
}
