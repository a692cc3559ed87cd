-- Analysis queries over stock_pipeline.stock_quotes, the view made by athena-ddl.sql.
-- Written in the SQL that Athena (engine v3, Trino) and DuckDB both accept, so each runs unchanged on either:
-- pipeline-tests/.../AthenaSqlOnDuckDbTest runs every query of this file on DuckDB and checks the results.
-- Each query starts with a "-- name:" line. "The stream" is the sampled quotes: each record is a CSV row
-- (a trading day of an index) sampled at event time event_ts.
-- On Athena, add predicates on year, month, day and hour (the partition columns) to read fewer folders.

-- name: latest_quote_per_index
-- The most recently sampled quote of each index.
SELECT
  "index",
  max(event_ts) AS last_event_ts,
  max_by(trading_day, event_ts) AS trading_day,
  max_by(close, event_ts) AS close,
  max_by(close_usd, event_ts) AS close_usd
FROM stock_pipeline.stock_quotes
GROUP BY "index"
ORDER BY "index";

-- name: stats_last_15_minutes
-- Per-index statistics over the last 15 minutes of the stream (relative to the newest record, so it also
-- works on a stream that has stopped; use current_timestamp instead for "the last 15 minutes from now").
SELECT
  "index",
  count(*) AS quotes,
  min(close) AS min_close,
  max(close) AS max_close,
  avg(close) AS avg_close,
  sum(volume) AS total_volume
FROM stock_pipeline.stock_quotes
WHERE event_ts > (SELECT max(event_ts) FROM stock_pipeline.stock_quotes) - INTERVAL '15' MINUTE
GROUP BY "index"
ORDER BY "index";

-- name: daily_ohlc_per_index
-- Daily OHLC per index of the sampled closes, by UTC event day: the first, highest, lowest and last close
-- sampled that day, as if each sampled quote were a tick.
SELECT
  "index",
  CAST(event_ts AS DATE) AS event_day,
  min_by(close, event_ts) AS open,
  max(close) AS high,
  min(close) AS low,
  max_by(close, event_ts) AS close,
  count(*) AS quotes
FROM stock_pipeline.stock_quotes
GROUP BY "index", CAST(event_ts AS DATE)
ORDER BY "index", event_day;

-- name: moving_averages
-- 5- and 20-trading-day moving averages of the close, per index, over the distinct trading days sampled so far
-- (rows are sampled with replacement, so a trading day can arrive several times with the same values).
SELECT
  "index",
  trading_day,
  close,
  avg(close) OVER (PARTITION BY "index" ORDER BY trading_day ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS ma_5,
  avg(close) OVER (PARTITION BY "index" ORDER BY trading_day ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS ma_20
FROM (
  SELECT DISTINCT "index", trading_day, close
  FROM stock_pipeline.stock_quotes
) AS days
ORDER BY "index", trading_day;

-- name: usd_comparison
-- Indices compared in US dollars: average and latest close in USD, and the USD return between the earliest
-- and the latest trading day sampled, ranked.
SELECT
  "index",
  avg(close_usd) AS avg_close_usd,
  max_by(close_usd, trading_day) AS latest_close_usd,
  (max_by(close_usd, trading_day) / min_by(close_usd, trading_day) - 1) * 100 AS usd_return_pct,
  rank() OVER (ORDER BY (max_by(close_usd, trading_day) / min_by(close_usd, trading_day)) DESC) AS return_rank
FROM stock_pipeline.stock_quotes
GROUP BY "index"
ORDER BY return_rank, "index";

-- name: volume_leaders
-- The indices with the most traded volume over the sampled quotes.
SELECT
  "index",
  sum(volume) AS total_volume,
  count(*) AS quotes,
  rank() OVER (ORDER BY sum(volume) DESC) AS volume_rank
FROM stock_pipeline.stock_quotes
GROUP BY "index"
ORDER BY volume_rank, "index";
