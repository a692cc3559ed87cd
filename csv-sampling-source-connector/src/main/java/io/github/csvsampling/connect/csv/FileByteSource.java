package io.github.csvsampling.connect.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link ByteSource} over a file, read with positional reads so many rows can be fetched without
 * moving a shared file pointer and without mapping the file into memory.
 *
 * <p>The size is fixed when the file is opened. A file that shrinks afterwards (truncated or
 * rewritten in place) fails the next read with a message naming it, rather than yielding
 * half-parsed rows; bytes appended later are ignored until the task is restarted. A file replaced
 * by rename keeps being read from the original, still open, inode.
 */
public final class FileByteSource implements ByteSource {

    private final Path path;
    private final FileChannel channel;
    private final long size;

    private FileByteSource(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens the file for reading. */
    public static FileByteSource open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new FileByteSource(path, channel, channel.size());
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long position, ByteBuffer target) throws IOException {
        long remaining = size - position;
        if (remaining <= 0) {
            return 0;
        }
        if (target.remaining() > remaining) {
            target.limit(target.position() + (int) remaining);
        }
        int total = 0;
        while (target.hasRemaining()) {
            int read = channel.read(target, position + total);
            if (read < 0) {
                throw new IOException("File " + path + " is shorter than when it was loaded (" + size
                        + " bytes, now " + channel.size() + "): it was truncated or rewritten in place."
                        + " Restart the connector to load it again.");
            }
            total += read;
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
