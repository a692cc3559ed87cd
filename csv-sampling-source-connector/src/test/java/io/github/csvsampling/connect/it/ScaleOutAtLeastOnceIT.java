package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.csvsampling.connect.it.ConnectCluster.Sampled;

/**
 * {@link ScaleOutScenarios} without exactly-once ({@code exactly.once.source.support=disabled}, offsets flushed
 * every {@link #FLUSH_INTERVAL}): nothing is ever skipped; a task that ran on a killed worker starts again on another
 * one from the offset last flushed before the kill, so it repeats, once, the records it emitted since then, as one
 * contiguous run of the same rows; no other task repeats anything, and graceful stops (rebalances, a rolling
 * restart) repeat nothing.
 */
class ScaleOutAtLeastOnceIT extends ScaleOutScenarios {

    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(2);
    /**
     * Beyond the flush interval, how old a repeated record may be at the kill: the time for the record to be
     * acknowledged and for the offset write to complete, on a busy 2-core machine.
     */
    static final Duration FLUSH_SLACK = Duration.ofMillis(2000);

    @Override
    boolean exactlyOnce() {
        return false;
    }

    @Override
    WorkerProcess.Builder options(WorkerProcess.Builder builder) {
        return builder.exactlyOnce(false).offsetFlush(FLUSH_INTERVAL);
    }

    @Override
    void assertGuarantee(Map<Integer, List<Sampled>> byTask, List<Long> kills, Set<Integer> killedTasks) {
        byTask.forEach((task, records) -> {
            List<Long> sequences = records.stream().map(Sampled::sequence).toList();
            long distinct = sequences.stream().distinct().count();
            assertThat(sequences.stream().distinct().sorted()).as("task %d: every sequence from 0, no gap", task)
                    .containsExactlyElementsOf(ScaleOutScenarios.range(distinct));
            List<Integer> stepsBack = new ArrayList<>();
            for (int i = 1; i < sequences.size(); i++) {
                if (sequences.get(i) != sequences.get(i - 1) + 1) {
                    assertThat(sequences.get(i)).as("task %d at index %d goes from %d to %d: only a step back (a"
                            + " restart from an older offset) is allowed, never forward (a gap)", task, i,
                            sequences.get(i - 1), sequences.get(i)).isLessThanOrEqualTo(sequences.get(i - 1));
                    stepsBack.add(i);
                }
            }
            if (!killedTasks.contains(task)) {
                assertThat(stepsBack).as("task %d did not run on a killed worker: it repeats nothing (steps back at %s:"
                        + " %s)", task, stepsBack, around(records, stepsBack)).isEmpty();
            }
            assertThat(stepsBack).as("task %d: one contiguous run of repeats at most per kill (%s)", task,
                    around(records, stepsBack)).hasSizeLessThanOrEqualTo(kills.size());
            Map<Long, Sampled> first = new HashMap<>();
            for (Sampled record : records) {
                Sampled earlier = first.putIfAbsent(record.sequence(), record);
                if (earlier == null) {
                    continue;
                }
                assertThat(record.row()).as("task %d: repeat of sequence %d carries the same row", task,
                        record.sequence()).isEqualTo(earlier.row());
                long emitted = earlier.timestamp();
                long kill = kills.stream().filter(k -> k >= emitted - 50).findFirst()
                        .orElseThrow(() -> new AssertionError("task " + task + " sequence " + record.sequence()
                                + " first emitted at " + emitted + ", after every kill " + kills + ", yet repeated"));
                assertThat(kill - emitted).as("task %d sequence %d, repeated after the kill at %d, was first emitted"
                        + " %d ms before it: only the last flush window (%s + %s slack) may be repeated", task,
                        record.sequence(), kill, kill - emitted, FLUSH_INTERVAL, FLUSH_SLACK)
                        .isLessThanOrEqualTo(FLUSH_INTERVAL.plus(FLUSH_SLACK).toMillis());
            }
        });
    }

    /** The records around each index, as offset:sequence@timestamp, for failure messages. */
    private static String around(List<Sampled> records, List<Integer> indexes) {
        List<String> parts = new ArrayList<>();
        for (int index : indexes) {
            List<String> near = new ArrayList<>();
            for (int i = Math.max(0, index - 4); i < Math.min(records.size(), index + 4); i++) {
                Sampled r = records.get(i);
                near.add(r.offset() + ":" + r.sequence() + "@" + r.timestamp());
            }
            parts.add("[" + String.join(" ", near) + "]");
        }
        return String.join(", ", parts);
    }
}
