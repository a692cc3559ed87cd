package io.github.csvsampling.pipeline.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The Confluent S3 sink for the main job's worker. It cannot be bundled (it is not on Maven
 * Central), so it comes from the user ({@code --s3-sink-dir} or {@value #ENVIRONMENT}: the Hub zip,
 * its unzipped folder or a folder of its jars), else from the zip downloaded once from Confluent
 * Hub into the user cache. Either way {@link PluginInstaller} installs it as one plugin that a
 * {@code service_load} worker finds. When that fails, the {@link Resolution} says why and how to
 * fix it, and the pipeline runs without the sink.
 */
public final class S3SinkPlugin {

    public static final String ENVIRONMENT = "S3_SINK_PLUGIN_DIR";
    public static final String CONNECTOR_CLASS = "io.confluent.connect.s3.S3SinkConnector";
    /** The file that names the sink's release, for docker-compose.yml and this job alike. */
    public static final String VERSION_FILE = "connect-configs/s3-sink.env";
    private static final String HOST = "hub-downloads.confluent.io";

    /**
     * The sink for this run: the {@code plugin.path} entry that holds it, or the problem (one line)
     * and how to fix it (a few lines).
     */
    public record Resolution(Optional<Path> pluginPathEntry, String problem, String fix) {

        static Resolution installed(Path entry) {
            return new Resolution(Optional.of(entry), "", "");
        }

        static Resolution unavailable(String problem, String fix) {
            return new Resolution(Optional.empty(), problem, fix);
        }

        public boolean available() {
            return pluginPathEntry.isPresent();
        }
    }

    private S3SinkPlugin() {
    }

    /** The release named by {@value #VERSION_FILE} in the repository ({@code S3_SINK_VERSION=...}). */
    public static String version(Path repository) throws IOException {
        Path file = repository.resolve(VERSION_FILE);
        return Files.readAllLines(file).stream().map(String::strip)
                .filter(line -> line.startsWith("S3_SINK_VERSION=")).map(line -> line.substring(16).strip())
                .findFirst().orElseThrow(() -> new IOException(file + " has no S3_SINK_VERSION=<version> line"));
    }

    static String zip(String version) {
        return "confluentinc-kafka-connect-s3-" + version + ".zip";
    }

    static String url(String version) {
        return "https://" + HOST + "/api/plugins/confluentinc/kafka-connect-s3/versions/" + version + "/" + zip(version);
    }

    /** The user cache: {@code $XDG_CACHE_HOME/csv-sampling} or {@code ~/.cache/csv-sampling}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("csv-sampling");
    }

    /**
     * Finds and installs the sink: {@code named}, else {@value #ENVIRONMENT}, else the downloaded
     * zip of {@code version} in {@code cacheDir} (downloading it when {@code download} is set and it
     * is not there yet).
     */
    public static Resolution resolve(Optional<Path> named, boolean download, Path cacheDir, String version,
                                     PrintStream out) {
        Optional<Path> given = named.or(() -> Optional.ofNullable(System.getenv(ENVIRONMENT))
                .filter(s -> !s.isBlank()).map(Path::of));
        Path source;
        if (given.isPresent()) {
            source = given.get();
        } else {
            source = cacheDir.resolve("downloads").resolve(zip(version));
            if (!Files.isRegularFile(source)) {
                if (!download) {
                    return Resolution.unavailable("the Confluent S3 sink is not installed and --no-download is set",
                            howToAdd(cacheDir, version));
                }
                try {
                    download(version, source, out);
                } catch (IOException e) {
                    return Resolution.unavailable("could not download the Confluent S3 sink " + version + ": "
                            + describe(e), howToAdd(cacheDir, version));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Resolution.unavailable("the download of the Confluent S3 sink was interrupted",
                            howToAdd(cacheDir, version));
                }
            }
        }
        PluginInstaller installer = new PluginInstaller(cacheDir.resolve("plugins"), out);
        try {
            PluginInstaller.Installed installed = installer.install(source);
            if (!installed.declares(CONNECTOR_CLASS)) {
                return Resolution.unavailable(source + " cannot be used as the S3 sink: "
                        + PluginInstaller.diagnose(installed, CONNECTOR_CLASS), howToAdd(cacheDir, version));
            }
            return Resolution.installed(installed.pluginPathEntry());
        } catch (PluginInstaller.InstallException e) {
            return Resolution.unavailable(e.getMessage(), howToAdd(cacheDir, version));
        }
    }

    private static String howToAdd(Path cacheDir, String version) {
        return "To add the S3 sink, either\n"
                + "  1. download " + zip(version) + " from Confluent Hub (" + url(version) + ")\n"
                + "     and pass the zip, its unzipped folder or a folder of its jars with --s3-sink-dir PATH\n"
                + "     (or " + ENVIRONMENT + "=PATH), or\n"
                + "  2. run once where Confluent Hub is reachable, without --no-download, to cache it in "
                + cacheDir.resolve("downloads") + ".";
    }

    /** A cause a person can act on, from the innermost exception that says something. */
    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "the host name " + HOST + " does not resolve (no network, or no DNS)";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "no answer from " + HOST + " within 10 s (offline, or a firewall)";
            }
        }
        Throwable innermost = error;
        while (innermost.getCause() != null) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage();
        return innermost.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static void download(String version, Path zip, PrintStream out) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String url = url(version);
        out.println("Downloading the Confluent S3 sink " + version + " from " + url + " (once) ...");
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode() + " from " + url);
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        Files.createDirectories(zip.getParent());
        Path part = zip.resolveSibling(zip.getFileName() + ".part");
        try (InputStream in = response.body(); OutputStream file = Files.newOutputStream(part)) {
            copyWithProgress(in, file, total, out);
        }
        Files.move(part, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
                console.print("\r  [" + "#".repeat(bars) + " ".repeat(20 - bars) + "] "
                        + (total > 0 ? percent + "%" : copied / 1024 + " KiB"));
            }
        }
        console.println();
    }
}
