package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class RowOffsetsTest {

    private static RowOffsets of(long from, int count) {
        RowOffsets offsets = new RowOffsets();
        for (int i = 0; i < count; i++) {
            offsets.add(from + i * 10L);
        }
        return offsets;
    }

    @Test
    void joinedOffsetsAreTheOffsetsOfEachPartInTurn() {
        RowOffsets joined = RowOffsets.concat(List.of(of(0, 40_000), of(1_000_000, 0), of(2_000_000, 3), of(3_000_000, 70_000)));

        assertThat(joined.size()).isEqualTo(110_003);
        assertThat(joined.get(0)).isZero();
        assertThat(joined.get(39_999)).isEqualTo(399_990);
        assertThat(joined.get(40_000)).isEqualTo(2_000_000);
        assertThat(joined.get(40_002)).isEqualTo(2_000_020);
        assertThat(joined.get(40_003)).isEqualTo(3_000_000);
        assertThat(joined.get(110_002)).isEqualTo(3_000_000 + 69_999 * 10L);
        assertThatThrownBy(() -> joined.get(110_003)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> joined.add(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oneNonEmptyPartIsItself() {
        RowOffsets only = of(5, 3);

        assertThat(RowOffsets.concat(List.of(new RowOffsets(), only, new RowOffsets()))).isSameAs(only);
    }
}
