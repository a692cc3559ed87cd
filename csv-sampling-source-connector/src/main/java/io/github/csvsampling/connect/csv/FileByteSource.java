package io.github.csvsampling.connect.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.nio.file.StandardOpenOption;

/**
 * A {@link ByteSource} over a file, read with positional reads so many rows can be fetched without
 * moving a shared file pointer and without mapping the file into memory.
 *
 * <p>The size is fixed when the file is opened. A file that shrinks afterwards (truncated or
 * rewritten in place) fails the next read with a message naming it, rather than yielding
 * half-parsed rows; bytes appended later are ignored until the task is restarted. A file replaced
 * by rename keeps being read from the original, still open, inode. {@link #checkUnchanged} tells
 * these cases apart from the file's attributes and the checksum of its first block.
 */
public final class FileByteSource implements ByteSource {

    private static final int HEAD_BYTES = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final BasicFileAttributes loaded;
    private final long headChecksum;
    /** Kinds of change warned about: once per open file, which the tasks of a worker may share. */
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FileByteSource(Path path, FileChannel channel, long size) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.loaded = Files.readAttributes(path, BasicFileAttributes.class);
        this.headChecksum = headChecksum();
    }

    /** Opens the file for reading. */
    public static FileByteSource open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new FileByteSource(path, channel, channel.size());
        } catch (IOException | RuntimeException e) {
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
    public void checkUnchanged(Consumer<String> warning) throws IOException {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            warnOnce(warning, "was deleted; the task keeps sampling the content it loaded until it restarts");
            return;
        }
        if (loaded.fileKey() != null && !loaded.fileKey().equals(now.fileKey())) {
            warnOnce(warning, "was replaced by another file; the task keeps sampling the content it loaded"
                    + " until it restarts");
            return;
        }
        if (now.size() < size) {
            throw new IOException("File " + path + " was truncated while the task was running (" + size
                    + " bytes loaded, " + now.size() + " now). Restart the task to load it again.");
        }
        boolean modified = !now.lastModifiedTime().equals(loaded.lastModifiedTime());
        if (modified && (now.size() == size || headChecksum() != headChecksum)) {
            throw new IOException("File " + path + " was rewritten while the task was running (modified "
                    + now.lastModifiedTime() + "). Restart the task to load it again.");
        }
        if (now.size() > size) {
            warnOnce(warning, "grew by " + (now.size() - size) + " bytes; the new rows are sampled after the task"
                    + " restarts");
        }
    }

    private void warnOnce(Consumer<String> warning, String change) {
        if (warned.add(change.substring(0, 8))) {
            warning.accept("File " + path + " " + change + ".");
        }
    }

    /** CRC-32C of the first block of the loaded bytes, read again from the file by name. */
    private long headChecksum() throws IOException {
        try (FileChannel current = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, HEAD_BYTES));
            while (head.hasRemaining() && current.read(head, head.position()) > 0) {
                // keep reading until the block is full or the file ends
            }
            CRC32C crc = new CRC32C();
            crc.update(head.array(), 0, head.position());
            return crc.getValue();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
