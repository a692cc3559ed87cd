package io.github.csvsampling.connect.csv;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.github.csvsampling.connect.config.CsvSamplingSourceConfig;
import io.github.csvsampling.connect.config.CsvSamplingSourceTaskConfig;

/**
 * Loaded files shared by the tasks of this worker: tasks of one connector whose configurations are the same but
 * for their number load a file into the same row offsets and schema, so the first to start loads it and the others
 * use what it loaded, as long as one of them runs. A task starts in the time it takes to read the file once
 * (checking it is still the loaded content), and the worker holds the file's offsets once instead of once a task.
 *
 * <p>A task only uses a loaded file whose content fingerprint (CRC-32C and size) it computed itself, now, from the
 * file at {@code csv.path} (after the same access checks as a load): a file that changed, grew or was replaced since
 * another task loaded it is loaded again. Each task keeps its own reading state and row cache, so the
 * {@code csv.cache.max.bytes} budget stays per task. The registry lives in the plugin's class loader: tasks of
 * another version of the plugin share nothing with these.
 */
final class SharedFiles {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SharedFiles.class);
    private static final Map<Map<String, String>, Entry> ENTRIES = new HashMap<>();

    private SharedFiles() {
    }

    /** A file one task loads and others use: released when its last user closes it. */
    static final class Entry {
        private final Map<String, String> key;
        private final CompletableFuture<CsvDataset.Loaded> loaded = new CompletableFuture<>();
        private int users = 1;

        private Entry(Map<String, String> key) {
            this.key = key;
        }

        /** One user fewer; the last closes the file. */
        void release() throws IOException {
            boolean last;
            synchronized (ENTRIES) {
                last = --users == 0;
                if (last) {
                    ENTRIES.remove(key, this);
                }
            }
            if (last && loaded.isDone() && !loaded.isCompletedExceptionally()) {
                loaded.join().source().close();
            }
        }
    }

    /**
     * The file as {@code load} loads it, loaded by this call or by another task's, with the entry to release when
     * the dataset closes. A task that finds the shared content is no longer the file's loads it again and shares
     * its load from then on.
     */
    static CsvDataset open(CsvSamplingSourceConfig config, Supplier<CsvDataset.Loaded> load) {
        Map<String, String> key = new TreeMap<>(config.originalsStrings());
        key.remove(CsvSamplingSourceTaskConfig.TASK_ID);
        while (true) {
            Entry entry;
            boolean loading;
            synchronized (ENTRIES) {
                entry = ENTRIES.get(key);
                loading = entry == null;
                if (loading) {
                    entry = new Entry(key);
                    ENTRIES.put(key, entry);
                } else {
                    entry.users++;
                }
            }
            if (loading) {
                try {
                    CsvDataset.Loaded loaded = load.get();
                    entry.loaded.complete(loaded);
                    return new CsvDataset(loaded, config.cacheMaxBytes(), entry, false);
                } catch (RuntimeException | Error e) {
                    entry.loaded.completeExceptionally(e);
                    retire(entry);
                    throw e;
                }
            }
            CsvDataset.Loaded loaded;
            try {
                loaded = entry.loaded.join();
            } catch (CompletionException e) {
                // The other task's load failed: this one loads for itself, and says why in its own words.
                retire(entry);
                return new CsvDataset(load.get(), config.cacheMaxBytes(), null, false);
            }
            if (sameContent(config, loaded)) {
                log.info("{}: using the rows another task of this worker loaded ({} rows, content {} checked now)",
                        loaded.source().name(), loaded.offsets().size(), loaded.fingerprint());
                return new CsvDataset(loaded, config.cacheMaxBytes(), entry, true);
            }
            retire(entry); // then load the file as it is now, for this task and the next ones
        }
    }

    /** No task starts with this entry any more; those using it keep it until they release it. */
    private static void retire(Entry entry) {
        synchronized (ENTRIES) {
            ENTRIES.remove(entry.key, entry);
        }
        try {
            entry.release();
        } catch (IOException e) {
            log.debug("Closing a shared file failed", e);
        }
    }

    /**
     * Whether the file the configuration names holds, now, the content that was loaded: opened again by its path
     * (after the access checks of a load), its byte order marks read as a load reads them, and its fingerprint
     * computed over every byte.
     */
    private static boolean sameContent(CsvSamplingSourceConfig config, CsvDataset.Loaded loaded) {
        try (ByteSource now = CsvDataset.open(config)) {
            ByteOrderMarks marks = ByteOrderMarks.read(now, config.dialect().charset());
            String fingerprint = Crc32c.fingerprint(Crc32c.of(now, marks.outsideFingerprint(), now.size()), now.size());
            if (!fingerprint.equals(loaded.fingerprint())) {
                log.info("{} changed since another task of this worker loaded it ({}, now {}): loading it again",
                        now.name(), loaded.fingerprint(), fingerprint);
                return false;
            }
            if (marks.warning() != null) {
                log.warn("{} {}", now.name(), marks.warning());
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // a load says what is wrong, in its own words
        }
    }
}
