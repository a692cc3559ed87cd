package io.github.csvsampling.connect.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.csvsampling.connect.metrics.ProgressLog.Progress;
import org.junit.jupiter.api.Test;

/** When the progress lines are written and what they say, with a fake clock. */
class ProgressLogTest {

    private long nanos = 7_000_000_000L;
    private final List<String> lines = new ArrayList<>();
    private final ProgressLog log = new ProgressLog("stock-quotes", 0, 2, Duration.ofSeconds(30), () -> nanos);

    @Test
    void writesALineEachIntervalWithTheRateSinceThePreviousLine() {
        assertThat(log.maybeLog(lines::add, () -> progress(0, 0, 0))).isFalse();
        advanceMillis(29_999);
        assertThat(log.maybeLog(lines::add, () -> {
            throw new AssertionError("no snapshot before the interval has passed");
        })).isFalse();

        advanceMillis(1);
        assertThat(log.maybeLog(lines::add, () -> progress(300, 300, 3_400_000))).isTrue();
        advanceMillis(10_000);
        assertThat(log.maybeLog(lines::add, () -> progress(400, 400, 0))).isFalse();
        advanceMillis(20_000);
        assertThat(log.maybeLog(lines::add, () -> progress(12_300, 112_300, 0))).isTrue();

        assertThat(lines).containsExactly(
                "Task 0 of 2 [stock-quotes]: 300 records (next sequence 300), 10.0/s of 10.0/s target,"
                        + " 3 ms behind schedule",
                "Task 0 of 2 [stock-quotes]: 12,300 records (next sequence 112300), 400/s of 10.0/s target,"
                        + " on schedule");
    }

    @Test
    void intervalsCountFromTheLastLineSoALatePollDoesNotBunchLines() {
        advanceMillis(95_000);
        assertThat(log.maybeLog(lines::add, () -> progress(950, 950, 0))).isTrue();
        assertThat(log.maybeLog(lines::add, () -> progress(950, 950, 0))).isFalse();
        advanceMillis(29_000);
        assertThat(log.maybeLog(lines::add, () -> progress(1_240, 1_240, 0))).isFalse();
        assertThat(lines).hasSize(1);
    }

    @Test
    void theFinalLineComesOnceAndEndsPeriodicLines() {
        advanceMillis(100_000);
        assertThat(log.logFinal(lines::add, new Progress(1_000, 1_000, 10.0, 0, 0, true))).isTrue();
        advanceMillis(60_000);
        assertThat(log.maybeLog(lines::add, () -> progress(1_000, 1_000, 0))).isFalse();
        assertThat(log.logFinal(lines::add, new Progress(1_000, 1_000, 10.0, 0, 0, true))).isFalse();

        assertThat(lines).containsExactly("Task 0 of 2 [stock-quotes] completed max.records: 1,000 records"
                + " (next sequence 1000) in 1m40s, 10.0/s of 10.0/s target; idle until stopped or reconfigured");
    }

    @Test
    void stoppingReportsTheWholeRunAndMalformedRows() {
        advanceMillis(TimeUnit.MINUTES.toMillis(125));
        log.logFinal(lines::add, new Progress(37_500, 40_000, 5.0, 0, 3, false));

        assertThat(lines).containsExactly("Task 0 of 2 [stock-quotes] stopping: 37,500 records (next sequence 40000)"
                + " in 2h05m, 5.0/s of 5.0/s target, 3 malformed rows skipped");
    }

    @Test
    void numbersLookTheSameInEveryLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            advanceMillis(30_000);
            log.maybeLog(lines::add, () -> new Progress(1_234_567, 1_234_567, 41_152.2, 0, 1, false));
        } finally {
            Locale.setDefault(saved);
        }
        assertThat(lines).containsExactly("Task 0 of 2 [stock-quotes]: 1,234,567 records (next sequence 1234567),"
                + " 41,152/s of 41,152/s target, on schedule, 1 malformed row skipped");
    }

    @Test
    void ratesKeepTheirSignificantDigits() {
        assertThat(ProgressLog.rate(0)).isEqualTo("0/s");
        assertThat(ProgressLog.rate(0.05)).isEqualTo("0.050/s");
        assertThat(ProgressLog.rate(2.5)).isEqualTo("2.5/s");
        assertThat(ProgressLog.rate(99.94)).isEqualTo("99.9/s");
        assertThat(ProgressLog.rate(100_000)).isEqualTo("100,000/s");
    }

    @Test
    void lagIsShownInAReadableUnit() {
        assertThat(ProgressLog.lag(999_999)).isEqualTo("on schedule");
        assertThat(ProgressLog.lag(TimeUnit.MILLISECONDS.toNanos(250))).isEqualTo("250 ms behind schedule");
        assertThat(ProgressLog.lag(TimeUnit.MILLISECONDS.toNanos(2_450))).isEqualTo("2.5 s behind schedule");
        assertThat(ProgressLog.lag(TimeUnit.SECONDS.toNanos(75))).isEqualTo("1m15s behind schedule");
        assertThat(ProgressLog.duration(TimeUnit.HOURS.toNanos(76))).isEqualTo("3d04h");
        assertThat(ProgressLog.duration(TimeUnit.SECONDS.toNanos(45))).isEqualTo("45s");
    }

    @Test
    void theIntervalMustBePositive() {
        assertThatThrownBy(() -> new ProgressLog("c", 0, 1, Duration.ZERO, () -> nanos))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval");
    }

    private static Progress progress(long records, long nextSequence, long lagNanos) {
        return new Progress(records, nextSequence, 10.0, lagNanos, 0, false);
    }

    private void advanceMillis(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
