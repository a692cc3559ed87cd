package io.github.csvsampling.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The stream's figures from records, on a fake clock: rates, latest quotes, per-index closes, bounded windows. */
class StreamStatsTest {

    private static final long T0 = 1_800_000_000_000L;

    private final AtomicLong now = new AtomicLong(T0);
    private final StreamStats stats = new StreamStats(60, 3, now::get);

    @Test
    void achievedRateCountsRecordsByTheirTimestampOverTheLastTenSettledSeconds() {
        stats.caughtUp(true);
        stats.target(20.0);
        for (int second = 0; second < 15; second++) {
            now.set(T0 + second * 1000L + 999);
            for (int i = 0; i < 20; i++) {
                stats.add(T0 + second * 1000L + i * 50L, key("NYA"), quote("NYA", "2021-01-04", 100 + second));
            }
        }
        now.set(T0 + 16_500); // seconds up to 14 are settled

        StreamStats.Tick tick = stats.tick();

        assertThat(tick.achieved()).isCloseTo(20.0, within(0.01));
        assertThat(tick.target()).isEqualTo(20.0);
        assertThat(tick.records()).isEqualTo(300);
        assertThat(tick.rate()).as("one point per settled second").isNotEmpty()
                .allSatisfy(p -> assertThat(p.target()).isEqualTo(20.0));
        assertThat(tick.rate().get(tick.rate().size() - 1).second()).isEqualTo(T0 / 1000 + 14);
        assertThat(stats.tick().rate()).as("nothing new a moment later").isEmpty();
    }

    @Test
    void theLatestQuoteOfEachIndexIsItsNewestRecordWithEnvelopeOrWithout() {
        stats.caughtUp(true);
        stats.add(T0, key("NYA"), envelope(quote("NYA", "2021-01-04", 100)));
        stats.add(T0 + 10, key("NYA"), envelope(quote("NYA", "2021-01-05", 101)));
        stats.add(T0 + 5, null, quote("HSI", "2021-01-06", 200));
        stats.add(T0 + 3, key("NYA"), quote("NYA", "2020-01-01", 1)); // older: ignored

        StreamStats.Tick tick = stats.tick();

        assertThat(tick.quotes()).extracting(StreamStats.Quote::index, StreamStats.Quote::date,
                StreamStats.Quote::close, StreamStats.Quote::closeUsd)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("HSI", "2021-01-06", 200.0, 20.0),
                        org.assertj.core.groups.Tuple.tuple("NYA", "2021-01-05", 101.0, 10.1));
    }

    @Test
    void eachIndexGetsOneClosePointPerSecondTheLastOfThatSecond() {
        stats.caughtUp(true);
        stats.add(T0 + 100, key("NYA"), quote("NYA", "d", 1));
        stats.add(T0 + 900, key("NYA"), quote("NYA", "d", 2));
        stats.add(T0 + 1500, key("NYA"), quote("NYA", "d", 3));
        now.set(T0 + 4000);

        StreamStats.Tick tick = stats.tick();

        assertThat(tick.closes().get("NYA")).extracting(StreamStats.ClosePoint::close).containsExactly(2.0, 3.0);
    }

    @Test
    void windowsAreBoundedWhateverRunsForAlong() {
        stats.caughtUp(true);
        for (int second = 0; second < 3_600; second++) {
            now.set(T0 + second * 1000L);
            stats.add(now.get(), key("NYA"), quote("NYA", "d", second));
            stats.tick();
        }

        StreamStats.Tick snapshot = stats.snapshot();

        assertThat(snapshot.rate()).hasSizeLessThanOrEqualTo(60);
        assertThat(snapshot.closes().get("NYA")).hasSizeLessThanOrEqualTo(60);
        assertThat(snapshot.records()).isEqualTo(3_600);
    }

    @Test
    void historyOutsideTheWindowOnlySetsTheLatestQuoteUntilTheReaderCaughtUp() {
        stats.add(T0 - 3_600_000, key("NYA"), quote("NYA", "2019-01-02", 5));
        now.set(T0 + 5000);

        StreamStats.Tick tick = stats.tick();

        assertThat(tick.quotes()).extracting(StreamStats.Quote::close).containsExactly(5.0);
        assertThat(tick.closes()).isEmpty();
        assertThat(tick.achieved()).isZero();
    }

    @Test
    void onlyMaxIndicesAreFollowed() {
        for (String index : new String[] {"A", "B", "C", "D", "E"}) {
            stats.add(T0, key(index), quote(index, "d", 1));
        }
        assertThat(stats.tick().quotes()).hasSize(3);
        assertThat(stats.ignoredIndices()).isEqualTo(2);
    }

    private static byte[] key(String index) {
        return index.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] quote(String index, String date, double close) {
        return ("{\"index\":\"" + index + "\",\"date\":\"" + date + "\",\"close\":" + close + ",\"close_usd\":"
                + close / 10 + ",\"volume\":7}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] envelope(byte[] payload) {
        return ("{\"schema\":{\"type\":\"struct\"},\"payload\":" + new String(payload, StandardCharsets.UTF_8) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
