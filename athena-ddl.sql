-- Athena DDL for the objects the Confluent S3 sink writes (connect-configs/stock-quotes-s3-sink-*.config.json):
--   s3://<bucket>/topics/stock-quotes/year=YYYY/month=MM/day=dd/hour=HH/stock-quotes+<partition>+<offset>.json
-- one JSON object per line: the source connector's snake_case fields, then what the sink's InsertField SMT adds from
-- the Kafka record: kafka_topic, kafka_partition, kafka_offset (they identify the record, see the query
-- deduplicated_quotes) and event_time, the record timestamp in epoch milliseconds (the broker's append time: the source
-- configs create the topic with message.timestamp.type=LogAppendTime, see docs/lake.md).
--
-- Replace my-stock-quotes-lake with your bucket (two places), run the statements one at a time in the Athena
-- console (or with `aws athena start-query-execution`), then query the view stock_pipeline.stock_quotes.
-- The tests read this file: they take the columns, types, partition projection and location template from it and run
-- the view and athena-queries.sql on Trino 476 (Athena engine v3's base, athena-engine-tests) and on DuckDB
-- (pipeline-tests, and the main job) over files laid out as the sink lays them out.

CREATE DATABASE IF NOT EXISTS stock_pipeline;

-- Partition projection: Athena computes the partitions from the template below, so data written a minute ago is
-- queryable at once, with no crawler run and no MSCK REPAIR TABLE. Projected values are generated in UTC, as the
-- sink's folders are (timezone=UTC). Keep the year range tight: a query without a year/month/day/hour predicate
-- lists every projected folder (2025-2035: 11 x 12 x 31 x 24 = 98,208 hour folders). Filter on year, month, day
-- and hour to read only the folders you need. Objects in folders outside the ranges (a record timestamp before 2025
-- or after 2035) are invisible to Athena: see docs/lake.md before partitioning by a data timestamp.
CREATE EXTERNAL TABLE IF NOT EXISTS stock_pipeline.stock_quotes_raw (
  `index` string,
  `date` string,
  open double,
  high double,
  low double,
  close double,
  adj_close double,
  volume bigint,
  close_usd double,
  kafka_topic string,
  kafka_partition int,
  kafka_offset bigint,
  event_time bigint
)
PARTITIONED BY (year int, month int, day int, hour int)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://my-stock-quotes-lake/topics/stock-quotes/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.year.type' = 'integer',
  'projection.year.range' = '2025,2035',
  'projection.month.type' = 'integer',
  'projection.month.range' = '1,12',
  'projection.month.digits' = '2',
  'projection.day.type' = 'integer',
  'projection.day.range' = '1,31',
  'projection.day.digits' = '2',
  'projection.hour.type' = 'integer',
  'projection.hour.range' = '0,23',
  'projection.hour.digits' = '2',
  'storage.location.template' = 's3://my-stock-quotes-lake/topics/stock-quotes/year=${year}/month=${month}/day=${day}/hour=${hour}/'
);

-- The view the analysis queries use: the trading day as a DATE (NULL when the text is not a valid yyyy-MM-dd date:
-- TRY_CAST, so one bad value does not fail every query) and the event time as a TIMESTAMP (UTC).
-- event_ts is computed with integer arithmetic only (whole days, then milliseconds), which Athena (Trino) and
-- DuckDB evaluate identically and exactly; from_unixtime exists only in Trino, epoch_ms only in DuckDB.
CREATE OR REPLACE VIEW stock_pipeline.stock_quotes AS
SELECT
  "index",
  TRY_CAST("date" AS DATE) AS trading_day,
  open,
  high,
  low,
  close,
  adj_close,
  volume,
  close_usd,
  TIMESTAMP '1970-01-01 00:00:00.000'
    + CAST((event_time - event_time % 86400000) / 86400000 AS INTEGER) * INTERVAL '1' DAY
    + CAST(event_time % 86400000 AS INTEGER) * INTERVAL '0.001' SECOND AS event_ts,
  event_time,
  kafka_topic,
  kafka_partition,
  kafka_offset,
  year,
  month,
  day,
  hour
FROM stock_pipeline.stock_quotes_raw;
