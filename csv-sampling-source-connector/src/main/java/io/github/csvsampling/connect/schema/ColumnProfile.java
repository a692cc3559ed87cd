package io.github.csvsampling.connect.schema;

/**
 * Accumulates what the non-null values of one column have in common and names the narrowest type
 * that fits them all: boolean, then int64, then float64, then date, else string. A column with no
 * non-null value is a string column.
 */
public final class ColumnProfile {

    private final ValueTyping typing;
    private long nonNullValues;
    private boolean allBoolean = true;
    private boolean allInt64 = true;
    private boolean allNumbers = true;
    private boolean allDates = true;

    public ColumnProfile(ValueTyping typing) {
        this.typing = typing;
    }

    /**
     * Records one non-null value. Each candidate type is checked only until a value rules it out, and
     * independently of the others, so the inferred type does not depend on the order of the rows.
     */
    public void observe(CharSequence text) {
        nonNullValues++;
        allBoolean = allBoolean && typing.fits(ColumnType.BOOLEAN, text);
        allInt64 = allInt64 && typing.fits(ColumnType.INT64, text);
        allNumbers = allNumbers && (allInt64 || typing.fits(ColumnType.FLOAT64, text));
        allDates = allDates && typing.fits(ColumnType.DATE, text);
    }

    /**
     * Adds what {@code other} observed, as if its values had been observed here: each candidate type holds when it
     * held for both, which is why rows of one file can be observed in stretches by different threads.
     */
    public void merge(ColumnProfile other) {
        nonNullValues += other.nonNullValues;
        allBoolean &= other.allBoolean;
        allInt64 &= other.allInt64;
        allNumbers &= other.allNumbers;
        allDates &= other.allDates;
    }

    public ColumnType inferredType() {
        if (nonNullValues == 0) {
            return ColumnType.STRING;
        }
        if (allBoolean) {
            return ColumnType.BOOLEAN;
        }
        if (allInt64) {
            return ColumnType.INT64;
        }
        if (allNumbers) {
            return ColumnType.FLOAT64;
        }
        return allDates ? ColumnType.DATE : ColumnType.STRING;
    }
}
