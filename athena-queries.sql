-- Analysis queries over stock_pipeline.stock_quotes, the view made by athena-ddl.sql.
-- Written in the SQL that Athena (engine v3, Trino) and DuckDB both accept, so each runs unchanged on either. The tests
-- run every query of this file verbatim on Trino 476 and on DuckDB over the same files laid out as the sink lays them
-- out, and compare the results (athena-engine-tests), and check the DuckDB results against values computed in Java
-- (pipeline-tests). Each query starts with a "-- name:" line. "The stream" is the sampled quotes: each record is a CSV
-- row (a trading day of an index) sampled at event time event_ts.
--
-- Missing values. Every field the connector emits can be NULL (csv.null.values), and the engines differ where a query
-- leaves that open (Trino's max_by returns the NULL of the newest row, DuckDB's skips it; default NULL ordering), so
-- every query says what it means and filters or orders explicitly:
-- - records without an index cannot be attributed and are left out of every per-index query;
-- - "latest" and "first" order by event time, then Kafka partition and offset, a total order: records with equal event
--   times give one answer on every engine;
-- - aggregates (min, max, avg, sum) are over the known values, as SQL defines them; a count(*) counts records.
--
-- Cost. A query without a predicate on year, month, day and hour lists every hour folder the table projects (98,208
-- for 2025-2035: S3 LIST requests and planning time on Athena, about 7 s on a local Trino with an empty lake) and reads
-- every object (about 1,440 objects and 490 MB a day at 20 records/s; Athena bills the bytes scanned). The queries that
-- look at recent data (latest_quote_per_index, stats_last_15_minutes) therefore restrict the partition columns with
-- per-column equalities on values computed from the current time, which Athena and Trino turn into the few partitions
-- to read (2 hour folders, or 2 days), and DuckDB into the files to open. The others read the whole history: add such
-- a predicate (or a range on year, month, day) to bound them on a lake that has grown.

-- name: latest_quote_per_index
-- The latest quote of each index sampled since yesterday 00:00 UTC: the newest record that has a close, with its
-- trading day and close in USD as recorded (NULL when that record has none). Records without a close are not quotes.
-- An index with no quote since yesterday is not listed (the partition predicate reads today's and yesterday's folders
-- only; widen it for a stream that stopped earlier).
SELECT
  "index",
  event_ts AS last_event_ts,
  trading_day,
  close,
  close_usd
FROM (
  SELECT
    "index",
    event_ts,
    trading_day,
    close,
    close_usd,
    row_number() OVER (PARTITION BY "index" ORDER BY event_time DESC, kafka_partition DESC, kafka_offset DESC) AS newest
  FROM stock_pipeline.stock_quotes
  WHERE "index" IS NOT NULL
    AND close IS NOT NULL
    AND ((year = year(current_date) AND month = month(current_date) AND day = day(current_date))
      OR (year = year(current_date - INTERVAL '1' DAY) AND month = month(current_date - INTERVAL '1' DAY)
        AND day = day(current_date - INTERVAL '1' DAY)))
) AS quotes
WHERE newest = 1
ORDER BY "index";

-- name: stats_last_15_minutes
-- Per-index statistics over the quotes sampled in the last 15 minutes (event time after now minus 15 minutes, UTC; empty
-- once the stream has stopped for 15 minutes). quotes counts the records, closes those with a close; min, max and avg
-- are over the known closes, total_volume sums the known volumes (NULL when none is known). The partition predicate
-- reads the current hour's folder and the one 15 minutes ago.
SELECT
  "index",
  count(*) AS quotes,
  count(close) AS closes,
  min(close) AS min_close,
  max(close) AS max_close,
  avg(close) AS avg_close,
  sum(volume) AS total_volume
FROM stock_pipeline.stock_quotes
WHERE "index" IS NOT NULL
  AND event_ts > localtimestamp - INTERVAL '15' MINUTE
  AND ((year = year(localtimestamp) AND month = month(localtimestamp) AND day = day(localtimestamp)
      AND hour = hour(localtimestamp))
    OR (year = year(localtimestamp - INTERVAL '15' MINUTE) AND month = month(localtimestamp - INTERVAL '15' MINUTE)
      AND day = day(localtimestamp - INTERVAL '15' MINUTE) AND hour = hour(localtimestamp - INTERVAL '15' MINUTE)))
GROUP BY "index"
ORDER BY "index";

