package io.github.csvsampling.connect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnTypeTest {

    @Test
    void configNamesAreTheLowerCaseConstantNames() {
        assertThat(ColumnType.configNames()).isEqualTo("string, int64, float64, boolean, date, timestamp");
        for (ColumnType type : ColumnType.values()) {
            assertThat(ColumnType.fromConfigName(type.configName())).isEqualTo(type);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "INT64|INT64",
            "Float64|FLOAT64",
            "' date '|DATE",
            "TimeStamp|TIMESTAMP",
            "BOOLEAN|BOOLEAN",
            "String|STRING",
    })
    void namesAreMatchedInAnyCaseAndTrimmed(String name, ColumnType type) {
        assertThat(ColumnType.fromConfigName(name)).isEqualTo(type);
    }

    @Test
    void unknownNamesAreRejectedWithTheValidNames() {
        assertThatThrownBy(() -> ColumnType.fromConfigName("int32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'int32'")
                .hasMessageContaining(ColumnType.configNames());
        assertThatThrownBy(() -> ColumnType.fromConfigName(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
