package io.github.csvsampling.connect.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import io.github.csvsampling.connect.pacing.Pacer;
import io.github.csvsampling.connect.schema.TemporalFormat;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    private static final TemporalFormat DAY = TemporalFormat.of("yyyy-MM-dd", ZoneOffset.UTC);
    private static final long SECOND = 1_000_000_000L;

    /** Two indices on three trading days (a weekend between the 2nd and 3rd), file sorted by index then date. */
    private static final String[][] ROWS = {
        {"NYA", "2021-01-07"}, {"NYA", "2021-01-08"}, {"NYA", "2021-01-11"},
        {"HSI", "2021-01-07"}, {"HSI", "2021-01-08"}, {"HSI", "2021-01-11"},
    };

    @Test
    void rowsComeInTimeOrderWithEqualTimesInFileOrder() {
        ReplayPlan plan = plan(0, 1);

        assertThat(LongStream.range(0, 8).map(plan::rowAt).toArray()).containsExactly(0, 3, 1, 4, 2, 5, 0, 3);
    }

    @Test
    void stepsPacingGivesEachTradingDayOneStepAndRowsOfADayTheSameTime() {
        Pacer.Schedule schedule = plan(0, 1).schedule(true, 2.0);

        assertThat(LongStream.range(0, 8).map(schedule).toArray()).containsExactly(
                0, 0, SECOND / 2, SECOND / 2, SECOND, SECOND, 3 * SECOND / 2, 3 * SECOND / 2);
    }

    @Test
    void timePacingKeepsGapsAndLoopsAfterTheSmallestGap() {
        Pacer.Schedule schedule = plan(0, 1).schedule(false, 86_400.0);

        assertThat(LongStream.range(0, 8).map(schedule).toArray()).containsExactly(
                0, 0, SECOND, SECOND, 4 * SECOND, 4 * SECOND, 5 * SECOND, 5 * SECOND);
    }

    @Test
    void eachKeysSeriesStaysInOneTaskAndTasksCoverEveryRow() {
        Set<Long> all = new HashSet<>();
        for (int task = 0; task < 2; task++) {
            ReplayPlan plan = plan(task, 2);
            Set<String> keys = new HashSet<>();
            List<Long> rows = new ArrayList<>();
            for (long i = 0; i < plan.rowsPerPass(); i++) {
                long row = plan.rowAt(i);
                rows.add(row);
                keys.add(ROWS[(int) row][0]);
                assertThat(all.add(row)).isTrue();
            }
            assertThat(keys).hasSizeLessThanOrEqualTo(1);
            assertThat(rows).isSorted();
        }
        assertThat(all).hasSize(ROWS.length);
    }

    @Test
    void tasksShareTheTimeAxisOfTheWholeFile() {
        String early = "A";
        String late = java.util.stream.Stream.iterate("B", k -> k + "B")
                .filter(k -> ReplayPlan.taskOf(k, 2) != ReplayPlan.taskOf(early, 2)).findFirst().orElseThrow();
        String[][] rows = {{early, "2021-01-07"}, {early, "2021-01-08"}, {late, "2021-01-08"}, {late, "2021-01-11"}};

        ReplayPlan lateTask = build(rows, 0, ReplayPlan.taskOf(late, 2), 2);

        assertThat(LongStream.range(0, 2).map(lateTask::rowAt).toArray()).containsExactly(2, 3);
        assertThat(LongStream.range(0, 3).map(lateTask.schedule(true, 1.0)).toArray())
                .as("its first day is the file's second step; the next pass starts after the file's last step")
                .containsExactly(SECOND, 2 * SECOND, 4 * SECOND);
    }

    @Test
    void orderAndStepsMatchASortOfTheWholeFileByTimeThenRow() {
        java.util.Random random = new java.util.Random(7);
        String[][] rows = new String[5_000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new String[] {"K" + random.nextInt(40),
                java.time.LocalDate.of(2020, 1, 1).plusDays(random.nextInt(300)).toString()};
        }
        long[] distinct = java.util.Arrays.stream(rows).mapToLong(r -> java.time.LocalDate.parse(r[1]).toEpochDay())
                .sorted().distinct().toArray();
        for (int task = 0; task < 3; task++) {
            int taskId = task;
            long[] expected = LongStream.range(0, rows.length)
                    .filter(i -> ReplayPlan.taskOf(rows[(int) i][0], 3) == taskId).boxed()
                    .sorted(java.util.Comparator.comparing((Long i) -> rows[(int) (long) i][1]).thenComparing(i -> i))
                    .mapToLong(Long::longValue).toArray();

            ReplayPlan plan = build(rows, 0, taskId, 3);

            assertThat(LongStream.range(0, expected.length).map(plan::rowAt).toArray()).containsExactly(expected);
            Pacer.Schedule steps = plan.schedule(true, 1.0);
            long[] expectedDue = LongStream.range(0, 2L * expected.length).map(k -> SECOND * (k / expected.length
                    * distinct.length + java.util.Arrays.binarySearch(distinct, java.time.LocalDate.parse(
                    rows[(int) expected[(int) (k % expected.length)]][1]).toEpochDay()))).toArray();
            assertThat(LongStream.range(0, 2L * expected.length).map(steps).toArray()).containsExactly(expectedDue);
        }
    }

    private static ReplayPlan plan(int task, int tasks) {
        return build(ROWS, tasks == 1 ? -1 : 0, task, tasks);
    }

    /** The plan of rows {key, day}, handed over in file order as the dataset hands them while it loads. */
    private static ReplayPlan build(String[][] rows, int keyIndex, int task, int tasks) {
        ReplayPlan.Builder builder = new ReplayPlan.Builder(task, tasks);
        for (String[] row : rows) {
            builder.add(DAY.parseInstant(row[1]).toEpochMilli(), keyIndex < 0 ? null : row[keyIndex]);
        }
        return builder.build();
    }

    @Test
    void rowsHandedOverInStretchesGiveThePlanOfOneSequence() {
        java.util.Random random = new java.util.Random(9);
        String[][] rows = new String[3_000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new String[] {"K" + random.nextInt(30),
                java.time.LocalDate.of(2020, 1, 1).plusDays(random.nextInt(200)).toString()};
        }
        for (int task = 0; task < 3; task++) {
            ReplayPlan whole = build(rows, 0, task, 3);
            ReplayPlan.Builder first = new ReplayPlan.Builder(task, 3);
            ReplayPlan.Builder second = new ReplayPlan.Builder(task, 3);
            ReplayPlan.Builder third = new ReplayPlan.Builder(task, 3);
            for (int i = 0; i < rows.length; i++) {
                ReplayPlan.Builder part = i < 1_000 ? first : i < 1_001 ? second : third;
                part.add(DAY.parseInstant(rows[i][1]).toEpochMilli(), rows[i][0]);
            }
            first.append(second);
            first.append(third);
            ReplayPlan joined = first.build();

            assertThat(joined.rowsPerPass()).isEqualTo(whole.rowsPerPass());
            assertThat(LongStream.range(0, 2 * whole.rowsPerPass()).map(joined::rowAt).toArray())
                    .containsExactly(LongStream.range(0, 2 * whole.rowsPerPass()).map(whole::rowAt).toArray());
            assertThat(LongStream.range(0, 2 * whole.rowsPerPass()).map(joined.schedule(true, 3.0)).toArray())
                    .containsExactly(LongStream.range(0, 2 * whole.rowsPerPass()).map(whole.schedule(true, 3.0))
                            .toArray());
        }
    }
}
