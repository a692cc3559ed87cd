package io.github.csvsampling.connect.offsets;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The source partition and source offset of a task, as stored by Connect.
 *
 * <p>Partition: {@code {"file": <absolute path or bundled label>, "task": <task number>}}, so each
 * task of each file resumes on its own. Offset: {@code {"sequence": <next record number>, "seed":
 * <connector seed>, "fingerprint": "crc32c:<hex>:<bytes>"}}: the state to resume from, nothing
 * more, because record {@code n} is a pure function of the file, the configuration, the seed, the
 * task and {@code n}; the fingerprint tells whether the file is still the one the position refers
 * to. Integers are accepted as any integral {@link Number}, since converters may hand back
 * integers or longs; the fingerprint is optional in offsets users submit.
 */
public final class TaskOffsets {

    public static final String FILE = "file";
    public static final String TASK = "task";
    public static final String SEQUENCE = "sequence";
    public static final String SEED = "seed";
    public static final String FINGERPRINT = "fingerprint";

    /**
     * Where a task resumes: the number of its next record, the connector seed in use and the
     * fingerprint of the file content, or null when unknown (an offset submitted without one).
     */
    public record Position(long nextSequence, long seed, String fingerprint) {
    }

    private TaskOffsets() {
    }

    /**
     * The partition of a task, with its keys always in the order {@code file}, {@code task}. The order matters:
     * Connect finds a stored offset by the serialized bytes of its partition (the JSON of the map, in iteration
     * order), so a partition must serialize the same way in every JVM ({@code Map.of()} iterates in an order
     * salted per JVM).
     */
    public static Map<String, Object> partition(String file, int task) {
        Map<String, Object> partition = new LinkedHashMap<>();
        partition.put(FILE, file);
        partition.put(TASK, task);
        return Collections.unmodifiableMap(partition);
    }

    /**
     * The offset, with its keys in a fixed order so that it serializes the same way in every JVM. Every record
     * carries one, and Connect only reads the latest per partition when it flushes, so it is a small immutable
     * map that builds its entries when read rather than a hash map built for every record.
     */
    public static Map<String, Object> offset(long nextSequence, long seed, String fingerprint) {
        return new Offset(nextSequence, seed, fingerprint);
    }

    private static final class Offset extends AbstractMap<String, Object> {
        private final long nextSequence;
        private final long seed;
        private final String fingerprint;

        Offset(long nextSequence, long seed, String fingerprint) {
            this.nextSequence = nextSequence;
            this.seed = seed;
            this.fingerprint = fingerprint;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return List.<Entry<String, Object>>of(new SimpleImmutableEntry<>(SEQUENCE, nextSequence),
                            new SimpleImmutableEntry<>(SEED, seed),
                            new SimpleImmutableEntry<>(FINGERPRINT, fingerprint)).iterator();
                }

                @Override
                public int size() {
                    return 3;
                }
            };
        }
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
        Object fingerprint = offset.get(FINGERPRINT);
        if (fingerprint != null && !(fingerprint instanceof String)) {
            throw new IllegalArgumentException("offset field '" + FINGERPRINT + "' must be a string such as"
                    + " \"crc32c:1a2b3c4d:1496285\" or absent, was " + fingerprint);
        }
        return new Position(sequence, number(offset, SEED), (String) fingerprint);
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
        if (!List.copyOf(partition.keySet()).equals(List.of(FILE, TASK))) {
            throw new IllegalArgumentException("partition must have the fields '" + FILE + "' and '" + TASK
                    + "', in this order and no others (Connect matches stored offsets by the exact JSON of the"
                    + " partition, so the task would not find an offset written otherwise); expected "
                    + expectedShape() + ", got " + partition);
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
