package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What {@link SinkSimulator} re-implements of the Confluent S3 sink. The expected folders are those the sink's own
 * {@code TimeBasedPartitioner.getPartition} and Joda-Time formatting give (checked by hand against
 * kafka-connect-storage-partitioner 11.2.22 of the 10.6.5 component): hour folders in UTC, and for times before 1970
 * the partition after their own, because the sink divides with Java's {@code /}.
 */
class SinkSimulatorTest {

    private final SinkSimulator sink = new SinkSimulator(Map.of(), Repo.connectorConfig(Repo.SINK_AWS));

    @ParameterizedTest
    @CsvSource({
            "1795683600000, year=2026/month=11/day=26/hour=09",
            "1735689600000, year=2025/month=01/day=01/hour=00",
            "2082758399999, year=2035/month=12/day=31/hour=23",
            "253402300799999, year=9999/month=12/day=31/hour=23",
            "-2208988800000, year=1900/month=01/day=01/hour=00",
            "-1, year=1970/month=01/day=01/hour=00",
            "-5400000, year=1969/month=12/day=31/hour=23"})
    void recordTimesGoToTheFoldersTheSinksPartitionerGives(long timestamp, String folder) {
        assertThat(sink.partitionPath(timestamp)).isEqualTo(folder);
    }

    @Test
    void transactionalOffsetsSkipOneOffsetPerCommitMarker() {
        assertThat(SinkSimulator.transactionalOffsets(0, 7, 3)).containsExactly(0L, 1L, 2L, 4L, 5L, 6L, 8L);
    }
}
