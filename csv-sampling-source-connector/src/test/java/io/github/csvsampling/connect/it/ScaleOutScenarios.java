package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.connect.it.ConnectCluster.Sampled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The connector scaled out: {@value #WORKERS} Connect workers, each a separate JVM, in one group on one broker,
 * a connector with {@code tasks.max=}{@value #TASKS} at {@value #RATE} records/s in total, and what operators and
 * failures do to such a cluster: a worker killed and never restarted, a worker joining, a rolling restart of every
 * worker, {@code tasks.max} changed while a worker is down. Each task's stream is judged by its {@code csv.task}
 * and {@code csv.sequence} headers, read back from the topic (one partition, so each task's records are in the
 * order they were written): with exactly-once ({@link ScaleOutExactlyOnceIT}) a read_committed consumer sees every
 * sequence once, in order; without ({@link ScaleOutAtLeastOnceIT}) nothing is skipped and only a killed worker's
 * tasks repeat, once per kill, what they emitted since their last offset flush. After each event every task runs
 * again and the cluster emits the configured total, each task its share.
 *
 * <p>Settings that make faults take seconds: {@code session.timeout.ms=6000}, {@code heartbeat.interval.ms=1000},
 * {@code scheduled.rebalance.max.delay.ms=}{@link #REBALANCE_DELAY} (Connect's default is 5 minutes), and with
 * exactly-once {@code producer.transaction.timeout.ms=10000} (see {@link WorkerProcess}). The times measured are
 * printed and written to {@code target/scale-out-it/<class>.md}; docs/scaling.md quotes them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScaleOutScenarios {

    static final int WORKERS = 3;
    static final int TASKS = 6;
    static final double RATE = 60;
    static final Duration REBALANCE_DELAY = Duration.ofSeconds(5);
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    /** Long enough for a rate to be measured within a few percent: about 50 records per task. */
    static final Duration STEADY = Duration.ofSeconds(5);
    private static final Path WORK_DIRS = Path.of(System.getProperty("build.dir", "target"), "scale-out-it");

    WorkerCluster cluster;
    private final List<String> report = new ArrayList<>();

    /** Whether the workers run with {@code exactly.once.source.support=enabled}. */
    abstract boolean exactlyOnce();

    /** Worker options beyond the defaults of {@link WorkerProcess} and the rebalance delay. */
    abstract WorkerProcess.Builder options(WorkerProcess.Builder builder);

    /**
     * Asserts what the guarantee promises for each task's records, given the times at which workers were killed
     * ({@code kills}) and the tasks that ran on them ({@code killedTasks}).
     */
    abstract void assertGuarantee(Map<Integer, List<Sampled>> byTask, List<Long> kills, Set<Integer> killedTasks);

    @BeforeAll
    void startCluster() throws IOException {
        String name = getClass().getSimpleName();
        cluster = WorkerCluster.start(name.toLowerCase(java.util.Locale.ROOT), WORKERS, WORK_DIRS.resolve(name),
                b -> options(b.rebalanceDelay(REBALANCE_DELAY)));
    }

    @AfterAll
    void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        Files.createDirectories(WORK_DIRS);
        Files.writeString(WORK_DIRS.resolve(getClass().getSimpleName() + ".md"),
                String.join("\n", report) + "\n", StandardCharsets.UTF_8);
        System.out.println(getClass().getSimpleName() + ", measured:\n" + String.join("\n", report));
    }

    @BeforeEach
    void everyWorkerRuns() {
        cluster.restoreAll();
    }

    /** Deletes the test's connector, also when the test failed before it stopped it. */
    @AfterEach
    void deleteConnectors() {
        cluster.restoreAll();
        for (JsonNode name : cluster.rest().connectors()) {
            cluster.rest().delete(name.asText());
        }
    }

    /**
     * A worker (not the group's leader) killed with SIGKILL and not restarted: after the group notices
     * ({@code session.timeout.ms}) and the rebalance delay, its tasks run on the two others and continue their
     * streams; the others' tasks are not touched. Then the worker's host comes back and its new worker joins the
     * group: tasks are rebalanced onto it and the streams continue again.
     */
    @Test
    void killedWorkersTasksMoveToTheOthersThenAJoiningWorkerTakesItsShare() throws Exception {
        Run run = new Run("killed-then-join");
        run.create(TASKS);
        Map<Integer, String> initial = cluster.awaitTasksOn(run.name, TASKS, cluster.workers());
        assertBalanced(initial, WORKERS);
        long steadyFrom = run.awaitEveryTaskEmittedAfter(System.currentTimeMillis(), TASKS) + 1000;
        Thread.sleep(STEADY.toMillis());

        WorkerProcess leader = cluster.leader();
        WorkerProcess victim = cluster.workers().stream().filter(w -> w != leader).findFirst().orElseThrow();
        Set<Integer> moved = tasksOf(initial, victim);
        List<WorkerProcess> survivors = cluster.workers().stream().filter(w -> w != victim).toList();
        long kill = System.currentTimeMillis();
        victim.kill();
        Map<Integer, String> afterKill = cluster.awaitTasksOn(run.name, TASKS, survivors);
        Map<Integer, Long> resumedAt = run.awaitEmittedAfter(kill, moved);
        long settled = resumedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow() + 1000;
        Thread.sleep(STEADY.toMillis());
        long joinAt = System.currentTimeMillis();
        victim.start();
        JoinOutcome join = awaitJoined(run, victim, joinAt);
        Thread.sleep(STEADY.toMillis());
        long end = run.stop();

        Map<Integer, List<Sampled>> byTask = Streams.byTask(run.read());
        assertThat(byTask).containsOnlyKeys(tasks(TASKS));
        assertGuarantee(byTask, List.of(kill), moved);
        assertThat(afterKill.values()).as("tasks after the kill").doesNotContain(victim.workerId());
        Map<Integer, Long> untouchedGaps = new TreeMap<>();
        byTask.forEach((task, records) -> {
            if (!moved.contains(task)) {
                untouchedGaps.put(task, maxGap(records, kill - 2000, settled));
            }
        });
        untouchedGaps.forEach((task, gap) -> assertThat(gap)
                .as("task %d, not on the killed worker, keeps emitting: its longest pause around the kill", task)
                .isLessThan(2000));
        Map<Integer, Long> moveTimes = new TreeMap<>();
        resumedAt.forEach((task, at) -> moveTimes.put(task, at - kill));
        moveTimes.forEach((task, ms) -> assertThat(ms)
                .as("task %d emits again on another worker %d ms after the kill: the group notices after the session"
                        + " timeout, keeps the tasks of a member that left (not the leader) unassigned for the rebalance"
                        + " delay, then starts them elsewhere (allowed 30 s for that)", task, ms)
                .isBetween(earliestMove(),
                        SESSION_TIMEOUT.plus(REBALANCE_DELAY).toMillis() + 30_000));
        assertRate(byTask, steadyFrom, kill, TASKS, "before the kill");
        assertRate(byTask, settled, joinAt, TASKS, "after the kill, on two workers");
        assertRate(byTask, join.settled, end, TASKS, "after the join, on three workers");

        run.report("tasks before %s; killed %s (not the leader; tasks %s) at 0 ms; moved tasks emit again after %s ms; the other"
                + " tasks' longest pause %s ms; tasks after the kill %s; worker joined at +%d ms, runs tasks %s"
                + " %d ms later (first record %d ms after joining), longest pause of a task over the join %d ms; tasks"
                + " after the join %s; %s", initial, victim.workerId(), moved, moveTimes, untouchedGaps, afterKill,
                joinAt - kill, join.tasks, join.runningAfter, join.firstRecordAfter,
                byTask.values().stream().mapToLong(r -> maxGap(r, joinAt, join.settled)).max().orElseThrow(),
                join.running, summary(byTask));
    }

    /**
     * Every worker stopped gracefully (SIGTERM) and started again, one after the other, as operators upgrade a
     * cluster: tasks move while a worker is down and are rebalanced when it is back, and every task continues its
     * stream. Graceful stops commit offsets, so even without exactly-once nothing is repeated.
     */
    @Test
    void rollingRestartOfEveryWorker() throws Exception {
        Run run = new Run("rolling");
        run.create(TASKS);
        assertBalanced(cluster.awaitTasksOn(run.name, TASKS, cluster.workers()), WORKERS);
        long steadyFrom = run.awaitEveryTaskEmittedAfter(System.currentTimeMillis(), TASKS) + 1000;
        Thread.sleep(STEADY.toMillis());
        long first = System.currentTimeMillis();
        List<String> steps = new ArrayList<>();
        for (WorkerProcess worker : cluster.workers()) {
            long t0 = System.currentTimeMillis();
            Duration stop = worker.stop();
            worker.start();
            long started = System.currentTimeMillis();
            cluster.awaitTasksOn(run.name, TASKS, cluster.workers());
            long allEmitting = run.awaitEveryTaskEmittedAfter(started, TASKS);
            steps.add(String.format("%s: stop %d ms, back after %d ms, every task emitting %d ms after the stop",
                    worker.workerId(), stop.toMillis(), started - t0, allEmitting - t0));
        }
        long last = System.currentTimeMillis();
        Map<Integer, String> after = cluster.awaitTasksOn(run.name, TASKS, cluster.workers());
        Thread.sleep(STEADY.toMillis());
        long settled = last + 1000;
        long end = run.stop();

        Map<Integer, List<Sampled>> byTask = Streams.byTask(run.read());
        assertThat(byTask).containsOnlyKeys(tasks(TASKS));
        assertGuarantee(byTask, List.of(), Set.of());
        assertRate(byTask, steadyFrom, first, TASKS, "before the rolling restart");
        assertRate(byTask, settled, end, TASKS, "after the rolling restart");
        Map<Integer, Long> pauses = new TreeMap<>();
        byTask.forEach((task, records) -> pauses.put(task, maxGap(records, first, last)));
        run.report("%s; longest pause per task during the rolling restart %s ms; tasks after %s; %s",
                String.join("; ", steps), pauses, after, summary(byTask));
    }

    /**
     * {@code tasks.max} lowered from 6 to 4 while a worker is down (the group's leader, killed just before, so the
     * change is accepted only once the group has a new leader): the four remaining tasks
     * run on the two live workers, each continuing its own stream at the new share of the rate; tasks 4 and 5 stop
     * and their offsets stay. When the worker is back, tasks spread onto it again.
     */
    @Test
    void tasksMaxChangedWhileAWorkerIsDown() throws Exception {
        Run run = new Run("resized");
        Map<String, String> config = run.create(TASKS);
        Map<Integer, String> initial = cluster.awaitTasksOn(run.name, TASKS, cluster.workers());
        assertBalanced(initial, WORKERS);
        run.awaitEveryTaskEmittedAfter(System.currentTimeMillis(), TASKS);

        WorkerProcess victim = cluster.leader();
        Set<Integer> killedTasks = tasksOf(initial, victim);
        List<WorkerProcess> survivors = cluster.workers().stream().filter(w -> w != victim).toList();
        long kill = System.currentTimeMillis();
        victim.kill();
        config.put("tasks.max", "4");
        long resized = System.currentTimeMillis();
        Duration accepted = cluster.putConnectorConfig(run.name, config);
        Map<Integer, String> onTwo = cluster.awaitTasksOn(run.name, 4, survivors);
        long started = 0;
        for (int task = 0; task < 4; task++) {
            // Each task logs its split when it starts: the tasks of the new configuration run from then on.
            started = cluster.awaitLogLine("Task " + task + " of 4: ", "into topic '" + run.name + "'");
        }
        long emitting = run.awaitEveryTaskEmittedAfter(started, 4);
        long settled = emitting + 1000;
        Thread.sleep(STEADY.toMillis());
        long back = System.currentTimeMillis();
        victim.start();
        Map<Integer, String> onThree = WorkerCluster.taskWorkers(cluster.awaitStatus(run.name,
                "4 tasks RUNNING, some on " + victim.workerId(), s -> WorkerCluster.taskWorkers(s).size() == 4
                        && WorkerCluster.taskWorkers(s).containsValue(victim.workerId())));
        long backSettled = run.awaitEveryTaskEmittedAfter(System.currentTimeMillis(), 4) + 1000;
        Thread.sleep(STEADY.toMillis());
        long end = run.stop();

        Map<Integer, List<Sampled>> byTask = Streams.byTask(run.read());
        assertThat(byTask).containsOnlyKeys(tasks(TASKS));
        assertGuarantee(byTask, List.of(kill), killedTasks);
        for (int task = 4; task < TASKS; task++) {
            assertThat(byTask.get(task).stream().filter(r -> r.timestamp() > settled))
                    .as("task %d emits nothing once the tasks of tasks.max=4 run", task).isEmpty();
        }
        assertRate(byTask, settled, back, 4, "with tasks.max=4 on two workers");
        assertRate(byTask, backSettled, end, 4, "with tasks.max=4 on three workers");
        run.report("killed the leader %s (tasks %s); tasks.max 6 -> 4 sent at +%d ms, accepted %d ms later; all 4 tasks emitting"
                + " %d ms after it was sent, on %s; worker back at +%d ms, tasks %s; %s", victim.workerId(), killedTasks,
                resized - kill, accepted.toMillis(), emitting - resized, onTwo, back - kill, onThree, summary(byTask));
    }

    /** A connector of the test's own: its name is also its topic (one partition). */
    final class Run {
        final String name;
        private final long started = System.currentTimeMillis();

        Run(String name) {
            this.name = name;
        }

        Map<String, String> create(int tasks) {
            cluster.kafka.createTopic(name, 1);
            Map<String, String> settings = new HashMap<>(Map.of("tasks.max", String.valueOf(tasks),
                    "records.per.second", String.valueOf(RATE), "random.seed", String.valueOf(name.hashCode())));
            if (exactlyOnce()) {
                settings.put("exactly.once.support", "required");
            }
            Map<String, String> config = new HashMap<>(ConnectCluster.sourceConfig(name, settings));
            TransientRestErrors.retry(() -> cluster.rest().createConnector(name, config), WorkerCluster.TIMEOUT);
            return config;
        }

        List<Sampled> read() {
            return Streams.readAll(cluster.kafka, name, exactlyOnce());
        }

        /**
         * Waits until each of {@code tasks} has a record emitted after {@code after} (ms since the epoch), and
         * returns the time of each task's first such record.
         */
        Map<Integer, Long> awaitEmittedAfter(long after, Set<Integer> tasks) throws InterruptedException {
            long deadline = System.nanoTime() + WorkerCluster.TIMEOUT.toNanos();
            while (true) {
                Map<Integer, Long> first = new TreeMap<>();
                for (Sampled record : read()) {
                    if (tasks.contains(record.task()) && record.timestamp() > after) {
                        first.merge(record.task(), record.timestamp(), Math::min);
                    }
                }
                if (first.keySet().containsAll(tasks)) {
                    return first;
                }
                assertThat(System.nanoTime()).as("tasks %s emit after %d; only %s did", tasks, after, first.keySet())
                        .isLessThan(deadline);
                Thread.sleep(250);
            }
        }

        /** Waits until tasks 0 to {@code tasks - 1} all emitted after {@code after}; returns when the last one did. */
        long awaitEveryTaskEmittedAfter(long after, int tasks) throws InterruptedException {
            return awaitEmittedAfter(after, Set.copyOf(tasks(tasks))).values().stream()
                    .mapToLong(Long::longValue).max().orElseThrow();
        }

        /** Stops the connector (its tasks commit) and returns when it was asked to. */
        long stop() {
            long at = System.currentTimeMillis();
            TransientRestErrors.retry(() -> cluster.rest().stopConnector(name), WorkerCluster.TIMEOUT);
            cluster.rest().awaitState(name, "STOPPED", 0, WorkerCluster.TIMEOUT);
            return at;
        }

        void report(String format, Object... args) {
            List<String> retried = TransientRestErrors.drain();
            String line = String.format("- %s (%.0f s): ", name, (System.currentTimeMillis() - started) / 1000.0)
                    + String.format(format, args)
                    + (retried.isEmpty() ? "" : "; REST calls retried: " + retried.size() + " (" + retried.get(0) + ")");
            report.add(line);
            System.out.println(line);
        }
    }

    /** What a joining worker got: its tasks, how long it took, and when the cluster had settled. */
    private record JoinOutcome(Map<Integer, String> running, Set<Integer> tasks, long runningAfter,
                               long firstRecordAfter, long settled) {
    }

    private JoinOutcome awaitJoined(Run run, WorkerProcess joined, long joinAt) throws InterruptedException {
        Predicate<JsonNode> hasTasks = s -> WorkerCluster.taskWorkers(s).size() == TASKS
                && WorkerCluster.taskWorkers(s).containsValue(joined.workerId());
        Map<Integer, String> running = WorkerCluster.taskWorkers(cluster.awaitStatus(run.name,
                "tasks RUNNING on the joined worker " + joined.workerId(), hasTasks));
        long runningAt = System.currentTimeMillis();
        Set<Integer> ours = tasksOf(running, joined);
        long firstRecord = run.awaitEmittedAfter(runningAt - 1, ours).values().stream()
                .mapToLong(Long::longValue).min().orElseThrow();
        long settled = run.awaitEveryTaskEmittedAfter(runningAt, TASKS) + 1000;
        return new JoinOutcome(running, ours, runningAt - joinAt, firstRecord - joinAt, settled);
    }

    /**
     * The earliest a task of a worker that died (not the leader) can emit on another: the session timeout, counted
     * from the worker's last heartbeat (up to {@code heartbeat.interval.ms}, 1 s, before it died), then the
     * rebalance delay; 1 s less for clock and scheduling noise. Less would mean the delay did not apply.
     */
    static long earliestMove() {
        return SESSION_TIMEOUT.plus(REBALANCE_DELAY).toMillis() - 2000;
    }

    /** Tasks per worker differ by at most one, and every one of {@code workers} runs some. */
    static void assertBalanced(Map<Integer, String> taskWorkers, int workers) {
        Map<String, Long> perWorker = taskWorkers.values().stream()
                .collect(Collectors.groupingBy(w -> w, Collectors.counting()));
        assertThat(perWorker).as("tasks per worker: %s", taskWorkers).hasSize(workers);
        assertThat(perWorker.values().stream().mapToLong(Long::longValue).max().orElseThrow()
                - perWorker.values().stream().mapToLong(Long::longValue).min().orElseThrow())
                .as("tasks per worker: %s", taskWorkers).isLessThanOrEqualTo(1);
    }

    static Set<Integer> tasksOf(Map<Integer, String> taskWorkers, WorkerProcess worker) {
        Set<Integer> tasks = new HashSet<>();
        taskWorkers.forEach((task, id) -> {
            if (id.equals(worker.workerId())) {
                tasks.add(task);
            }
        });
        return tasks;
    }

    /** 0, 1, ..., {@code count - 1}. */
    static List<Long> range(long count) {
        List<Long> numbers = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    static List<Integer> tasks(int count) {
        List<Integer> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(i);
        }
        return tasks;
    }

    /**
     * Asserts that the cluster emitted {@link #RATE} records/s in total (within 10%) within {@code [from, to)}, by
     * the records' emission times, and each of the {@code tasks} tasks its share (within 15%). Repeats count: they
     * are emitted at the rate like any record.
     */
    static void assertRate(Map<Integer, List<Sampled>> byTask, long from, long to, int tasks, String when) {
        assertThat(to - from).as("window %s", when).isGreaterThanOrEqualTo(STEADY.toMillis() - 1500);
        double seconds = (to - from) / 1000.0;
        long total = 0;
        Map<Integer, String> rates = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Sampled>> entry : byTask.entrySet()) {
            long count = entry.getValue().stream().filter(r -> r.timestamp() >= from && r.timestamp() < to).count();
            total += count;
            if (entry.getKey() < tasks) {
                double rate = count / seconds;
                rates.put(entry.getKey(), String.format("%.1f", rate));
                assertThat(rate).as("task %d's rate %s (%d records in %.1f s)", entry.getKey(), when, count, seconds)
                        .isCloseTo(RATE / tasks, within(RATE / tasks * 0.15));
            }
        }
        assertThat(total / seconds).as("records/s of all tasks %s (per task: %s)", when, rates)
                .isCloseTo(RATE, within(RATE * 0.1));
    }

    /** The longest time between two consecutive first-written records of a task within {@code [from, to]}. */
    static long maxGap(List<Sampled> records, long from, long to) {
        Set<Long> seen = new HashSet<>();
        long previous = -1;
        long gap = 0;
        for (Sampled record : records) {
            if (!seen.add(record.sequence()) || record.timestamp() < from || record.timestamp() > to) {
                continue;
            }
            if (previous >= 0) {
                gap = Math.max(gap, record.timestamp() - previous);
            }
            previous = record.timestamp();
        }
        return gap;
    }

    /** Records per task and repeats, for the report. */
    static String summary(Map<Integer, List<Sampled>> byTask) {
        Map<Integer, String> perTask = new TreeMap<>();
        byTask.forEach((task, records) -> {
            long distinct = records.stream().map(Sampled::sequence).distinct().count();
            perTask.put(task, records.size() == distinct ? String.valueOf(distinct)
                    : distinct + " (+" + (records.size() - distinct) + " repeated)");
        });
        return "records per task " + perTask;
    }
}
