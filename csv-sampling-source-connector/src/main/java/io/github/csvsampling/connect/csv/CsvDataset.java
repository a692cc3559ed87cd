package io.github.csvsampling.connect.csv;

import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.COLUMN_TYPES;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.CSV_HEADER;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.CSV_PATH;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.CSV_SEPARATOR;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.FIELD_NAMES;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.KEY_COLUMN;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.REPLAY_TIME_COLUMN;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.REPLAY_TIME_FORMAT;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.TIMESTAMP_COLUMN;
import static io.github.csvsampling.connect.config.CsvSamplingSourceConfig.TIMESTAMP_COLUMN_FORMAT;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import io.github.csvsampling.connect.config.MalformedRows;
import io.github.csvsampling.connect.sample.SyntheticStockIndexData;
import io.github.csvsampling.connect.schema.AsciiText;
import io.github.csvsampling.connect.schema.ColumnProfile;
import io.github.csvsampling.connect.schema.ColumnType;
import io.github.csvsampling.connect.schema.FieldNaming;
import io.github.csvsampling.connect.schema.InstantCache;
import io.github.csvsampling.connect.schema.NullValues;
import io.github.csvsampling.connect.schema.RowSchema;
import io.github.csvsampling.connect.schema.RowSchema.Column;
import io.github.csvsampling.connect.schema.TemporalFormat;
import io.github.csvsampling.connect.schema.ValueTyping;
import org.apache.kafka.connect.data.Struct;

/**
 * A loaded CSV file: its record schema, inferred from every row, and the byte offset of every data
 * row, so that any row can be read back, parsed and typed on demand. Rows are not kept in memory.
 *
 * <p>Loading reads the whole file once and checks every row (field count, charset, type overrides,
 * the timestamp column), so that rows read back later are known to convert: a problem is reported
 * up front, with the file, the line, the cause and the key to change, rather than as a wrongly typed
 * record later. Inference is deterministic, so every task and every restart derive the same schema
 * from the same file. Since a task cannot emit before this, it is what a task restarted or moved by a
 * rebalance waits for: a large file is read in stretches by up to four threads with the same result as
 * one reader (see the loader's loadParts), plain rows are checked where they lie in the read buffer,
 * and replay's order is collected in the same pass.
 *
 * <p>Tasks of one connector on one worker share what loading gives (see {@link SharedFiles}); each has a dataset
 * of its own over it. A dataset is not thread-safe: one per task.
 */
public final class CsvDataset implements Closeable {

    private final ByteSource source;
    private final CsvDialect dialect;
    private final RowSchema schema;
    private final RowOffsets offsets;
    private final Map<Long, Long> endsBeforeSkippedRows;
    private final long skippedRows;
    private final long dataEnd;
    private final Column keyColumn;
    private final Column timestampColumn;
    private final TemporalFormat timestampFormat;
    private final String fingerprint;
    private final RowParser rowParser;
    private ByteBuffer rowBuffer = ByteBuffer.allocate(1024);
    /** Typed rows kept after first use, for rows below its length, while {@link #cacheBudget} lasts. */
    private final TypedRow[] cache;
    private final long cacheBudget;
    private long cachedBytes;
    private final List<String> stretches;
    /** The shared file this dataset uses, released on close; null when it loaded the file for itself alone. */
    private final SharedFiles.Entry shared;
    private final boolean loadedByAnother;

    /**
     * What loading a file gives: the same for every task that loads it with the same configuration, never changed
     * after loading, so the tasks of a worker can share it.
     */
    record Loaded(ByteSource source, CsvDialect dialect, RowSchema schema, RowOffsets offsets,
                  Map<Long, Long> endsBeforeSkippedRows, long skippedRows, long dataEnd, Column keyColumn,
                  Column timestampColumn, TemporalFormat timestampFormat, String fingerprint, List<String> stretches) {
    }

    CsvDataset(Loaded loaded, long cacheBudget, SharedFiles.Entry shared, boolean loadedByAnother) {
        this.source = loaded.source();
        this.dialect = loaded.dialect();
        this.schema = loaded.schema();
        this.offsets = loaded.offsets();
        this.endsBeforeSkippedRows = loaded.endsBeforeSkippedRows();
        this.skippedRows = loaded.skippedRows();
        this.dataEnd = loaded.dataEnd();
        this.keyColumn = loaded.keyColumn();
        this.timestampColumn = loaded.timestampColumn();
        this.timestampFormat = loaded.timestampFormat();
        this.fingerprint = loaded.fingerprint();
        this.stretches = loaded.stretches();
        this.shared = shared;
        this.loadedByAnother = loadedByAnother;
        this.rowParser = new RowParser(dialect);
        this.cacheBudget = cacheBudget;
        // No typed row takes less than 64 bytes, so the budget never needs more slots than this.
        this.cache = new TypedRow[(int) Math.min(offsets.size(), cacheBudget / 64)];
    }

    /**
     * A data row as records carry it: the record value and, with {@code timestamp.column}, the record timestamp
     * in epoch milliseconds (else null). Records share it: Connect's contract is that nothing downstream of a
     * source task (transformations, converters) mutates a record's Struct.
     */
    public record TypedRow(Struct value, Long timestampMillis) {
    }

