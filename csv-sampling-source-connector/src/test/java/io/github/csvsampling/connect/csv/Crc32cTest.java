package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

class Crc32cTest {

    private static long crc(byte[] bytes, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, to - from);
        return crc.getValue();
    }

    @Test
    void theCrcsOfTwoRangesCombineIntoTheCrcOfBoth() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[random.nextInt(i < 50 ? 20 : 5_000)];
            random.nextBytes(bytes);
            int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);

            long combined = Crc32c.combine(crc(bytes, 0, cut), crc(bytes, cut, bytes.length), bytes.length - cut);

            assertThat(combined).as("%d bytes cut at %d", bytes.length, cut).isEqualTo(crc(bytes, 0, bytes.length));
        }
    }

    @Test
    void aRangeOfASourceIsReadInBlocks() throws IOException {
        byte[] bytes = new byte[3 << 20];
        new Random(4).nextBytes(bytes);
        MemoryByteSource source = new MemoryByteSource("test", ByteBuffer.wrap(bytes));

        assertThat(Crc32c.of(source, 12_345, 2_500_000)).isEqualTo(crc(bytes, 12_345, 2_500_000));
        assertThat(Crc32c.of(source, 7, 7)).isEqualTo(crc(bytes, 7, 7));
    }

    @Test
    void theFingerprintIsTheFormatOffsetsStore() {
        assertThat(Crc32c.fingerprint(0xAB, 1234)).isEqualTo("crc32c:000000ab:1234");
    }
}
