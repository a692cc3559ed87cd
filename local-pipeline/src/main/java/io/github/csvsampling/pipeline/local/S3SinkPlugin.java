package io.github.csvsampling.pipeline.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds the Confluent S3 sink plugin for the local worker: a directory the user names
 * ({@code --s3-sink-dir} or {@value #ENVIRONMENT}), else the user cache, else a one-time download
 * of the pinned version from Confluent Hub into that cache, with a progress bar. It cannot be
 * bundled (it is not on Maven Central); when none of this works the pipeline runs without the sink
 * and says how to provide it.
 */
public final class S3SinkPlugin {

    public static final String VERSION = "10.6.6";
    public static final String ENVIRONMENT = "S3_SINK_PLUGIN_DIR";
    static final String URL = "https://hub-downloads.confluent.io/api/plugins/confluentinc/kafka-connect-s3/versions/"
            + VERSION + "/confluentinc-kafka-connect-s3-" + VERSION + ".zip";

    private S3SinkPlugin() {
    }

    /** Where the plugin is cached: {@code $XDG_CACHE_HOME/csv-sampling} or {@code ~/.cache/csv-sampling}. */
    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("csv-sampling").resolve("confluentinc-kafka-connect-s3-" + VERSION);
    }

    /**
     * The plugin directory to put on {@code plugin.path}, or empty (with the reason printed to
     * {@code out}) when it cannot be had.
     */
    public static Optional<Path> resolve(Optional<Path> named, boolean download, PrintStream out) {
        Optional<Path> given = named.or(() -> Optional.ofNullable(System.getenv(ENVIRONMENT))
                .filter(s -> !s.isBlank()).map(Path::of));
        if (given.isPresent()) {
            if (containsJars(given.get())) {
                return given;
            }
            out.println("The S3 sink directory " + given.get() + " has no jar files (expected the unzipped plugin,"
                    + " e.g. .../confluentinc-kafka-connect-s3-" + VERSION + " with lib/*.jar).");
            return Optional.empty();
        }
        Path cache = cacheDir();
        if (containsJars(cache)) {
            return Optional.of(cache);
        }
        if (download) {
            try {
                downloadTo(cache, out);
                return Optional.of(cache);
            } catch (IOException e) {
                out.println("Could not download the Confluent S3 sink " + VERSION + " (" + e.getMessage() + ").");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.println("Running without the S3 sink: nothing will be written to the bucket. To add it, either\n"
                + "  1. unzip confluentinc-kafka-connect-s3-" + VERSION + ".zip (from Confluent Hub, " + URL + ")\n"
                + "     and pass its directory with --s3-sink-dir DIR or " + ENVIRONMENT + "=DIR, or\n"
                + "  2. run once where Confluent Hub is reachable, without --no-download, to cache it in " + cache + ".");
        return Optional.empty();
    }

    private static boolean containsJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void downloadTo(Path cache, PrintStream out) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(URL)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + URL);
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        Path zip = Files.createTempFile("kafka-connect-s3-", ".zip");
        try {
            try (InputStream in = response.body(); OutputStream file = Files.newOutputStream(zip)) {
                copyWithProgress(in, file, total, out);
            }
            Path staging = Files.createTempDirectory(Files.createDirectories(cache.getParent()), "download-");
            unzip(zip, staging);
            Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    private static void copyWithProgress(InputStream in, OutputStream out, long total, PrintStream console)
            throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        int lastPercent = -1;
        int read;
        while ((read = in.read(buffer)) > 0) {
            out.write(buffer, 0, read);
            copied += read;
            int percent = total > 0 ? (int) (copied * 100 / total) : -1;
            if (percent != lastPercent) {
                lastPercent = percent;
                int bars = Math.max(0, percent) / 5;
                console.print("\rDownloading the Confluent S3 sink " + VERSION + " [" + "#".repeat(bars)
                        + " ".repeat(20 - bars) + "] " + (total > 0 ? percent + "%" : copied / 1024 + " KiB"));
            }
        }
        console.println();
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