-- name: daily_ohlc_per_index
-- Daily OHLC per index of the sampled closes, by UTC event day, as if each sampled quote with a close were a tick: the
-- close of the day's first and last tick (event time, then Kafka partition and offset), the highest and lowest close,
-- and the number of ticks. Records without a close are not ticks.
SELECT
  "index",
  CAST(event_ts AS DATE) AS event_day,
  min_by(close, ROW(event_time, kafka_partition, kafka_offset)) AS open,
  max(close) AS high,
  min(close) AS low,
  max_by(close, ROW(event_time, kafka_partition, kafka_offset)) AS close,
  count(*) AS ticks
FROM stock_pipeline.stock_quotes
WHERE "index" IS NOT NULL
  AND close IS NOT NULL
GROUP BY "index", CAST(event_ts AS DATE)
ORDER BY "index", event_day;

-- name: moving_averages
-- 5- and 20-trading-day moving averages of the close, per index, over the distinct trading days sampled so far. A
-- trading day's close is that of its latest sampled record with a close (a row sampled again has the same values; a
-- corrected row replaces the earlier one). Records without a valid trading day or a close are left out.
SELECT
  "index",
  trading_day,
  close,
  avg(close) OVER (PARTITION BY "index" ORDER BY trading_day ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS ma_5,
  avg(close) OVER (PARTITION BY "index" ORDER BY trading_day ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS ma_20
FROM (
  SELECT
    "index",
    trading_day,
    max_by(close, ROW(event_time, kafka_partition, kafka_offset)) AS close
  FROM stock_pipeline.stock_quotes
  WHERE "index" IS NOT NULL
    AND trading_day IS NOT NULL
    AND close IS NOT NULL
  GROUP BY "index", trading_day
) AS days
ORDER BY "index", trading_day;

-- name: usd_comparison
-- Indices compared in US dollars over the distinct trading days sampled with a close in USD (a day's value is that of its
-- latest sampled record): the average over those days, the value on the latest day, and the return from the earliest
-- to the latest day, ranked from the highest (equal returns share a rank). Records without a valid trading day or a
-- close in USD are left out.
SELECT
  "index",
  avg(close_usd) AS avg_close_usd,
  max_by(close_usd, trading_day) AS latest_close_usd,
  (max_by(close_usd, trading_day) / min_by(close_usd, trading_day) - 1) * 100 AS usd_return_pct,
  rank() OVER (ORDER BY max_by(close_usd, trading_day) / min_by(close_usd, trading_day) DESC NULLS LAST) AS return_rank
FROM (
  SELECT
    "index",
    trading_day,
    max_by(close_usd, ROW(event_time, kafka_partition, kafka_offset)) AS close_usd
  FROM stock_pipeline.stock_quotes
  WHERE "index" IS NOT NULL
    AND trading_day IS NOT NULL
    AND close_usd IS NOT NULL
  GROUP BY "index", trading_day
) AS days
GROUP BY "index"
ORDER BY return_rank, "index";

-- name: volume_leaders
-- The indices with the most traded volume over the sampled quotes: total_volume sums the known volumes of every record
-- (NULL when none is known, ranked last), quotes counts the records; equal totals share a rank.
SELECT
  "index",
  sum(volume) AS total_volume,
  count(*) AS quotes,
  rank() OVER (ORDER BY sum(volume) DESC NULLS LAST) AS volume_rank
FROM stock_pipeline.stock_quotes
WHERE "index" IS NOT NULL
GROUP BY "index"
ORDER BY volume_rank, "index";

-- name: deduplicated_quotes
-- Every Kafka record once, however many objects hold it, with the number of copies in the lake. A record is identified
-- by its Kafka topic, partition and offset, which the sink's InsertField SMT writes into each line. The object name's
-- start offset plus the line number is no substitute: the source writes in transactions, and each commit leaves a
-- marker at an offset of its own that the sink never sees, so offsets within an object have gaps. The sink writes each
-- record once while its partitioning stays deterministic; copies appear when it re-reads records after flush.size,
-- rotate.interval.ms or path.format changed (the objects are cut at other offsets), or when two connectors write the
-- same topic to the bucket. Use the inner SELECT (copy = 1) as the source of any query that must count each record once.
SELECT
  kafka_topic,
  kafka_partition,
  kafka_offset,
  "index",
  trading_day,
  close,
  event_ts,
  copies
FROM (
  SELECT
    kafka_topic,
    kafka_partition,
    kafka_offset,
    "index",
    trading_day,
    close,
    event_ts,
    count(*) OVER (PARTITION BY kafka_topic, kafka_partition, kafka_offset) AS copies,
    row_number() OVER (PARTITION BY kafka_topic, kafka_partition, kafka_offset) AS copy
  FROM stock_pipeline.stock_quotes
) AS records
WHERE copy = 1
ORDER BY kafka_topic, kafka_partition, kafka_offset;
