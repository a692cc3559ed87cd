package io.github.csvsampling.connect.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PacerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** A fake monotonic clock that starts at an arbitrary (and negative) value, as nanoTime may. */
    private long now = -123_456_789_000L;
    /** The caller's state: the next record to emit. */
    private long next;

    private Pacer pacer(double rate, long maxCatchUpNanos) {
        return new Pacer(rate, maxCatchUpNanos, () -> now, next);
    }

    /** Emits every due record, as the task does, and returns how many that was. */
    private long consume(Pacer pacer) {
        long due = pacer.dueCount(next);
        next += due;
        return due;
    }

    @Test
    void atOneRecordPerSecondTheFirstIsDueImmediatelyThenOneEverySecond() {
        Pacer pacer = pacer(1, SECOND);

        assertThat(pacer.dueCount(0)).isEqualTo(1);
        assertThat(consume(pacer)).isEqualTo(1);
        assertThat(pacer.dueCount(1)).isZero();

        now += SECOND - 1;
        assertThat(pacer.dueCount(1)).isZero();
        assertThat(pacer.nanosUntilDue(1)).isEqualTo(1);

        now += 1;
        assertThat(pacer.nanosUntilDue(1)).isZero();
        assertThat(consume(pacer)).isEqualTo(1);

        now += SECOND / 2;
        assertThat(consume(pacer)).isZero();
        now += SECOND / 2;
        assertThat(consume(pacer)).isEqualTo(1);
        assertThat(next).isEqualTo(3);
    }

    @Test
    void dueCountDoesNotConsume() {
        Pacer pacer = pacer(1, SECOND);
        now += SECOND / 2;

        assertThat(pacer.dueCount(0)).isEqualTo(1);
        assertThat(pacer.dueCount(0)).isEqualTo(1);
        assertThat(pacer.dueCount(1)).isZero();
    }

    @Test
    void aFractionalRateSpacesRecordsOut() {
        Pacer pacer = pacer(0.2, SECOND);

        assertThat(consume(pacer)).isEqualTo(1);
        assertThat(pacer.nanosUntilDue(next)).isEqualTo(5 * SECOND);

        now += 5 * SECOND - MILLI;
        assertThat(consume(pacer)).isZero();
        assertThat(pacer.nanosUntilDue(next)).isEqualTo(MILLI);

        now += MILLI;
        assertThat(consume(pacer)).isEqualTo(1);
        now += 4 * SECOND;
        assertThat(consume(pacer)).isZero();
        now += SECOND;
        assertThat(consume(pacer)).isEqualTo(1);
        assertThat(next).isEqualTo(3);
    }

    @Test
    void aTaskThatResumesStartsAtItsSequence() {
        next = 1_000_000;
        Pacer pacer = pacer(10, SECOND);

        assertThat(pacer.dueCount(1_000_000)).isEqualTo(1);
        assertThat(pacer.nanosUntilDue(1_000_000)).isZero();
        assertThat(pacer.nanosUntilDue(1_000_001)).isEqualTo(SECOND / 10);
        now += SECOND;
        assertThat(consume(pacer)).isEqualTo(11);
    }

    /** A rate whose period is not a whole number of nanoseconds included: the schedule must not drift. */
    @ParameterizedTest
    @ValueSource(doubles = {1, 0.2, 3, 7, 1.5, 0.125, 12.5, 1000, 100_000})
    void overAnHourOfIrregularWakeUpsTheCountIsExact(double rate) {
        Pacer pacer = pacer(rate, SECOND);
        Random random = new Random(17);
        long start = now;
        long calls = 0;
        while (now - start < HOUR) {
            consume(pacer);
            calls++;
            // Wake-ups between 0 and 200 ms apart, never more than the catch-up limit.
            now = Math.min(start + HOUR, now + (long) (random.nextDouble() * 200 * MILLI));
        }
        consume(pacer);

        long expected = Math.round(rate * 3600) + 1;
        assertThat(next).as("records after an hour at %s/s (%d wake-ups)", rate, calls).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 3, 6, 7, 0.2, 12.5, 100_000})
    void aRecordIsDueExactlyWhenNanosUntilDueReachesZero(double rate) {
        Pacer pacer = pacer(rate, SECOND);
        consume(pacer);
        for (int record = 0; record < 50; record++) {
            long wait = pacer.nanosUntilDue(next);
            assertThat(wait).isPositive();
            now += wait - 1;
            assertThat(pacer.dueCount(next)).as("1 ns before record %d is due", next).isZero();
            assertThat(pacer.nanosUntilDue(next)).isEqualTo(1);
            now += 1;
            assertThat(pacer.nanosUntilDue(next)).isZero();
            assertThat(pacer.dueCount(next)).as("when record %d is due", next).isEqualTo(1);
            next++;
        }
    }

    @Test
    void highRatesReportManyDueRecordsAtOnce() {
        Pacer pacer = pacer(100_000, SECOND);

        assertThat(pacer.dueCount(0)).isEqualTo(1);
        now += MILLI;
        assertThat(pacer.dueCount(0)).isEqualTo(101);
        assertThat(consume(pacer)).isEqualTo(101);
        now += 10 * MILLI;
        assertThat(consume(pacer)).isEqualTo(1000);
        now += 5_000;
        assertThat(consume(pacer)).isZero();
        now += 5_000;
        assertThat(consume(pacer)).isEqualTo(1);
        assertThat(pacer.nanosUntilDue(next)).isEqualTo(10_000);
    }

    @Test
    void recordsLeftOverByTheCallerStayDue() {
        // The task hands at most batch.size records to the worker per poll; the rest stay due.
        Pacer pacer = pacer(100_000, SECOND);
        now += 100 * MILLI;

        assertThat(pacer.dueCount(next)).isEqualTo(10_001);
        next += 1000;
        assertThat(pacer.dueCount(next)).isEqualTo(9_001);
        assertThat(pacer.nanosUntilDue(next)).isNegative();
    }

    @Test
    void afterAStallTheBurstIsBoundedAndTheRateResumes() {
        double rate = 10;
        long maxCatchUp = 2 * SECOND;
        Pacer pacer = pacer(rate, maxCatchUp);
        consume(pacer);

        now += TimeUnit.MINUTES.toNanos(10);

        long burst = consume(pacer);
        assertThat(burst).isEqualTo(1 + (long) (rate * 2));
        assertThat(consume(pacer)).as("nothing more due right after the burst").isZero();

        // The schedule then continues at the rate, without a second burst.
        long before = next;
        for (int i = 0; i < 100; i++) {
            now += 10 * MILLI;
            assertThat(consume(pacer)).isLessThanOrEqualTo(1);
        }
        assertThat(next - before).isEqualTo(10);
        for (int i = 0; i < 590; i++) {
            now += 100 * MILLI;
            assertThat(consume(pacer)).isEqualTo(1);
        }
        assertThat(next - before).isEqualTo(600);
    }

    @Test
    void lagWithinTheCatchUpLimitIsMadeUpInFull() {
        Pacer pacer = pacer(10, 2 * SECOND);
        consume(pacer);

        now += 2 * SECOND;

        assertThat(consume(pacer)).isEqualTo(20);
    }

    @Test
    void aStallJustOverTheLimitIsTrimmedToTheLimit() {
        Pacer pacer = pacer(10, 2 * SECOND);
        consume(pacer);

        now += 2 * SECOND + 100 * MILLI + 1;

        assertThat(consume(pacer)).isEqualTo(21);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 10, 100, 10_000})
    void theBurstNeverExceedsOnePlusRateTimesCatchUp(long stallSeconds) {
        double rate = 1000;
        long maxCatchUp = 250 * MILLI;
        Pacer pacer = pacer(rate, maxCatchUp);
        consume(pacer);
        now += 3 * MILLI;
        consume(pacer);

        now += stallSeconds * SECOND;

        assertThat(consume(pacer)).isLessThanOrEqualTo(1 + (long) (rate * 0.25));
    }

    @ParameterizedTest(name = "{0}/s, catch-up {1} ns -> {2}")
    @CsvSource({
            "10, 2000000000, 21",
            "3, 1000000000, 4",
            "3, 999999999, 3",
            "0.2, 4999999999, 1",
            "0.2, 5000000000, 2",
            "100000, 1000000, 101",
    })
    void theBurstAfterAStallIsTheFirstLateRecordPlusWhatTheCatchUpWindowHolds(double rate, long maxCatchUp,
                                                                              long burst) {
        Pacer pacer = pacer(rate, maxCatchUp);
        consume(pacer);

        now += HOUR;

        assertThat(consume(pacer)).isEqualTo(burst);
        assertThat(consume(pacer)).isZero();
    }

    @Test
    void withoutCatchUpOneRecordAtMostIsDueAfterAStall() {
        Pacer pacer = pacer(10, 0);
        consume(pacer);

        now += 10 * SECOND;
        assertThat(consume(pacer)).isEqualTo(1);
        assertThat(consume(pacer)).isZero();
        assertThat(pacer.nanosUntilDue(next)).isEqualTo(SECOND / 10);

        now += SECOND / 10;
        assertThat(consume(pacer)).isEqualTo(1);
    }

    @Test
    void withoutCatchUpPunctualWakeUpsKeepTheRate() {
        Pacer pacer = pacer(10, 0);
        long start = now;
        while (now - start < 60 * SECOND) {
            consume(pacer);
            now += pacer.nanosUntilDue(next);
        }
        consume(pacer);

        assertThat(next).isEqualTo(601);
    }

    @Test
    void nanosUntilDueIsNegativeWhenLate() {
        Pacer pacer = pacer(2, 10 * SECOND);
        consume(pacer);

        now += 3 * SECOND;

        assertThat(pacer.nanosUntilDue(1)).isEqualTo(-(3 * SECOND - SECOND / 2));
        assertThat(pacer.nanosUntilDue(next + 6)).isEqualTo(SECOND / 2);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void theRateMustBePositiveAndFinite(double rate) {
        assertThatThrownBy(() -> new Pacer(rate, SECOND, () -> 0L, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recordsPerSecond")
                .hasMessageContaining(Double.toString(rate));
    }

    @Test
    void theCatchUpLimitMustNotBeNegative() {
        assertThatThrownBy(() -> new Pacer(1, -1, () -> 0L, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCatchUpNanos")
                .hasMessageContaining("-1");
    }
}
