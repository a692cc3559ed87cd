package io.github.csvsampling.connect.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TaskOffsetsTest {

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void partitionNamesTheFileAndTheTask() {
        assertThat(TaskOffsets.partition("/data/indexProcessed.csv", 3))
                .containsOnly(Map.entry("file", "/data/indexProcessed.csv"), Map.entry("task", 3));
    }

    @Test
    void offsetHoldsTheNextSequenceTheSeedAndTheFingerprint() {
        assertThat(TaskOffsets.offset(1234, -42, "crc32c:0000abcd:10"))
                .containsOnly(Map.entry("sequence", 1234L), Map.entry("seed", -42L),
                        Map.entry("fingerprint", "crc32c:0000abcd:10"));
    }

    @Test
    void offsetsRoundTrip() {
        for (long[] values : new long[][] {{0, 0}, {1234, 42}, {Long.MAX_VALUE, Long.MIN_VALUE}, {7, -1}}) {
            Map<String, Object> offset = TaskOffsets.offset(values[0], values[1], "crc32c:1:2");

            assertThat(TaskOffsets.position(offset))
                    .isEqualTo(new TaskOffsets.Position(values[0], values[1], "crc32c:1:2"));
        }
    }

    @Test
    void partitionAndOffsetKeepTheirKeysInOneOrderSoThatTheySerializeAlikeInEveryJvm() {
        // Connect finds a stored offset by the JSON bytes of its partition; Map.of() order is salted per JVM.
        assertThat(TaskOffsets.partition("/data/x.csv", 3).keySet()).containsExactly("file", "task");
        assertThat(TaskOffsets.offset(1, 2, "crc32c:1:2").keySet()).containsExactly("sequence", "seed", "fingerprint");
    }

    @Test
    void aPartitionInAnotherKeyOrderOrWithOtherKeysIsRejected() {
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("task", 0, "file", "/f.csv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in this order");
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("file", "/f.csv", "task", 0, "extra", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in this order");
    }

    @Test
    void partitionsRoundTrip() {
        assertThatCode(() -> TaskOffsets.checkPartition(TaskOffsets.partition("/data/x.csv", 0)))
                .doesNotThrowAnyException();
        assertThatCode(() -> TaskOffsets.checkPartition(TaskOffsets.partition("synthetic.csv", Integer.MAX_VALUE)))
                .doesNotThrowAnyException();
    }

    @Test
    void integersAndLongsAreBothAccepted() {
        // JSON converters hand small numbers back as Integer, large ones as Long.
        assertThat(TaskOffsets.position(map("sequence", 5, "seed", 42)))
                .isEqualTo(new TaskOffsets.Position(5, 42, null));
        assertThat(TaskOffsets.position(map("sequence", 5L, "seed", 4_000_000_000L)))
                .isEqualTo(new TaskOffsets.Position(5, 4_000_000_000L, null));
        assertThat(TaskOffsets.position(map("sequence", (short) 5, "seed", (byte) -1)))
                .isEqualTo(new TaskOffsets.Position(5, -1, null));
        assertThatCode(() -> TaskOffsets.checkPartition(map("file", "/f.csv", "task", 2L)))
                .doesNotThrowAnyException();
    }

    @Test
    void aFingerprintMustBeAString() {
        assertThatThrownBy(() -> TaskOffsets.position(map("sequence", 5, "seed", 42, "fingerprint", 7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fingerprint");
    }

    @Test
    void extraFieldsAreIgnored() {
        assertThat(TaskOffsets.position(map("sequence", 5, "seed", 42, "note", "x")))
                .isEqualTo(new TaskOffsets.Position(5, 42, null));
    }

    @Test
    void aMissingSequenceIsRejectedByName() {
        assertThatThrownBy(() -> TaskOffsets.position(map("seed", 42)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sequence'")
                .hasMessageContaining("expected");
    }

    @Test
    void aMissingSeedIsRejectedByName() {
        assertThatThrownBy(() -> TaskOffsets.position(map("sequence", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'seed'");
    }

    @Test
    void aNullOrEmptyOffsetIsRejected() {
        assertThatThrownBy(() -> TaskOffsets.position(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sequence'");
        assertThatThrownBy(() -> TaskOffsets.position(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sequence'");
    }

    @Test
    void aNegativeSequenceIsRejected() {
        assertThatThrownBy(() -> TaskOffsets.position(map("sequence", -1, "seed", 42)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sequence'")
                .hasMessageContaining("negative")
                .hasMessageContaining("-1");
    }

    @Test
    void fractionalNumbersAreRejected() {
        assertThatThrownBy(() -> TaskOffsets.position(map("sequence", 5.0, "seed", 42)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sequence'")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> TaskOffsets.position(map("sequence", 5, "seed", 42.5f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'seed'");
    }

    @Test
    void numbersWrittenAsStringsAreRejected() {
        assertThatThrownBy(() -> TaskOffsets.position(map("sequence", "5", "seed", 42)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sequence'")
                .hasMessageContaining("\"sequence\": 1234");
        assertThatThrownBy(() -> TaskOffsets.position(map("sequence", 5, "seed", "42")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'seed'");
        assertThatThrownBy(() -> TaskOffsets.position(map("sequence", true, "seed", 42)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sequence'");
    }

    @Test
    void aPartitionWithoutAFileNameIsRejected() {
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("task", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'file'");
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("file", 7, "task", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'file'")
                .hasMessageContaining("string");
        assertThatThrownBy(() -> TaskOffsets.checkPartition(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'file'");
    }

    @Test
    void aPartitionWithoutAValidTaskNumberIsRejected() {
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("file", "/f.csv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'task'");
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("file", "/f.csv", "task", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'task'");
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("file", "/f.csv", "task", 1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'task'");
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("file", "/f.csv", "task", -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'task'")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> TaskOffsets.checkPartition(map("file", "/f.csv", "task", 1L << 31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'task'");
    }
}
