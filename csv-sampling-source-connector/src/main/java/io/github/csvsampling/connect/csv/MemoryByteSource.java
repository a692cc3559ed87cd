package io.github.csvsampling.connect.csv;

import java.nio.ByteBuffer;

/** A {@link ByteSource} over bytes already in memory, such as the bundled sample dataset. */
public final class MemoryByteSource implements ByteSource {

    private final String name;
    private final ByteBuffer bytes;

    public MemoryByteSource(String name, ByteBuffer bytes) {
        this.name = name;
        this.bytes = bytes.asReadOnlyBuffer();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return bytes.capacity();
    }

    @Override
    public int read(long position, ByteBuffer target) {
        if (position >= bytes.capacity()) {
            return 0;
        }
        int count = (int) Math.min(target.remaining(), bytes.capacity() - position);
        target.put(bytes.slice((int) position, count));
        return count;
    }

    @Override
    public void close() {
    }
}
