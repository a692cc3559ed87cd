package io.github.csvsampling.lake;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server (S3Proxy) on 127.0.0.1 that keeps objects as plain files: bucket
 * {@code b}'s object {@code k} is the file {@code root/b/k}, so DuckDB can query what the S3 sink
 * wrote without any S3 client. Requests must be signed (AWS signature v2 or v4) with the given
 * local credentials, as they would be against S3 or MinIO.
 */
public final class S3Server implements AutoCloseable {

    /** What {@code ListObjectsV2} returns for a bucket: how many objects, their bytes, the newest one's time. */
    public record Listing(long objects, long bytes, Optional<Instant> newest) {

        public static final Listing EMPTY = new Listing(0, 0, Optional.empty());

        /** This listing and one more object, of {@code size} bytes, last modified at {@code modified}. */
        public Listing plus(long size, Instant modified) {
            return new Listing(objects + 1, bytes + size,
                    Optional.of(newest.filter(modified::isBefore).orElse(modified)));
        }
    }

    private final S3Proxy proxy;
    private final Path root;
    private final S3Client client;

    private S3Server(S3Proxy proxy, Path root, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.root = root;
        this.client = S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Starts the server on {@code port} (0 for a free one) and creates {@code bucket} if it is missing. */
    public static S3Server start(Path root, int port, String bucket, String accessKey, String secretKey)
            throws Exception {
        Files.createDirectories(root);
        FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(root.toString());
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IOException("S3Proxy did not start on 127.0.0.1:" + port + " (state " + proxy.getState() + ")");
            }
            Thread.sleep(20);
        }
        return new S3Server(proxy, root, accessKey, secretKey);
    }

    /**
     * Lists {@code bucket} through the S3 API, as any S3 client sees it: complete objects only,
     * never the server's files of uploads in progress.
     */
    public Listing list(String bucket) {
        Listing listing = Listing.EMPTY;
        for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            listing = listing.plus(object.size(), object.lastModified());
        }
        return listing;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The folder that holds one folder per bucket. */
    public Path root() {
        return root;
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
