package io.github.csvsampling.connect.schema;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The record value schema of a CSV file: one optional field per column, in header order, and the
 * conversion of a parsed row into a {@link Struct} of that schema.
 */
public final class RowSchema {

    /** One column: its position, its name in the header, its record field name and its type. */
    public record Column(int index, String header, String field, ColumnType type) {
    }

    private final List<Column> columns;
    private final Schema valueSchema;
    private final ValueTyping typing;

    private final NullValues nullValues;
    private final Column[] columnArray;
    private final Field[] fieldArray;

    public RowSchema(String schemaName, List<Column> columns, ValueTyping typing, Set<String> nullValues) {
        this.columns = List.copyOf(columns);
        this.typing = typing;
        this.nullValues = new NullValues(nullValues);
        SchemaBuilder builder = SchemaBuilder.struct().name(schemaName);
        for (Column column : columns) {
            builder.field(column.field(), typing.schema(column.type()));
        }
        this.valueSchema = builder.build();
        // Resolved once: Struct.put(String, ...) looks every field up by name, on every record.
        this.columnArray = this.columns.toArray(new Column[0]);
        this.fieldArray = new Field[columnArray.length];
        for (int i = 0; i < columnArray.length; i++) {
            fieldArray[i] = valueSchema.field(columnArray[i].field());
        }
    }

    public List<Column> columns() {
        return columns;
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    /** The Connect schema of one column's field, for record keys. */
    public Schema fieldSchema(Column column) {
        return valueSchema.field(column.field()).schema();
    }

    /** The column whose record field name or header name is {@code name}; field names win. */
    public Optional<Column> column(String name) {
        for (Column column : columns) {
            if (column.field().equals(name)) {
                return Optional.of(column);
            }
        }
        return columns.stream().filter(c -> c.header().equals(name)).findFirst();
    }

    /** True when the text of a field stands for a missing value ({@code csv.null.values}). */
    public boolean isNull(String text) {
        return text == null || nullValues.matches(text);
    }

    /**
     * The record value of one parsed row. The row must have one field per column and every non-null
     * field must fit its column's type, which loading the file has already checked.
     */
    public Struct toStruct(String[] fields) {
        Struct struct = new Struct(valueSchema);
        for (int i = 0; i < columnArray.length; i++) {
            Column column = columnArray[i];
            String text = fields[column.index()];
            if (!isNull(text)) {
                struct.put(fieldArray[i], typing.convert(column.type(), text));
            }
        }
        return struct;
    }
}
