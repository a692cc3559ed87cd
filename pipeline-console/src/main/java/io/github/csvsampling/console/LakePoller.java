package io.github.csvsampling.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.csvsampling.lake.AthenaDdl;
import io.github.csvsampling.lake.DuckDbLake;
import io.github.csvsampling.lake.S3Server;
import io.github.csvsampling.lake.SinkLayoutWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake section: every {@value #LIST_SECONDS} s it lists the bucket (through {@link BucketMirror}), measures how
 * far the sink's committed offsets trail the topic's end, and publishes both; and it runs the named queries of
 * {@code athena-queries.sql} on DuckDB over the bucket's files when they changed, at most every
 * {@code queryInterval}, and never more often than 20 times the last round's duration, so that queries over a lake
 * that grows all day keep to a few percent of a core.
 *
 * <p>When the bucket holds no objects (no S3 sink, as on offline machines, or none committed yet), the records read
 * from the topic are written as the sink would write them ({@link SinkLayoutWriter}, with the InsertField settings of
 * the running sink's config, or of the config file) and the queries run over those, labelled as coming from the
 * topic, not the bucket. Once the bucket has objects, that copy is dropped.
 *
 * <p>Every DuckDB it opens is confined to the lake's folder ({@link DuckDbLake#confineTo}); SQL typed on the page
 * ({@link #sql(String)}, only with {@code --allow-sql}) must also be a single SELECT. One thread, {@code console-lake}.
 */
final class LakePoller implements TopicReader.Feed, AutoCloseable {

    static final int LIST_SECONDS = 5;
    static final long TOPIC_LAKE_MAX_BYTES = 256L << 20;
    static final long COPY_MAX_BYTES = 256L << 20;
    static final int MAX_ROWS = 20_000;
    static final int SQL_MAX_ROWS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(LakePoller.class);

    /** One query's result for the page. */
    record Result(String name, String description, String sql, List<String> columns, List<List<Object>> rows,
                  int totalRows, String error, long millis) {
    }

    /** A round of queries: when, over what, and each result. */
    record Round(long version, long computedAt, String source, long objects, long records, long millis,
                 List<Result> results) {
    }

    private final ConsoleSettings settings;
    private final BucketMirror bucket;
    private final AthenaDdl ddl;
    private final List<NamedQuery> queries;
    private final Supplier<Optional<ConnectorsWatcher.Sink>> sink;
    private final Map<String, String> sinkConfigFile;
    private final Consumer<String> publish;
    private final Path topicLake;
    private final Thread thread;
    private final Semaphore wake = new Semaphore(0);
    private final Semaphore sqlSlot = new Semaphore(1);
    private final Object writerLock = new Object();
    private volatile boolean running = true;
    private volatile boolean feeding;
    private volatile boolean queriesRequested;
    private SinkLayoutWriter writer;
    private volatile String writerProblem = "";
    private volatile String listError = "";
    private Lake lastLake;
    private DuckDbLake copy;
    private String copyKey = "";
    private Admin admin;
    private volatile String lakeJson = "{}";
    private volatile String roundJson;
    private Round round;
    private String queriedFingerprint = "";
    private long nextQueriesAt;
    private long version;

    /**
     * @param sinkConfigFile the sink config used for the topic's lake when no sink runs on the cluster
     * @param publish        receives the lake's JSON when it changed
     */
    LakePoller(ConsoleSettings settings, BucketMirror bucket, AthenaDdl ddl, List<NamedQuery> queries,
               Supplier<Optional<ConnectorsWatcher.Sink>> sink, Map<String, String> sinkConfigFile,
               Consumer<String> publish) {
        this.settings = settings;
        this.bucket = bucket;
        this.ddl = ddl.withLocationBucket(settings.bucket());
        this.queries = List.copyOf(queries);
        this.sink = sink;
        this.sinkConfigFile = Map.copyOf(sinkConfigFile);
        this.publish = publish;
        this.topicLake = settings.cacheDir().resolve("topic-lake");
        this.roundJson = HttpResponses.toJson(new Round(0, 0, "none", 0, 0, 0, List.of()));
        this.thread = new Thread(this::run, "console-lake");
        this.thread.setDaemon(true);
    }

    /**
     * Lists the bucket once (so that the topic's records are fed to the topic's lake from the first one when the
     * bucket is empty), then starts the thread.
     */
    void start() {
        deleteRecursively(topicLake);
        S3Server.Listing listing = list();
        feeding = listing.objects() == 0;
        thread.start();
    }

    /** Runs the queries at the next occasion (within a second), whatever changed. */
    void requestQueries() {
        queriesRequested = true;
        wake.release();
    }

    /** The last lake JSON published. */
    String json() {
        return lakeJson;
    }

    /** The last round of query results, as JSON. */
    String roundJson() {
        return roundJson;
    }

    /** The topic reader's records, written as the sink would write them while the bucket is empty. */
    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
        if (!feeding) {
            return;
        }
        synchronized (writerLock) {
            if (writer == null && !openWriter()) {
                return;
            }
            writer.write(record.topic(), record.partition(), record.offset(), record.timestamp(), record.value());
        }
    }

    /**
     * Runs SQL typed on the page: one SELECT, over the lake's files only, at most {@value #SQL_MAX_ROWS} rows and
     * 30 s.
     */
    ConnectProxy.Answer sql(String text) {
        if (!settings.allowSql()) {
            return new ConnectProxy.Answer(403, HttpResponses.message("Running your own SQL is off. Start the console"
                    + " with --allow-sql to run read-only SELECTs over the bucket's files."));
        }
        if (text == null || text.isBlank() || text.length() > 20_000) {
            return new ConnectProxy.Answer(400, HttpResponses.message("Give one SELECT statement of at most 20,000"
                    + " characters."));
        }
        if (!sqlSlot.tryAcquire()) {
            return new ConnectProxy.Answer(429, HttpResponses.message("Another query is running; try again when it"
                    + " is done."));
        }
        try {
            Lake lake = currentLake();
            try (DuckDbLake db = open(lake)) {
                if (!db.isSingleSelect(text)) {
                    return new ConnectProxy.Answer(400, HttpResponses.message("Only one SELECT statement can run"
                            + " here (read-only: no COPY, ATTACH, SET, or several statements)."));
                }
                String sql = text.strip().replaceAll(";\\s*$", "");
                long t0 = System.nanoTime();
                DuckDbLake.Table table = db.query("SELECT * FROM (\n" + sql + "\n) LIMIT " + (SQL_MAX_ROWS + 1), 30);
                Result result = result("sql", "", sql, table, null, (System.nanoTime() - t0) / 1_000_000);
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("result", result);
                answer.put("source", lake.source());
                answer.put("truncated", table.rows().size() > SQL_MAX_ROWS);
                return new ConnectProxy.Answer(200, HttpResponses.toJson(answer));
            }
        } catch (SQLException e) {
            return new ConnectProxy.Answer(400, HttpResponses.message(firstLine(e.getMessage())));
        } finally {
            sqlSlot.release();
        }
    }

    /** The folder the queries read now: the bucket's, or the topic's lake while the bucket is empty. */
    private record Lake(String source, Path root, Path folder, long objects, long records, long bytes,
                        String fingerprint) {
    }

    private void run() {
        while (running) {
            try {
                S3Server.Listing listing = list();
                Lake lake = lake(listing);
                synchronized (this) {
                    lastLake = lake;
                }
                long lag = -1;
                String lagNote;
                Optional<ConnectorsWatcher.Sink> currentSink = sink.get();
                if (currentSink.isPresent()) {
                    try {
                        lag = sinkLag(currentSink.get());
                        lagNote = "offsets of " + settings.topic() + " the sink has not committed to the bucket yet";
                    } catch (Exception e) {
                        lagNote = "cannot read the sink's offsets: " + firstLine(String.valueOf(e.getMessage()));
                    }
                } else {
                    lagNote = "no sink";
                }
                publishLake(listing, lake, currentSink, lag, lagNote);
                long now = System.currentTimeMillis();
                if (queriesRequested || (!lake.fingerprint().equals(queriedFingerprint) && now >= nextQueriesAt)) {
                    queriesRequested = false;
                    runQueries(lake);
                    publishLake(listing, lake, currentSink, lag, lagNote);
                }
            } catch (RuntimeException e) {
                log.warn("The lake poller failed; it retries", e);
            }
            try {
                wake.tryAcquire(LIST_SECONDS, TimeUnit.SECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private S3Server.Listing list() {
        try {
            S3Server.Listing listing = bucket.sync();
            listError = "";
            return listing;
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot list {}: {}", bucket.describe(), e.toString());
            listError = "Cannot list " + bucket.describe() + ": " + firstLine(String.valueOf(e.getMessage()));
            return S3Server.Listing.EMPTY;
        }
    }

    /** The bucket when it has objects, else the topic's lake. */
    private Lake lake(S3Server.Listing listing) {
        if (listing.objects() > 0) {
            if (feeding) {
                feeding = false;
                synchronized (writerLock) {
                    writer = null;
                    deleteRecursively(topicLake);
                }
            }
            return new Lake("bucket", bucket.folder().getParent(), bucket.folder(), listing.objects(), -1,
                    listing.bytes(), "bucket:" + listing);
        }
        synchronized (writerLock) {
            long written = writer == null ? 0 : writer.records();
            return new Lake("topic", topicLake, topicLake.resolve(settings.bucket()), written, written, 0,
                    "topic:" + written);
        }
    }

    /** The topic's lake with every file written so far committed (whole), so that the queries see them all. */
    private Lake committed(Lake lake) {
        if (!lake.source().equals("topic")) {
            return lake;
        }
        synchronized (writerLock) {
            if (writer == null) {
                return new Lake("topic", lake.root(), lake.folder(), 0, 0, 0, lake.fingerprint());
            }
            writer.commit();
            return new Lake("topic", lake.root(), lake.folder(), writer.objects(),
                    writer.records() - writer.droppedRecords(), writer.bytes(), lake.fingerprint());
        }
    }

    private Lake currentLake() {
        Lake lake;
        synchronized (this) {
            lake = lastLake != null ? lastLake : new Lake("topic", topicLake, topicLake.resolve(settings.bucket()), 0,
                    0, 0, "");
        }
        return committed(lake);
    }

    private void runQueries(Lake current) {
        Lake lake = committed(current);
        long t0 = System.nanoTime();
        List<Result> results = new ArrayList<>();
        if (lake.objects() == 0) {
            for (NamedQuery query : queries) {
                results.add(new Result(query.name(), query.description(), query.sql(), List.of(), List.of(), 0,
                        "No data yet: the bucket holds no objects and no record of the topic has been read.", 0));
            }
        } else {
            DuckDbLake db = null;
            boolean kept = lake.bytes() <= COPY_MAX_BYTES;
            try {
                db = kept ? copy(lake) : open(lake);
                for (NamedQuery query : queries) {
                    long q0 = System.nanoTime();
                    try {
                        DuckDbLake.Table table = db.query(query.sql(), 60);
                        results.add(result(query.name(), query.description(), query.sql(), table, null,
                                (System.nanoTime() - q0) / 1_000_000));
                    } catch (SQLException e) {
                        results.add(new Result(query.name(), query.description(), query.sql(), List.of(), List.of(),
                                0, firstLine(e.getMessage()), (System.nanoTime() - q0) / 1_000_000));
                    }
                }
            } catch (SQLException e) {
                closeCopy();
                for (NamedQuery query : queries) {
                    results.add(new Result(query.name(), query.description(), query.sql(), List.of(), List.of(), 0,
                            "Cannot read the lake on DuckDB: " + firstLine(e.getMessage()), 0));
                }
            } finally {
                if (db != null && !kept) {
                    closeQuietly(db);
                }
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        round = new Round(++version, System.currentTimeMillis(), lake.source(), lake.objects(), lake.records(), millis,
                results);
        roundJson = HttpResponses.toJson(round);
        queriedFingerprint = lake.fingerprint();
        long pause = Math.max(settings.queryInterval().toMillis(), 20 * millis);
        nextQueriesAt = System.currentTimeMillis() + pause;
    }

    /**
     * The lake's in-memory copy, kept from round to round and brought up to date by reading only new files
     * ({@link DuckDbLake#refresh()}): a round then costs the new data, not the whole lake. Only for a lake of at
     * most {@value #COPY_MAX_BYTES} bytes (the topic's lake is capped at that); a bigger one is read each round.
     */
    private DuckDbLake copy(Lake lake) throws SQLException {
        String key = lake.root() + "|" + lake.folder();
        if (copy == null || !key.equals(copyKey)) {
            closeCopy();
            copy = open(lake);
            copyKey = key;
        }
        copy.refresh();
        return copy;
    }

    private void closeCopy() {
        if (copy != null) {
            closeQuietly(copy);
            copy = null;
            copyKey = "";
        }
    }

    private static void closeQuietly(DuckDbLake db) {
        try {
            db.close();
        } catch (SQLException e) {
            log.warn("Closing DuckDB: {}", e.toString());
        }
    }

    private DuckDbLake open(Lake lake) throws SQLException {
        DuckDbLake db = DuckDbLake.open(ddl, lake.root());
        try {
            db.confineTo(lake.folder(), 1, "512MB");
            return db;
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Result result(String name, String description, String sql, DuckDbLake.Table table, String error,
                                 long millis) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : table.rows()) {
            if (rows.size() >= MAX_ROWS) {
                break;
            }
            List<Object> cells = new ArrayList<>(row.size());
            row.forEach(value -> cells.add(cell(value)));
            rows.add(cells);
        }
        return new Result(name, description, sql, table.columns(), rows, table.rows().size(), error, millis);
    }

    /** A value as JSON shows it: numbers, text, booleans; dates as ISO text; NaN and infinities as null. */
    private static Object cell(Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : d;
        }
        if (value instanceof LocalDate || value instanceof LocalDateTime) {
            return value.toString();
        }
        return String.valueOf(value);
    }

    private void publishLake(S3Server.Listing listing, Lake lake, Optional<ConnectorsWatcher.Sink> currentSink,
                             long lag, String lagNote) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bucket", settings.bucket());
        json.put("where", bucket.describe());
        json.put("objects", listing.objects());
        json.put("bytes", listing.bytes());
        json.put("newest", listing.newest().map(t -> t.toEpochMilli()).orElse(null));
        json.put("source", lake.source());
        json.put("sink", currentSink.map(s -> Map.of("name", s.name(), "state", s.state())).orElse(null));
        json.put("sinkLag", lag >= 0 ? lag : null);
        json.put("lagNote", lagNote);
        json.put("listError", listError);
        json.put("note", note(listing, currentSink));
        synchronized (writerLock) {
            if (writer != null) {
                json.put("topicLake", Map.of("records", writer.records(), "objects", writer.objects(),
                        "bytes", writer.bytes(), "dropped", writer.droppedRecords()));
            }
        }
        json.put("writerProblem", writerProblem);
        Round current = round;
        json.put("queries", current == null ? null : Map.of("version", current.version(), "computedAt",
                current.computedAt(), "source", current.source()));
        json.put("allowSql", settings.allowSql());
        String text = HttpResponses.toJson(json);
        if (!text.equals(lakeJson)) {
            lakeJson = text;
            publish.accept(text);
        }
    }

    /** Why the bucket is empty and what to do, or empty text when it has objects. */
    private String note(S3Server.Listing listing, Optional<ConnectorsWatcher.Sink> currentSink) {
        if (listing.objects() > 0) {
            return "";
        }
        if (currentSink.isPresent()) {
            return "The sink " + currentSink.get().name() + " (" + currentSink.get().state() + ") has not committed an"
                    + " object to " + settings.bucket() + " yet: it commits a file once a record arrives "
                    + "rotate.interval.ms after the file's first one (a minute in this project's configs).";
        }
        return "No S3 sink reads " + settings.topic() + " into the bucket " + settings.bucket() + " on this Connect"
                + " cluster, so the bucket stays empty. Offline machines cannot get the Confluent S3 sink. To add"
                + " it: install confluentinc/kafka-connect-s3 (10.6.x) on the worker (the main job: --s3-sink-dir with"
                + " the Hub zip; docker compose installs it at start), then create it in Connectors with the settings"
                + " of connect-configs/stock-quotes-s3-sink-minio.config.json.";
    }

    private boolean openWriter() {
        Map<String, String> config = sink.get().map(ConnectorsWatcher.Sink::config).orElse(sinkConfigFile);
        try {
            writer = new SinkLayoutWriter(topicLake.resolve(settings.bucket()),
                    SinkLayoutWriter.Layout.fromSinkConfig(config), TOPIC_LAKE_MAX_BYTES);
            return true;
        } catch (RuntimeException e) {
            feeding = false;
            writerProblem = "Cannot write the topic's records as the sink would: " + e.getMessage();
            return false;
        }
    }

    /** Offsets of the topic the sink's consumer group has not committed (transaction markers included). */
    private long sinkLag(ConnectorsWatcher.Sink sink) throws InterruptedException, ExecutionException,
            TimeoutException {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "pipeline-console-admin");
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
            admin = Admin.create(props);
        }
        String group = sink.config().getOrDefault("consumer.override.group.id", "connect-" + sink.name());
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        TopicDescription description = admin.describeTopics(Set.of(settings.topic())).allTopicNames()
                .get(5, TimeUnit.SECONDS).get(settings.topic());
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
        description.partitions().forEach(p -> {
            latest.put(new TopicPartition(settings.topic(), p.partition()), OffsetSpec.latest());
            earliest.put(new TopicPartition(settings.topic(), p.partition()), OffsetSpec.earliest());
        });
        ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        var ends = admin.listOffsets(latest, committedOnly).all().get(5, TimeUnit.SECONDS);
        var starts = admin.listOffsets(earliest, committedOnly).all().get(5, TimeUnit.SECONDS);
        long lag = 0;
        for (TopicPartition partition : latest.keySet()) {
            OffsetAndMetadata done = committed.get(partition);
            long from = done != null ? done.offset() : starts.get(partition).offset();
            lag += Math.max(0, ends.get(partition).offset() - from);
        }
        return lag;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }

    /** Deletes {@code dir} and what it holds, as far as it can; what cannot be deleted is logged, not thrown. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("Cannot delete {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (writerLock) {
            feeding = false;
            writer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        closeCopy();
        deleteRecursively(topicLake);
        bucket.close();
    }
}
