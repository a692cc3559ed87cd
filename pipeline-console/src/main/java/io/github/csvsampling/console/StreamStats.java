package io.github.csvsampling.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the stream section shows, computed from the records of the topic as they are read: records per second
 * achieved against the target, records in the topic, the latest quote of each index and each index's close over
 * time, all in windows of a fixed number of seconds, so that a console left running for a day holds the same
 * amount of data as after a minute.
 *
 * <p>Cheap per record, so that it keeps up with thousands of records per second: a record is counted in the second
 * of its timestamp, and only the last record of each index in each second is parsed (when the next second begins).
 * Seconds are reported {@value #SETTLE_SECONDS} s late, once late records have arrived (a transaction commits a
 * moment after its records were written). A record whose timestamp is outside the window (the stream's history
 * read at start-up, or a timestamp taken from the data) counts in the second it is read once the reader has caught
 * up with the topic, and only for the latest quote before that.
 *
 * <p>Thread-safe: the topic reader adds, a timer takes {@link #tick()}s and pages take {@link #snapshot()}s.
 */
final class StreamStats {

    static final int SETTLE_SECONDS = 2;
    static final int ACHIEVED_SECONDS = 10;
    static final int CHART_SMOOTHING_SECONDS = 5;

    /** The latest quote of an index, as the page shows it; numbers are null when the value lacks them. */
    record Quote(String index, String date, Double open, Double high, Double low, Double close, Double closeUsd,
                 Long volume, long timestamp) {
    }

    /** A second of the rate chart: records per second (trailing average) and the target then (null: unknown). */
    record RatePoint(long second, Double target, double achieved) {
    }

    /** An index's last close in a second, and the same in USD. */
    record ClosePoint(long second, Double close, Double closeUsd) {
    }

    /**
     * Chart points, the latest quotes and the counters: from {@link #tick()} the points new since the last tick,
     * from {@link #snapshot()} every point of the window.
     */
    record Tick(List<RatePoint> rate, Map<String, List<ClosePoint>> closes, List<Quote> quotes, long records,
                double achieved, Double target, boolean caughtUp) {
    }

    private record Latest(long timestamp, long second, byte[] value) {
    }

    private final int window;
    private final int maxIndices;
    private final LongSupplier clock;
    private final long[] counts;
    private final long[] countSeconds;
    private final Deque<RatePoint> rate = new ArrayDeque<>();
    private final Map<String, Deque<ClosePoint>> closes = new TreeMap<>();
    private final Map<String, Latest> latest = new TreeMap<>();
    private final Map<String, Quote> quotes = new TreeMap<>();
    private final Map<String, List<ClosePoint>> newCloses = new TreeMap<>();
    private final List<RatePoint> newRate = new ArrayList<>();
    private long records;
    private Double target;
    private boolean caughtUp;
    private long reportedSecond;
    private long ignoredIndices;

    /**
     * @param windowSeconds how many seconds the charts keep
     * @param maxIndices    distinct indices (record keys) followed at most; records of others are only counted
     * @param clock         the wall clock in milliseconds
     */
    StreamStats(int windowSeconds, int maxIndices, LongSupplier clock) {
        this.window = windowSeconds;
        this.maxIndices = maxIndices;
        this.clock = clock;
        this.counts = new long[windowSeconds];
        this.countSeconds = new long[windowSeconds];
        this.reportedSecond = clock.getAsLong() / 1000 - SETTLE_SECONDS;
    }

    /**
     * One record read from the topic.
     *
     * @param key   the record key (the index, as our connector writes it with {@code key.column=Index}), or null
     * @param value the record value, JSON (with or without the JsonConverter's schema envelope)
     */
    synchronized void add(long timestamp, byte[] key, byte[] value) {
        records++;
        long now = clock.getAsLong();
        long second = Math.floorDiv(timestamp, 1000);
        long nowSecond = Math.floorDiv(now, 1000);
        boolean inWindow = second > nowSecond - window && second <= nowSecond + 5;
        if (!inWindow) {
            if (!caughtUp) {
                remember(index(key, value), timestamp, Long.MIN_VALUE, value);
                return;
            }
            second = nowSecond;
        }
        int slot = (int) Math.floorMod(second, (long) window);
        if (countSeconds[slot] != second) {
            countSeconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
        remember(index(key, value), timestamp, second, value);
    }

    /** The target rate of the connectors writing the topic now; null when unknown (replay, no connector). */
    synchronized void target(Double target) {
        this.target = target;
    }

    /** Whether the reader has reached the end of the topic once (before, records are history). */
    synchronized void caughtUp(boolean caughtUp) {
        this.caughtUp = caughtUp;
    }

    /** Settles the seconds up to now minus {@value #SETTLE_SECONDS} s and returns what changed since last time. */
    synchronized Tick tick() {
        long settled = clock.getAsLong() / 1000 - SETTLE_SECONDS;
        for (long second = Math.max(reportedSecond + 1, settled - window + 1); second <= settled; second++) {
            RatePoint point = new RatePoint(second, target, sum(second, CHART_SMOOTHING_SECONDS)
                    / (double) CHART_SMOOTHING_SECONDS);
            rate.addLast(point);
            newRate.add(point);
        }
        reportedSecond = Math.max(reportedSecond, settled);
        for (Map.Entry<String, Latest> entry : latest.entrySet()) {
            Latest last = entry.getValue();
            if (last.second() != Long.MIN_VALUE && last.second() <= settled) {
                settle(entry.getKey(), last);
            }
        }
        trim(settled);
        Tick tick = new Tick(List.copyOf(newRate), copy(newCloses), quotes(), records, achieved(settled), target,
                caughtUp);
        newRate.clear();
        newCloses.clear();
        return tick;
    }

    /** Everything in the window now, for a page that just connected. */
    synchronized Tick snapshot() {
        long settled = reportedSecond;
        Map<String, List<ClosePoint>> all = new TreeMap<>();
        closes.forEach((index, points) -> all.put(index, List.copyOf(points)));
        return new Tick(List.copyOf(rate), all, quotes(), records, achieved(settled), target, caughtUp);
    }

    /** How many seconds the charts keep. */
    int windowSeconds() {
        return window;
    }

    /** Indices beyond {@code maxIndices}, whose records were only counted. */
    synchronized long ignoredIndices() {
        return ignoredIndices;
    }

    private void remember(String index, long timestamp, long second, byte[] value) {
        if (index == null) {
            return;
        }
        Latest previous = latest.get(index);
        if (previous == null && latest.size() >= maxIndices) {
            ignoredIndices++;
            return;
        }
        if (previous != null && previous.timestamp() > timestamp) {
            return;
        }
        if (previous != null && previous.second() != Long.MIN_VALUE && previous.second() < second) {
            settle(index, previous);
        }
        latest.put(index, new Latest(timestamp, second, value));
        quotes.remove(index); // parsed again when asked for
    }

    /** Appends an index's last record of a second to its chart, once. */
    private void settle(String index, Latest last) {
        Deque<ClosePoint> points = closes.computeIfAbsent(index, i -> new ArrayDeque<>());
        if (!points.isEmpty() && points.peekLast().second() >= last.second()) {
            return;
        }
        Quote quote = quote(index, last);
        ClosePoint point = new ClosePoint(last.second(), quote.close(), quote.closeUsd());
        points.addLast(point);
        while (points.peekFirst().second() <= last.second() - window) {
            points.removeFirst();
        }
        newCloses.computeIfAbsent(index, i -> new ArrayList<>()).add(point);
    }

    private void trim(long settled) {
        long oldest = settled - window + 1;
        while (!rate.isEmpty() && rate.peekFirst().second() < oldest) {
            rate.removeFirst();
        }
        for (Deque<ClosePoint> points : closes.values()) {
            while (!points.isEmpty() && points.peekFirst().second() < oldest) {
                points.removeFirst();
            }
        }
    }

    private List<Quote> quotes() {
        List<Quote> list = new ArrayList<>();
        for (Map.Entry<String, Latest> entry : latest.entrySet()) {
            list.add(quotes.computeIfAbsent(entry.getKey(), index -> quote(index, entry.getValue())));
        }
        return list;
    }

    private double achieved(long settled) {
        return sum(settled, ACHIEVED_SECONDS) / (double) ACHIEVED_SECONDS;
    }

    /** Records in the {@code seconds} seconds that end with {@code last}. */
    private long sum(long last, int seconds) {
        long total = 0;
        for (long second = last - seconds + 1; second <= last; second++) {
            int slot = (int) Math.floorMod(second, (long) window);
            if (countSeconds[slot] == second) {
                total += counts[slot];
            }
        }
        return total;
    }

    private static Map<String, List<ClosePoint>> copy(Map<String, List<ClosePoint>> map) {
        Map<String, List<ClosePoint>> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** The index of a record: its key (text, or a JSON string), else the value's index field. */
    private static String index(byte[] key, byte[] value) {
        if (key != null && key.length > 0 && key.length <= 256) {
            String text = new String(key, StandardCharsets.UTF_8);
            if (!text.startsWith("{") && !text.startsWith("\"")) {
                return text;
            }
            JsonNode node = payload(key);
            if (node != null && node.isValueNode()) {
                return node.asText();
            }
        }
        Map<String, JsonNode> fields = fields(payload(value));
        JsonNode index = fields.get("index");
        return index == null || index.isNull() ? null : index.asText();
    }

    private static Quote quote(String index, Latest latest) {
        Map<String, JsonNode> f = fields(payload(latest.value()));
        JsonNode date = f.get("date");
        JsonNode volume = f.get("volume");
        return new Quote(index, date == null || date.isNull() ? null : date.asText(), number(f, "open"),
                number(f, "high"), number(f, "low"), number(f, "close"), number(f, "closeusd"),
                volume != null && volume.isNumber() ? volume.asLong() : null, latest.timestamp());
    }

    private static Double number(Map<String, JsonNode> fields, String name) {
        JsonNode node = fields.get(name);
        return node != null && node.isNumber() ? node.asDouble() : null;
    }

    /** The value's fields by normalised name: lower case without underscores or spaces (close_usd, CloseUSD). */
    private static Map<String, JsonNode> fields(JsonNode payload) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        if (payload != null && payload.isObject()) {
            payload.properties().forEach(e -> fields.put(
                    e.getKey().toLowerCase(Locale.ROOT).replace("_", "").replace(" ", ""), e.getValue()));
        }
        return fields;
    }

    /** A JSON value without the JsonConverter's {"schema", "payload"} envelope; null when not JSON. */
    static JsonNode payload(byte[] json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = HttpResponses.JSON.readTree(json);
            if (node != null && node.isObject() && node.has("payload") && node.has("schema")) {
                return node.get("payload");
            }
            return node;
        } catch (IOException e) {
            return null;
        }
    }
}
