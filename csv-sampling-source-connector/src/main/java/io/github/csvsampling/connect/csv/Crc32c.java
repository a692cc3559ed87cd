package io.github.csvsampling.connect.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C of a file computed in pieces: {@link #combine} gives the CRC of two consecutive byte ranges from the
 * CRC of each (zlib's {@code crc32_combine}, with the Castagnoli polynomial that {@link CRC32C} uses), so that
 * stretches of a file checked by different threads still give the content fingerprint of the whole file.
 */
final class Crc32c {

    /** The CRC-32C polynomial, bit-reflected as {@link CRC32C} computes it. */
    private static final long POLYNOMIAL = 0x82F63B78L;

    private Crc32c() {
    }

    /**
     * The CRC-32C of the bytes of range A followed by those of range B.
     *
     * @param crcA    the CRC-32C of A
     * @param crcB    the CRC-32C of B
     * @param lengthB the number of bytes of B
     */
    static long combine(long crcA, long crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        long[] even = new long[32]; // the operator for an even power of two zero bits
        long[] odd = new long[32];  // the operator for an odd power of two zero bits
        odd[0] = POLYNOMIAL; // one zero bit
        long row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crcA;
        long remaining = lengthB;
        // Apply lengthB zero bytes to crcA: one square per bit of lengthB, the first giving one byte.
        do {
            square(even, odd);
            if ((remaining & 1) != 0) {
                crc = times(even, crc);
            }
            remaining >>= 1;
            if (remaining == 0) {
                break;
            }
            square(odd, even);
            if ((remaining & 1) != 0) {
                crc = times(odd, crc);
            }
            remaining >>= 1;
        } while (remaining != 0);
        return crc ^ crcB;
    }

    /**
     * The CRC-32C of the bytes of {@code source} from {@code from} to {@code to}, read in 1 MiB blocks into memory
     * outside the heap (no copy on the way in from a file).
     */
    static long of(ByteSource source, long from, long to) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        for (long position = from; position < to; ) {
            block.clear().limit((int) Math.min(block.capacity(), to - position));
            int read = source.read(position, block);
            if (read <= 0) {
                break;
            }
            block.flip();
            crc.update(block);
            position += read;
        }
        return crc.getValue();
    }

    /** The fingerprint of a source's content as offsets store it. */
    static String fingerprint(long crc, long size) {
        return String.format(java.util.Locale.ROOT, "crc32c:%08x:%d", crc, size);
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] matrix) {
        for (int n = 0; n < 32; n++) {
            square[n] = times(matrix, matrix[n]);
        }
    }
}
