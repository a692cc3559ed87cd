package io.github.csvsampling.connect.offsets;

import java.util.Map;

/**
 * The source partition and source offset of a task, as stored by Connect.
 *
 * <p>Partition: {@code {"file": <absolute path or bundled label>, "task": <task number>}}, so each
 * task of each file resumes on its own. Offset: {@code {"sequence": <next record number>, "seed":
 * <connector seed>}}: the state to resume from, nothing more, because record {@code n} is a pure
 * function of the file, the configuration, the seed, the task and {@code n}. Numbers are read as
 * {@link Number}, since converters may hand back integers or longs.
 */
public final class TaskOffsets {

    public static final String FILE = "file";
    public static final String TASK = "task";
    public static final String SEQUENCE = "sequence";
    public static final String SEED = "seed";

    /** Where a task resumes: the number of its next record and the connector seed in use. */
    public record Position(long nextSequence, long seed) {
    }

    private TaskOffsets() {
    }

    public static Map<String, Object> partition(String file, int task) {
        return Map.of(FILE, file, TASK, task);
    }

    public static Map<String, Object> offset(long nextSequence, long seed) {
        return Map.of(SEQUENCE, nextSequence, SEED, seed);
    }

    /**
     * Reads a stored or user-submitted offset.
     *
     * @throws IllegalArgumentException naming the missing or malformed field and the expected shape
     */
    public static Position position(Map<String, ?> offset) {
        long sequence = number(offset, SEQUENCE);
        if (sequence < 0) {
            throw new IllegalArgumentException("offset field '" + SEQUENCE + "' must not be negative, was " + sequence);
        }
        return new Position(sequence, number(offset, SEED));
    }

    /**
     * Checks the shape of a user-submitted partition.
     *
     * @throws IllegalArgumentException naming the missing or malformed field and the expected shape
     */
    public static void checkPartition(Map<String, ?> partition) {
        Object file = partition == null ? null : partition.get(FILE);
        if (!(file instanceof String)) {
            throw new IllegalArgumentException("partition field '" + FILE + "' must be the file path (or the"
                    + " bundled sample's label) as a string; expected " + expectedShape() + ", got " + partition);
        }
        long task = number(partition, TASK);
        if (task < 0 || task > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("partition field '" + TASK + "' must be a task number from 0, was " + task);
        }
    }

    private static long number(Map<String, ?> map, String field) {
        Object value = map == null ? null : map.get(field);
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer; expected "
                    + expectedShape() + ", got " + map);
        }
        return ((Number) value).longValue();
    }

    private static String expectedShape() {
        return "partition {\"" + FILE + "\": \"/path/file.csv\", \"" + TASK + "\": 0} and offset {\""
                + SEQUENCE + "\": 1234, \"" + SEED + "\": 42}";
    }
}