    /**
     * Receives the replay time and the key text of every usable data row, in file order, while the file loads, so
     * that replay's order is built in the same pass as the row offsets.
     */
    @FunctionalInterface
    public interface ReplayRows {
        /**
         * @param epochMillis the instant of the row's {@code replay.time.column}, in epoch milliseconds
         * @param key         the text of the row's {@code key.column}, or null without one; valid during the call only
         */
        void row(long epochMillis, CharSequence key);

        /**
         * An empty collector of the same kind for rows further on in the file, which another thread may fill and
         * {@link #append} then adds after this one's rows; null (the default) when rows must come in one sequence,
         * which makes the file load on one thread.
         */
        default ReplayRows forLaterRows() {
            return null;
        }

        /** Adds the rows of {@code later}, made by {@link #forLaterRows()}, after this collector's rows. */
        default void append(ReplayRows later) {
            throw new UnsupportedOperationException("rows in one sequence only");
        }
    }

    /**
     * Opens and loads the file the configuration names (or the bundled sample), reading at most
     * {@code rowLimit} data rows.
     *
     * @throws DatasetException naming the configuration key to fix and what is wrong
     */
    public static CsvDataset load(CsvSamplingSourceConfig config, long rowLimit) {
        return load(config, rowLimit, null);
    }

    /**
     * Loads as {@link #load(CsvSamplingSourceConfig, long)} does and hands every usable row's replay time and key to
     * {@code replayRows} (when {@code replay.time.column} is set).
     */
    public static CsvDataset load(CsvSamplingSourceConfig config, long rowLimit, ReplayRows replayRows) {
        return load(config, rowLimit, replayRows, Loader.MIN_PART_BYTES, Loader.threads());
    }

    /**
     * As {@link #load(CsvSamplingSourceConfig, long, ReplayRows)}, in at most {@code maxParts} stretches of at least
     * {@code minPartBytes}.
     */
    static CsvDataset load(CsvSamplingSourceConfig config, long rowLimit, ReplayRows replayRows, long minPartBytes,
                           int maxParts) {
        java.util.function.Supplier<Loaded> load = () -> {
            ByteSource source = open(config);
            try {
                return new Loader(source, config, replayRows, minPartBytes, maxParts).load(rowLimit).result();
            } catch (RuntimeException e) {
                closeQuietly(source);
                throw e;
            }
        };
        boolean file;
        try {
            file = config.csvPath().isPresent();
        } catch (java.nio.file.InvalidPathException e) {
            file = false; // the load says what is wrong
        }
        // A task's whole file is shared with the other tasks of the worker that load it alike; not replay's, whose
        // order each task builds while loading.
        if (file && rowLimit == Long.MAX_VALUE && replayRows == null) {
            return SharedFiles.open(config, load);
        }
        return new CsvDataset(load.get(), config.cacheMaxBytes(), null, false);
    }

    /** True when another task of this worker loaded the file and this one uses what it loaded. */
    public boolean loadedByAnotherTask() {
        return loadedByAnother;
    }

    /**
     * How the stretches of the file after the first were read, in order: "adopted" when the rows its own thread
     * read were kept, "read on" when the reader before it went on through it; empty when one thread read the file.
     */
    List<String> stretches() {
        return stretches;
    }

    /** The name of the file in messages, or the bundled sample's label. */
    public String name() {
        return source.name();
    }

    public RowSchema schema() {
        return schema;
    }

    public long rowCount() {
        return offsets.size();
    }

    /** Rows left out as malformed ({@code csv.malformed.rows=skip}). */
    public long skippedRows() {
        return skippedRows;
    }

    /**
     * Checks that the file still holds the bytes loaded at start; see {@link ByteSource#checkUnchanged}.
     *
     * @throws DatasetException naming the file when it was truncated or rewritten
     */
    public void checkUnchanged(java.util.function.Consumer<String> warning) {
        try {
            source.checkUnchanged(warning);
        } catch (IOException e) {
            throw new DatasetException(CSV_PATH, e.getMessage(), e);
        }
    }

    /**
     * Data row {@code index} (0-based), read, parsed and typed, or kept from an earlier call: rows are kept while
     * {@code csv.cache.max.bytes} lasts (estimated as the JVM lays the objects out), so a file that fits is read
     * from disk and parsed once per row, not once per record.
     *
     * @throws DatasetException when the row no longer converts, which means the file changed
     */
    public TypedRow typedRow(long index) {
        boolean cacheable = index < cache.length;
        if (cacheable && cache[(int) index] != null) {
            return cache[(int) index];
        }
        String[] row = row(index);
        Struct value;
        try {
            value = schema.toStruct(row);
        } catch (RuntimeException e) {
            throw new DatasetException(CSV_PATH, "Data row " + (index + 1) + " of " + source.name() + " no longer fits"
                    + " the schema loaded at start (" + e.getMessage() + "): the file changed after it was loaded."
                    + " Restart the connector to load it again.", e);
        }
        TypedRow typed = new TypedRow(value, timestampColumn == null ? null
                : timestampFormat.parseInstant(row[timestampColumn.index()]).toEpochMilli());
        if (cacheable && cachedBytes < cacheBudget) {
            cachedBytes += estimatedBytes(typed);
            cache[(int) index] = typed;
        }
        return typed;
    }

