package io.github.csvsampling.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.github.csvsampling.lake.S3Server.Listing;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket as files DuckDB can read, and what it holds: a local folder as it is (the main job's S3 server keeps
 * objects as plain files), or an S3 API endpoint (MinIO, S3) whose objects are copied into a local folder,
 * incrementally (new or changed objects by size and ETag; deleted ones removed), since DuckDB has no {@code httpfs}
 * on machines without network. The S3 client takes its credentials from the AWS default chain (environment, system
 * properties, profile), never from a flag.
 */
abstract class BucketMirror implements AutoCloseable {

    /** The folder that holds the bucket's objects as files (keys relative to it). */
    abstract Path folder();

    /** Brings the folder up to date and lists the bucket. */
    abstract Listing sync() throws IOException;

    /** Where the objects come from, for the page. */
    abstract String describe();

    @Override
    public void close() {
    }

    static BucketMirror local(Path folder) {
        return new Local(folder, "the folder " + folder);
    }

    /** No bucket was given: always empty (an empty folder, so that DuckDB has somewhere to look). */
    static BucketMirror none(Path emptyFolder) {
        return new Local(emptyFolder, "no bucket (start the console with --bucket-dir or --s3-endpoint)");
    }

    static BucketMirror s3(URI endpoint, String bucket, String region, Path cacheFolder) {
        return new S3(endpoint, bucket, region, cacheFolder);
    }

    /** A folder of files, such as the main job's S3 server keeps; names starting with a dot are not objects. */
    private static final class Local extends BucketMirror {
        private final Path folder;
        private final String description;

        Local(Path folder, String description) {
            this.folder = folder;
            this.description = description;
        }

        @Override
        Path folder() {
            return folder;
        }

        @Override
        Listing sync() throws IOException {
            if (!Files.isDirectory(folder)) {
                return Listing.EMPTY;
            }
            Listing listing = Listing.EMPTY;
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (!Files.isRegularFile(file) || file.getFileName().toString().startsWith(".")
                            || folder.relativize(file).toString().startsWith(".")) {
                        continue;
                    }
                    listing = listing.plus(Files.size(file), Files.getLastModifiedTime(file).toInstant());
                }
            } catch (UncheckedIOException e) {
                throw e.getCause(); // a file deleted while walking: next time
            }
            return listing;
        }

        @Override
        String describe() {
            return description;
        }
    }

    /** Objects listed through the S3 API and copied into a local folder. */
    private static final class S3 extends BucketMirror {
        private final URI endpoint;
        private final String bucket;
        private final Path folder;
        private final S3Client client;
        private final Map<String, String> copied = new HashMap<>();

        S3(URI endpoint, String bucket, String region, Path cacheFolder) {
            this.endpoint = endpoint;
            this.bucket = bucket;
            this.folder = cacheFolder;
            this.client = S3Client.builder()
                    .endpointOverride(endpoint)
                    .region(Region.of(region))
                    .forcePathStyle(true)
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }

        @Override
        Path folder() {
            return folder;
        }

        @Override
        Listing sync() throws IOException {
            Listing listing = Listing.EMPTY;
            Set<String> listed = new HashSet<>();
            Files.createDirectories(folder);
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                Path target = folder.resolve(object.key()).normalize();
                if (!target.startsWith(folder) || object.key().endsWith("/")) {
                    continue; // a key that would leave the folder (../), or a folder marker
                }
                listing = listing.plus(object.size(), object.lastModified());
                listed.add(object.key());
                String version = object.size() + "/" + object.eTag();
                if (!version.equals(copied.get(object.key()))) {
                    Files.createDirectories(target.getParent());
                    Path partial = target.resolveSibling(target.getFileName() + ".part");
                    Files.deleteIfExists(partial);
                    client.getObject(b -> b.bucket(bucket).key(object.key()), partial);
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    copied.put(object.key(), version);
                }
            }
            for (String gone : copied.keySet().stream().filter(k -> !listed.contains(k)).toList()) {
                Files.deleteIfExists(folder.resolve(gone));
                copied.remove(gone);
            }
            return listing;
        }

        @Override
        String describe() {
            return "bucket " + bucket + " at " + endpoint + " (copied to " + folder + ")";
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
