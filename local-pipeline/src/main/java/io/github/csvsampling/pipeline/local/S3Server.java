package io.github.csvsampling.pipeline.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 API server (S3Proxy) on 127.0.0.1 that keeps objects as plain files: bucket
 * {@code b}'s object {@code k} is the file {@code root/b/k}, so DuckDB can query what the S3 sink
 * wrote without any S3 client. Requests must be signed (AWS signature v2 or v4) with the given
 * local credentials, as they would be against S3 or MinIO.
 */
public final class S3Server implements AutoCloseable {

    private final S3Proxy proxy;
    private final Path root;

    private S3Server(S3Proxy proxy, Path root) {
        this.proxy = proxy;
        this.root = root;
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
        return new S3Server(proxy, root);
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
        proxy.stop();
    }
}