    /** Heap bytes of a typed row and what it references, with compressed references: an estimate, on the high side. */
    private static long estimatedBytes(TypedRow row) {
        int fields = row.value().schema().fields().size();
        long bytes = 24 + 24 + align(16 + 4L * fields) + (row.timestampMillis() == null ? 0 : 16);
        for (int i = 0; i < fields; i++) {
            Object value = row.value().get(row.value().schema().fields().get(i));
            if (value instanceof String) {
                String text = (String) value;
                boolean latin1 = text.chars().allMatch(c -> c <= 0xFF);
                bytes += 24 + align(16 + (long) text.length() * (latin1 ? 1 : 2));
            } else if (value != null) {
                bytes += 24; // Double, Long, Boolean, java.util.Date: 16 to 24 bytes
            }
        }
        return bytes;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /**
     * A fingerprint of the file's content as loaded (CRC-32C and size), stored with the source
     * offsets so that a task notices when the file behind a stored position has changed.
     */
    public String fingerprint() {
        return fingerprint;
    }

    public Optional<Column> keyColumn() {
        return Optional.ofNullable(keyColumn);
    }

    /**
     * Reads and parses data row {@code index} (0-based).
     *
     * @throws DatasetException when the file changed since it was loaded
     */
    public String[] row(long index) {
        long start = offsets.get(index);
        Long endBeforeSkip = endsBeforeSkippedRows.isEmpty() ? null : endsBeforeSkippedRows.get(index);
        long end = endBeforeSkip != null ? endBeforeSkip : index + 1 < offsets.size() ? offsets.get(index + 1) : dataEnd;
        int length = (int) (end - start);
        if (rowBuffer.capacity() < length) {
            rowBuffer = ByteBuffer.allocate(Math.max(length, rowBuffer.capacity() * 2));
        }
        rowBuffer.clear().limit(length);
        try {
            int read = source.read(start, rowBuffer);
            while (read > 0 && isLineEnd(rowBuffer.get(read - 1))) {
                read--;
            }
            String[] fields = rowParser.parse(rowBuffer.array(), read, -1);
            if (fields.length != schema.columns().size()) {
                throw new IOException("row " + (index + 1) + " no longer has " + schema.columns().size() + " fields");
            }
            return fields;
        } catch (IOException | CsvFormatException e) {
            throw new DatasetException(CSV_PATH, "Cannot read data row " + (index + 1) + " of " + source.name()
                    + " again: " + e.getMessage() + ". The file changed after it was loaded;"
                    + " restart the connector to load it again.", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (shared != null) {
            shared.release();
        } else {
            source.close();
        }
    }

    private static boolean isLineEnd(byte b) {
        return b == '\n' || b == '\r';
    }

    /** Opens the file the configuration names, or the bundled sample, after the operator's access checks. */
    static ByteSource open(CsvSamplingSourceConfig config) {
        Optional<Path> path;
        try {
            path = config.csvPath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new DatasetException(CSV_PATH, "csv.path is not a valid path on the worker: " + e.getReason()
                    + ". Give the absolute path of the CSV file.");
        }
        if (path.isEmpty()) {
            return new MemoryByteSource(SyntheticStockIndexData.RESOURCE_NAME, SyntheticStockIndexData.csvBuffer());
        }
        Path file = path.get();
        FileAccessPolicy policy = FileAccessPolicy.current();
        policy.check(file);
        if (Files.isDirectory(file)) {
            throw new DatasetException(CSV_PATH, "csv.path '" + file + "' is a directory. Give the path of a"
                    + " CSV file inside it.");
        }
        FileByteSource source;
        try {
            source = FileByteSource.open(file);
        } catch (NoSuchFileException e) {
            throw new DatasetException(CSV_PATH, "csv.path '" + file + "' does not exist on the worker."
                    + " Copy the file there (every worker needs it) or fix the path.");
        } catch (AccessDeniedException e) {
            throw new DatasetException(CSV_PATH, "csv.path '" + file + "' is not readable by the worker's user."
                    + " Grant read permission on the file and its directories.");
        } catch (java.nio.file.FileSystemException e) {
            throw new DatasetException(CSV_PATH, "csv.path '" + file + "' cannot be opened: "
                    + (e.getReason() != null ? e.getReason() : "the file system refused it") + ".", e);
        } catch (IOException e) {
            throw new DatasetException(CSV_PATH, "csv.path '" + file + "' cannot be opened: " + e.getMessage() + ".",
                    e);
        }
        try {
            policy.checkSize(file, source.size());
            return source;
        } catch (DatasetException e) {
            closeQuietly(source);
            throw e;
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing useful to add to the error being reported
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CsvDataset.class);
    private static final int SKIPS_LOGGED = 10;

    /** A column whose every value must parse as a time with a configured format. */
    private record TimeColumn(String columnKey, String formatKey, int index, TemporalFormat format, String remedy) {
    }

    /**
     * The load: header, names, overrides, then every row, in one pass. A large file is read in up to
     * {@value #MAX_PARTS} stretches by as many threads (see {@link #loadParts}); the result is the same as one
     * thread's, row for row.
     */
    private static final class Loader {
        /** Below this many bytes a stretch of the file is not worth a thread of its own. */
        static final long MIN_PART_BYTES = 32L << 20;
        private static final int MAX_PARTS = 4;
        /** The JVM system property that caps the threads a task uses to load a file (operators; 1 for one). */
        static final String THREADS_PROPERTY = "csv.sampling.load.threads";
        /** The environment variable read when {@link #THREADS_PROPERTY} is not set. */
        static final String THREADS_ENVIRONMENT = "CSV_SAMPLING_LOAD_THREADS";

        private final ByteSource source;
        private final CsvSamplingSourceConfig config;
        private final CsvDialect dialect;
        private final ValueTyping typing;
        private final NullValues nullValues;
        private final ReplayRows replayRows;
        private final AtomicBoolean abandoned = new AtomicBoolean();
        // What the header and the configuration say about the rows, set before the rows are read.
        private List<String> headers;
        private ColumnType[] overridden;
        private TimeColumn[] timeColumns;
        private int replayColumn = -1;
        private int keyIndex;
        private boolean skip;
        // The result.
        private RowOffsets offsets;
        private final Map<Long, Long> endsBeforeSkippedRows = new HashMap<>();
        private long skippedRows;
        private RowSchema schema;
        private long dataEnd;
        private Column keyColumn;
        private Column timestampColumn;
        private TemporalFormat timestampFormat;
        private String fingerprint;

        private final long minPartBytes;
        /** How each stretch after the first was read: "adopted" (its thread's rows kept) or "read on". */
        private final List<String> stretchReads = new ArrayList<>();

        private final int maxParts;

        Loader(ByteSource source, CsvSamplingSourceConfig config, ReplayRows replayRows, long minPartBytes,
               int maxParts) {
            this.minPartBytes = minPartBytes;
            this.maxParts = maxParts;
            this.source = source;
            this.config = config;
            this.dialect = config.dialect();
            this.typing = config.valueTyping();
            this.nullValues = new NullValues(config.nullValues());
            this.replayRows = replayRows;
        }

        Loaded result() {
            return new Loaded(source, dialect, schema, offsets, endsBeforeSkippedRows, skippedRows, dataEnd, keyColumn,
                    timestampColumn, timestampFormat, fingerprint, List.copyOf(stretchReads));
        }

        Loader load(long rowLimit) {
            try {
                CsvRecordReader reader = new CsvRecordReader(source, dialect);
                if (reader.marks().warning() != null) {
                    log.warn("{} {}", source.name(), reader.marks().warning());
                }
                reader.skipLines(dialect.skipLines());
                if (!reader.next()) {
                    throw new DatasetException(CSV_PATH, source.name() + " has no rows"
                            + (dialect.skipLines() > 0 ? " after skipping " + dialect.skipLines() + " lines" : "")
                            + ". Give a CSV file with " + (dialect.header() ? "a header and " : "") + "data rows.");
                }
                long firstLine = reader.recordLine();
                String[] first = new RowParser(dialect).parse(reader.recordBytes(), reader.recordOffset(),
                        reader.recordLength(), firstLine);
                headers = dialect.header() ? Arrays.asList(first) : generatedNames(first.length);
                Map<String, ColumnType> overrides = resolveOverrides(headers);
                List<String> fields = fieldNames(headers);
                ColumnType[] fixedTypes = new ColumnType[headers.size()];
                for (int i = 0; i < headers.size(); i++) {
                    fixedTypes[i] = overrides.get(headers.get(i));
                }
                overridden = overrides.isEmpty() ? null : fixedTypes; // null: no column to check
                int timestampIndex = indexOf(config.timestampColumn(), headers, fields, TIMESTAMP_COLUMN);
                keyIndex = indexOf(config.keyColumn(), headers, fields, KEY_COLUMN);
                timestampFormat = config.timestampColumnFormat();
                List<TimeColumn> times = new ArrayList<>();
                if (timestampIndex >= 0) {
                    times.add(new TimeColumn(TIMESTAMP_COLUMN, TIMESTAMP_COLUMN_FORMAT, timestampIndex,
                            timestampFormat, "leave timestamp.column empty to use the emission time"));
                }
                int replayIndex = indexOf(config.replayTimeColumn(), headers, fields, REPLAY_TIME_COLUMN);
                if (replayIndex >= 0) {
                    if (replayRows != null) {
                        replayColumn = times.size();
                    }
                    times.add(new TimeColumn(REPLAY_TIME_COLUMN, REPLAY_TIME_FORMAT, replayIndex,
                            config.replayTimeFormat(), "set replay.time.column to a column with a time on every row"));
                }
                timeColumns = times.toArray(new TimeColumn[0]);
                skip = config.malformedRows() == MalformedRows.SKIP;

                Part firstPart = new Part(reader, false, replayColumn < 0 ? null : replayRows);
                firstPart.holdsRecord = !dialect.header();
                List<Part> parts = loadParts(firstPart, rowLimit);

                ColumnProfile[] profiles = firstPart.profiles;
                List<RowOffsets> partOffsets = new ArrayList<>();
                for (Part part : parts) {
                    partOffsets.add(part.offsets);
                    skippedRows += part.skippedRows;
                    part.endsBeforeSkippedRows.forEach(endsBeforeSkippedRows::putIfAbsent);
                    if (part != firstPart) {
                        for (int i = 0; i < profiles.length; i++) {
                            profiles[i].merge(part.profiles[i]);
                        }
                        if (part.replay != null) {
                            replayRows.append(part.replay);
                        }
                    }
                }
                offsets = RowOffsets.concat(partOffsets);
                dataEnd = parts.get(parts.size() - 1).dataEnd;
                if (skippedRows > SKIPS_LOGGED) {
                    log.warn("{}: {} malformed rows skipped in all (csv.malformed.rows=skip).", source.name(), skippedRows);
                }
                if (offsets.size() == 0 && skippedRows == 0 && String.join("", first).indexOf('\r') >= 0) {
                    throw new DatasetException(CSV_PATH, source.name() + " line " + firstLine + ": the first row"
                            + " contains carriage returns (CR) and no row follows it: the file seems to use CR-only"
                            + " line endings (classic Mac OS), which are not supported. Convert them to LF or CRLF,"
                            + " for example with tr '\\r' '\\n' < in.csv > out.csv.");
                }
                if (offsets.size() == 0) {
                    throw new DatasetException(CSV_PATH, source.name() + " has " + (skippedRows > 0
                            ? "no usable data rows (" + skippedRows + " malformed rows skipped)"
                            : "a header but no data rows") + ". Give a file with at least one data row"
                            + (dialect.header() && skippedRows == 0 ? ", or set csv.header=false if its first row is data."
                            : "."));
                }
                List<Column> columns = new ArrayList<>();
                for (int i = 0; i < headers.size(); i++) {
                    ColumnType type = fixedTypes[i] != null ? fixedTypes[i] : profiles[i].inferredType();
                    columns.add(new Column(i, headers.get(i), fields.get(i), type));
                }
                schema = new RowSchema(config.schemaName(), columns, typing, config.nullValues());
                keyColumn = keyIndex < 0 ? null : columns.get(keyIndex);
                timestampColumn = timestampIndex < 0 ? null : columns.get(timestampIndex);
                return this;
            } catch (CsvFormatException e) {
                throw new DatasetException(CSV_PATH, source.name() + " line " + e.line() + ": " + e.getMessage() + ".");
            } catch (IOException e) {
                throw new DatasetException(CSV_PATH, "Cannot read " + source.name() + ": " + e.getMessage(), e);
            }
        }

        /**
         * Reads every row after the header, as one part on this thread or, for a large file, in stretches: the file
         * is cut after line feeds near equal shares, and each stretch after the first is read by a thread of its
         * own as if a record started there, without logging or skipping anything. The cut is only trusted where it
         * is proven: a stretch's rows are kept when the reader of the stretch before it, arriving at the cut, finds
         * its next record exactly where the stretch's reader found its first. Then both read the same bytes from the
         * same state (a line feed inside quotes would make the stretch's reader see the quoted text as records, so
         * that its first record starts before the true one, or after it only across bytes the true reader reads as
         * a quote). Otherwise, or when the stretch met a row that is malformed, the reader before it simply goes on
         * through the stretch, as a single reader would: messages, skipped rows and their order are those of one
         * thread. Row offsets, profiles, replay rows and checksums of the stretches are joined in file order.
         *
         * @return the parts in file order
         */
        private List<Part> loadParts(Part first, long rowLimit) throws IOException {
            long start = first.reader.position();
            long[] cuts = rowLimit == Long.MAX_VALUE ? cuts(start) : new long[] {start, source.size()};
            ReplayRows probe = first.replay == null ? null : first.replay.forLaterRows();
            if (cuts.length <= 2 || (first.replay != null && probe == null)) {
                first.run(Long.MAX_VALUE, rowLimit);
                fingerprint = first.reader.fingerprint();
                return List.of(first);
            }
            first.reader.checksumUpTo(cuts[1]);
            List<Part> stretches = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int j = 1; j < cuts.length - 1; j++) {
                Part part = new Part(CsvRecordReader.startingAt(source, dialect, cuts[j], cuts[j + 1]), true,
                        first.replay == null ? null : j == 1 ? probe : first.replay.forLaterRows());
                long end = cuts[j + 1];
                Thread thread = new Thread(() -> part.runSpeculatively(end), "csv-load-" + j + "-" + source.name());
                thread.setDaemon(true);
                thread.start();
                stretches.add(part);
                threads.add(thread);
            }
            List<Part> parts = new ArrayList<>(List.of(first));
            try {
                first.run(cuts[1], Long.MAX_VALUE);
                long crc = checksumOf(first.reader, marksEnd(first), cuts[1]);
                Part previous = first;
                for (int j = 1; j < cuts.length - 1; j++) {
                    Part stretch = stretches.get(j - 1);
                    join(threads.get(j - 1), stretch);
                    crc = Crc32c.combine(crc, checksumOf(stretch.reader, cuts[j], cuts[j + 1]), cuts[j + 1] - cuts[j]);
                    long rowsBefore = previous.rowBase + previous.offsets.size();
                    if (stretch.failure == null && previous.nextStart == stretch.firstStart) {
                        stretch.adopt(previous, rowsBefore);
                        previous = stretch;
                        stretchReads.add("adopted");
                    } else {
                        stretchReads.add("read on");
                        stretches.set(j - 1, null); // its rows are garbage now, not while they are read again
                        stretch = null;
                        Part going = new Part(previous, rowsBefore, first.replay == null ? null
                                : first.replay.forLaterRows());
                        going.run(cuts[j + 1], Long.MAX_VALUE);
                        previous = going;
                    }
                    parts.add(previous);
                }
                fingerprint = Crc32c.fingerprint(crc, source.size());
                return parts;
            } finally {
                abandoned.set(true); // on a failure, the threads still reading stop at their next row
                for (int j = 0; j < threads.size(); j++) {
                    if (stretches.get(j) != null) {
                        join(threads.get(j), stretches.get(j));
                    }
                }
            }
        }

        /** Where reading starts: after the byte order marks outside the fingerprint. */
        private long marksEnd(Part first) {
            return first.reader.marks().outsideFingerprint();
        }

        /** The CRC-32C of {@code [from, to)}: from the reader that read it all, else read again. */
        private long checksumOf(CsvRecordReader reader, long from, long to) throws IOException {
            return reader.checksummedTo() == to ? reader.checksum() : Crc32c.of(source, from, to);
        }

        private static void join(Thread thread, Part part) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (part.failure instanceof Error) {
                throw (Error) part.failure;
            }
        }

        /**
         * The threads a task loads a file with: one per processor, at most {@value #MAX_PARTS}, and at most
         * {@value #THREADS_PROPERTY} (or else {@value #THREADS_ENVIRONMENT}) when the worker's operator set it, such
         * as 1 on a worker that starts many tasks at once.
         */
        static int threads() {
            int threads = Math.min(MAX_PARTS, Runtime.getRuntime().availableProcessors());
            String setting = System.getProperty(THREADS_PROPERTY, System.getenv(THREADS_ENVIRONMENT));
            if (setting != null && setting.trim().matches("\\d{1,3}")) {
                threads = Math.max(1, Math.min(threads, Integer.parseInt(setting.trim())));
            }
            return threads;
        }

        /**
         * Where to cut the rows from {@code start} on: {@code start}, then positions just after a line feed near equal
         * shares, then the size; only {@code start} and the size when the file is small or one thread loads it.
         */
        private long[] cuts(long start) throws IOException {
            long size = source.size();
            int parts = (int) Math.max(1, Math.min(maxParts, (size - start) / minPartBytes));
            List<Long> cuts = new ArrayList<>(List.of(start));
            ByteBuffer block = ByteBuffer.allocate(64 * 1024);
            for (int j = 1; j < parts; j++) {
                long position = Math.max(start + (size - start) * j / parts, cuts.get(cuts.size() - 1));
                long cut = -1;
                while (cut < 0 && position < size) {
                    block.clear();
                    int read = source.read(position, block);
                    for (int i = 0; i < read && cut < 0; i++) {
                        if (block.get(i) == '\n') {
                            cut = position + i + 1;
                        }
                    }
                    position += Math.max(read, 1);
                }
                if (cut > cuts.get(cuts.size() - 1) && cut < size) {
                    cuts.add(cut);
                }
            }
            cuts.add(size);
            return cuts.stream().mapToLong(Long::longValue).toArray();
        }

        /**
         * The rows of one stretch of the file, read by one thread: their offsets, what their values have in common,
         * their replay times, and the rows left out.
         */
        private final class Part {
            final CsvRecordReader reader;
            final boolean speculative;
            final RowParser rowParser = new RowParser(dialect);
            final boolean splitPlain = rowParser.splitsPlainRecords();
            final AsciiText[] plainFields = new AsciiText[headers.size()];
            final InstantCache[] instants = new InstantCache[timeColumns.length];
            final ColumnProfile[] profiles = new ColumnProfile[headers.size()];
            final RowOffsets offsets = new RowOffsets();
            /** The end of the row before a skipped row, by the row's index in the whole file. */
            final Map<Long, Long> endsBeforeSkippedRows = new HashMap<>();
            final ReplayRows replay;
            /** Rows and skipped rows of the file before this part (for a part read in order), and where they end. */
            long rowBase;
            long skippedBefore;
            long skippedRows;
            long dataEnd;
            /** The reader's current record is not processed yet (the first data row, or the one at nextStart). */
            boolean holdsRecord;
            /** The offset of the first record this part met; -1 when it met none before the end of the source. */
            long firstStart = -2;
            long firstLine;
            /** The offset of the first record at or after the part's end; -1 at the end of the source. */
            long nextStart = -1;
            /** Why a speculative part's rows cannot be kept: a malformed row, or anything thrown. */
            Throwable failure;

            Part(CsvRecordReader reader, boolean speculative, ReplayRows replay) {
                this.reader = reader;
                this.speculative = speculative;
                this.replay = replay;
                for (int i = 0; i < headers.size(); i++) {
                    plainFields[i] = new AsciiText();
                    profiles[i] = new ColumnProfile(typing);
                }
                for (int i = 0; i < timeColumns.length; i++) {
                    instants[i] = new InstantCache(timeColumns[i].format());
                }
            }

            /** A part that goes on where {@code previous} stopped, with its reader, as a single reader would. */
            Part(Part previous, long rowsBefore, ReplayRows replay) {
                this(previous.reader, false, replay);
                this.holdsRecord = previous.holdsRecord;
                this.rowBase = rowsBefore;
                this.skippedBefore = previous.skippedBefore + previous.skippedRows;
                this.dataEnd = previous.dataEnd;
            }

            /** Keeps this speculative part's rows after {@code previous}'s: its lines and row indexes become the file's. */
            void adopt(Part previous, long rowsBefore) {
                if (firstStart >= 0) {
                    reader.shiftLines(previous.reader.recordLine() - firstLine);
                }
                rowBase = rowsBefore;
                skippedBefore = previous.skippedBefore + previous.skippedRows;
                if (offsets.size() == 0) {
                    dataEnd = previous.dataEnd;
                }
            }

            void runSpeculatively(long end) {
                try {
                    run(end, Long.MAX_VALUE);
                } catch (Throwable e) {
                    failure = e;
                }
            }

            /** Processes the records that start before {@code end}, until the file has {@code rowLimit} rows. */
            void run(long end, long rowLimit) throws IOException {
                boolean more = holdsRecord || reader.next();
                holdsRecord = false;
                while (more) {
                    long start = reader.recordStart();
                    if (firstStart == -2) {
                        firstStart = start;
                        firstLine = reader.recordLine();
                    }
                    if (start >= end) {
                        nextStart = start;
                        holdsRecord = true;
                        return;
                    }
                    if (rowBase + offsets.size() >= rowLimit || (speculative && abandoned.get())) {
                        holdsRecord = true;
                        return;
                    }
                    long line = reader.recordLine();
                    try {
                        add(line);
                    } catch (DatasetException | CsvFormatException e) {
                        if (!skip || speculative) {
                            throw e;
                        }
                        skipped(line, e);
                    }
                    more = reader.next();
                }
                if (firstStart == -2) {
                    firstStart = -1;
                }
                nextStart = -1;
            }

            /**
             * Checks the reader's current record and keeps it as a row (a method of its own, called per record, so
             * that the JIT compiles it as a small unit rather than inside the loop).
             */
            private void add(long line) {
                CharSequence[] row;
                if (splitPlain && reader.plain()) {
                    // Most rows: checked where they lie in the reader's buffer, no String made.
                    checkFieldCount(reader.fieldCount(), line);
                    reader.plainFields(plainFields);
                    row = plainFields;
                } else {
                    row = rowParser.parse(reader.recordBytes(), reader.recordOffset(), reader.recordLength(), line);
                    checkFieldCount(row.length, line);
                }
                long replayTime = checkRow(row, line, this);
                offsets.add(reader.recordStart());
                dataEnd = reader.position();
                if (replay != null) {
                    replay.row(replayTime, keyIndex < 0 ? null : row[keyIndex]);
                }
            }

            /** Leaves a malformed row out: the row before it must not extend over it. */
            private void skipped(long line, RuntimeException problem) {
                long rowsBefore = rowBase + offsets.size();
                if (rowsBefore > 0) {
                    endsBeforeSkippedRows.putIfAbsent(rowsBefore - 1, dataEnd);
                }
                skippedRows++;
                if (skippedBefore + skippedRows <= SKIPS_LOGGED) {
                    String message = problem instanceof CsvFormatException
                            ? source.name() + " line " + line + ": " + problem.getMessage() : problem.getMessage();
                    log.warn("Skipping malformed row (csv.malformed.rows=skip): {}", message);
                }
            }
        }

        private void checkFieldCount(int count, long line) {
            if (count != headers.size()) {
                throw new DatasetException(CSV_PATH, source.name() + " line " + line + ": the row has "
                        + count + " fields but " + (dialect.header() ? "the header has " : "the first row has ")
                        + headers.size() + ". Fix the row, or check csv.separator ('" + dialect.separator()
                        + "') and csv.quote.");
            }
        }

        /**
         * Checks everything about a row (whose field count is checked) before its values count towards type
         * inference in {@code part}, so a row that is skipped leaves no trace in the schema.
         *
         * @return the row's replay time in epoch milliseconds when the part collects replay rows, else 0
         */
        private long checkRow(CharSequence[] row, long line, Part part) {
            ColumnType[] fixedTypes = overridden;
            for (int i = 0; fixedTypes != null && i < row.length; i++) {
                CharSequence text = row[i];
                if (fixedTypes[i] != null && !nullValues.matches(text) && !typing.fits(fixedTypes[i], text)) {
                    throw new DatasetException(COLUMN_TYPES, source.name() + " line " + line + ": column '"
                            + headers.get(i) + "' is typed " + fixedTypes[i].configName() + " in column.types but"
                            + " holds '" + text + "', which is not " + typing.expectation(fixedTypes[i])
                            + ". Choose another type for it, such as string, or fix the value.");
                }
            }
            long replayTime = 0;
            for (int t = 0; t < timeColumns.length; t++) {
                TimeColumn time = timeColumns[t];
                CharSequence text = row[time.index()];
                if (nullValues.matches(text)) {
                    throw new DatasetException(time.columnKey(), source.name() + " line " + line + ": column '"
                            + headers.get(time.index()) + "' (" + time.columnKey() + ") is empty, but every row needs"
                            + " a time. Fill it in, or " + time.remedy() + ".");
                }
                try {
                    if (t == replayColumn) {
                        replayTime = part.instants[t].epochMillis(text);
                    } else {
                        part.instants[t].parse(text);
                    }
                } catch (DateTimeException e) {
                    throw new DatasetException(time.formatKey(), source.name() + " line " + line + ": '" + text
                            + "' in column '" + headers.get(time.index()) + "' does not match " + time.formatKey() + " '"
                            + time.format().pattern() + "'. Set " + time.formatKey() + " to the pattern"
                            + " of that column.");
                }
            }
            ColumnProfile[] profiles = part.profiles;
            for (int i = 0; i < row.length; i++) {
                if ((fixedTypes == null || fixedTypes[i] == null) && !nullValues.matches(row[i])) {
                    profiles[i].observe(row[i]);
                }
            }
            return replayTime;
        }

        private Map<String, ColumnType> resolveOverrides(List<String> headers) {
            Map<String, ColumnType> byHeader = new HashMap<>();
            for (Map.Entry<String, ColumnType> override : config.columnTypes().entrySet()) {
                String header = headerOf(override.getKey(), headers);
                if (header == null) {
                    int padded = paddedHeader(override.getKey(), headers, COLUMN_TYPES);
                    header = padded < 0 ? null : headers.get(padded);
                }
                if (header == null) {
                    throw new DatasetException(COLUMN_TYPES, "column.types names column '" + override.getKey()
                            + "', but " + source.name() + " has no such column. Its columns are: "
                            + String.join(", ", headers) + ".");
                }
                byHeader.put(header, override.getValue());
            }
            return byHeader;
        }

        private String headerOf(String name, List<String> headers) {
            FieldNaming naming = config.fieldNaming();
            for (String header : headers) {
                if (naming.fieldName(header).equals(name)) {
                    return header;
                }
            }
            return headers.contains(name) ? name : null;
        }

        private int indexOf(Optional<String> name, List<String> headers, List<String> fields, String key) {
            if (name.isEmpty()) {
                return -1;
            }
            int index = fields.indexOf(name.get());
            if (index < 0) {
                index = headers.indexOf(name.get());
            }
            if (index < 0) {
                index = paddedHeader(name.get(), headers, key);
            }
            if (index < 0) {
                throw new DatasetException(key, key + " names column '" + name.get() + "', but " + source.name()
                        + " has no such column. Its columns are: " + String.join(", ", headers)
                        + " (field names: " + String.join(", ", fields) + ").");
            }
            return index;
        }

        /**
         * The column whose header is {@code name} with spaces around it ({@code Date} for a header {@code " Date"}, as
         * in {@code Index, Date, Close}), or -1: Kafka Connect trims configuration values, so such a header can only
         * be named without its spaces.
         *
         * @throws DatasetException on {@code key} when several headers match, which no value could tell apart
         */
        private int paddedHeader(String name, List<String> headers, String key) {
            List<Integer> matches = new ArrayList<>();
            for (int i = 0; i < headers.size(); i++) {
                if (headers.get(i).trim().equals(name)) {
                    matches.add(i);
                }
            }
            if (matches.size() > 1) {
                throw new DatasetException(key, key + " names column '" + name + "', which matches "
                        + matches.stream().map(i -> "'" + headers.get(i) + "'").collect(Collectors.joining(" and "))
                        + " in " + source.name() + " once the spaces around the names are ignored (Kafka Connect trims"
                        + " configuration values, so they cannot be told apart). Rename the columns in the file.");
            }
            return matches.isEmpty() ? -1 : matches.get(0);
        }

        private List<String> fieldNames(List<String> headers) {
            FieldNaming naming = config.fieldNaming();
            List<String> fields = new ArrayList<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                String header = headers.get(i);
                if (header.isBlank()) {
                    throw new DatasetException(CSV_HEADER, source.name() + ": header column " + (i + 1)
                            + " has no name. Name it in the file, or set csv.header=false to use column_1,"
                            + " column_2, ... (the header row then counts as data).");
                }
                String field = naming.fieldName(header);
                if (field.isEmpty()) {
                    throw new DatasetException(FIELD_NAMES, source.name() + ": header column " + (i + 1) + " '"
                            + header + "' has no letters or digits, so snake_case gives it no name."
                            + " Rename it in the file, or set field.names=original.");
                }
                String previous = seen.putIfAbsent(field, header);
                if (previous != null) {
                    String key = previous.equals(header) ? CSV_PATH : FIELD_NAMES;
                    throw new DatasetException(key, source.name() + ": header columns '" + previous + "' and '"
                            + header + "' both become field '" + field + "'. Rename one of them in the file"
                            + (key.equals(FIELD_NAMES) ? ", or set field.names=original." : "."));
                }
                fields.add(field);
            }
            if (headers.size() == 1) {
                checkSeparator(headers.get(0));
            }
            return fields;
        }

        /** A one-column file whose only name contains another usual separator was probably misread. */
        private void checkSeparator(String onlyHeader) {
            for (char candidate : new char[] {',', ';', '\t', '|'}) {
                if (candidate != dialect.separator() && onlyHeader.indexOf(candidate) >= 0) {
                    // A tab is named: written as itself it would be trimmed away by Kafka Connect.
                    String contained = candidate == '\t' ? "tabs" : "'" + candidate + "'";
                    String value = candidate == '\t' ? "tab" : String.valueOf(candidate);
                    throw new DatasetException(CSV_SEPARATOR, source.name() + " reads as a single column '"
                            + onlyHeader + "' with csv.separator '" + dialect.separator() + "', but it contains "
                            + contained + ". Set csv.separator to '" + value + "'.");
                }
            }
        }

        private static List<String> generatedNames(int count) {
            return java.util.stream.IntStream.rangeClosed(1, count)
                    .mapToObj(i -> "column_" + i)
                    .collect(Collectors.toList());
        }
    }
}
