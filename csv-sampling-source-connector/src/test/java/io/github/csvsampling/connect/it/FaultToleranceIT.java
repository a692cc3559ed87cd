package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.connect.it.ConnectCluster.Sampled;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.LocalKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What faults and operations do to the stream, observed through the {@code csv.task} and
 * {@code csv.sequence} headers of what lands in the topic: the resume point, and whether anything is
 * repeated (a duplicate) or skipped (a gap).
 *
 * <p>One broker and one in-JVM worker with exactly-once source support are shared by the class. The
 * tests that kill a worker run it as a separate JVM ({@link WorkerProcess}), since only a process can
 * be killed without a graceful stop. Every server binds to 127.0.0.1.
 *
 * <p>The outcomes, as asserted below:
 *
 * <table>
 * <caption>Faults and what the stream does</caption>
 * <tr><th>Fault</th><th>Exactly-once enabled (read_committed)</th><th>Exactly-once disabled</th></tr>
 * <tr><td>worker killed (SIGKILL), restarted</td><td>resumes at the next record: no duplicate, no gap</td>
 * <td>resumes at the last committed offset: no gap; the records emitted since the last offset flush
 * before the kill are emitted again, as one contiguous run per kill, with the same rows</td></tr>
 * <tr><td>broker restarted</td><td>no duplicate, no gap</td><td>no gap; any repeat is a contiguous run
 * with the same rows</td></tr>
 * <tr><td>task or connector restarted through the REST API</td><td colspan="2">resumes at the next
 * record (offsets are committed on the graceful stop)</td></tr>
 * <tr><td>tasks.max changed</td><td colspan="2">each task id resumes its own partition
 * {@code {"file", "task"}}: task 0 continues, a new task id starts at 0, a removed task id stops and its
 * offset stays, so it continues from there if the id comes back; the rate is split anew</td></tr>
 * <tr><td>connector deleted and re-created</td><td colspan="2">same name: resumes from the offsets Connect
 * kept (Kafka 4.1 does not delete a connector's offsets with it); another name: starts at 0</td></tr>
 * </table>
 */
class FaultToleranceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int KILLS = 3;
    private static final double KILL_TEST_RATE = 100;
    /** The offset flush interval of the worker that runs without exactly-once: the window a kill repeats. */
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(2);
    /**
     * Beyond the flush interval, how old a repeated record may be at the kill: the time for the record to be
     * acknowledged and for the offset write to complete, on a busy 2-core machine.
     */
    private static final Duration FLUSH_SLACK = Duration.ofMillis(1500);

    private static ConnectCluster cluster;

    /** Properties and logs of the worker processes, kept for failure analysis: {@code target/fault-tolerance-it}. */
    private static final Path WORK_DIRS = Path.of(System.getProperty("build.dir", "target"), "fault-tolerance-it");

    @BeforeAll
    static void startCluster() throws java.io.IOException {
        if (Files.exists(WORK_DIRS)) {
            try (Stream<Path> old = Files.walk(WORK_DIRS)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        cluster = ConnectCluster.start(true);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Worker killed with SIGKILL three times mid-stream, exactly-once enabled: the killed worker's open
     * transaction is aborted when the restarted task's producer takes over its transactional id, and the task
     * resumes at the offset committed with the last committed transaction. A read_committed consumer sees
     * every sequence number once, in order: no duplicate, no gap.
     */
    @Test
    void killedWorkerWithExactlyOnceRepeatsAndSkipsNothing() throws Exception {
        String topic = "killed-eos";
        KillRun run = killRepeatedly("killed-eos", topic, true);

        List<Sampled> committed = readAll(cluster.kafka, topic, true);
        List<Sampled> all = readAll(cluster.kafka, topic, false);

        System.out.printf("killed-eos: %d committed records, %d in the log including aborted ones, kills at %s%n",
                committed.size(), all.size(), run.killTimes());
        assertOneOffsetKeyPerTask("killed-eos");
        assertThat(committed.stream().map(Sampled::task).distinct()).containsExactly(0);
        assertEverySequenceOnceInOrder(committed, "read_committed sequences across %d kills", KILLS);
        assertThat(committed.size()).as("records before and after the kills")
                .isGreaterThan((int) (KILL_TEST_RATE * 4));
    }

    /**
     * Worker killed with SIGKILL three times mid-stream, exactly-once disabled,
     * {@code offset.flush.interval.ms=2000}: the restarted task resumes at the last offset the killed worker
     * flushed. Nothing is skipped; the records emitted after that flush, which reached the topic, are emitted
     * again. In the topic, each kill therefore shows as one step back in the sequence, followed by a contiguous
     * run of repeats of the records emitted in the last flush window before the kill (with the same rows, as
     * record {@code n} is a pure function of the seed and {@code n}), then new records.
     */
    @Test
    void killedWorkerWithoutExactlyOnceRepeatsOnlyTheLastFlushWindow() throws Exception {
        String topic = "killed-alo";
        KillRun run = killRepeatedly("killed-alo", topic, false);

        List<Sampled> records = readAll(cluster.kafka, topic, false);
        List<Long> sequences = records.stream().map(Sampled::sequence).toList();
        long distinct = sequences.stream().distinct().count();
        System.out.printf("killed-alo: %d records, %d distinct, kills at %s%n", records.size(), distinct,
                run.killTimes());
        assertOneOffsetKeyPerTask("killed-alo");

        assertThat(records.stream().map(Sampled::task).distinct()).containsExactly(0);
        assertThat(sequences.stream().distinct().sorted())
                .as("every sequence number from 0 appears: no gap")
                .containsExactlyElementsOf(range(0, distinct));

        List<Integer> stepsBack = new ArrayList<>();
        for (int i = 1; i < sequences.size(); i++) {
            long previous = sequences.get(i - 1);
            long current = sequences.get(i);
            if (current != previous + 1) {
                assertThat(current).as("at index %d the sequence goes from %d to %d: only a step back (a restart"
                        + " from an older offset) is allowed, never a step forward (a gap)", i, previous, current)
                        .isLessThanOrEqualTo(previous);
                stepsBack.add(i);
            }
        }
        assertThat(stepsBack).as("one step back at most per kill").hasSizeLessThanOrEqualTo(KILLS);

        Map<Long, Sampled> firstBySequence = new HashMap<>();
        int repeats = 0;
        for (Sampled record : records) {
            Sampled first = firstBySequence.putIfAbsent(record.sequence(), record);
            if (first == null) {
                continue;
            }
            repeats++;
            assertThat(record.row()).as("repeat of sequence %d carries the same row", record.sequence())
                    .isEqualTo(first.row());
            long emitted = first.timestamp();
            long kill = run.killTimes().stream().filter(k -> k >= emitted - 50).findFirst()
                    .orElseThrow(() -> new AssertionError("sequence " + record.sequence() + " first emitted at "
                            + emitted + ", after the last kill, yet repeated"));
            assertThat(kill - emitted)
                    .as("sequence %d, repeated after the kill at %d, was first emitted %d ms before it: only records"
                            + " of the last flush window (%s + %s slack) may be repeated", record.sequence(), kill,
                            kill - emitted, FLUSH_INTERVAL, FLUSH_SLACK)
                    .isLessThanOrEqualTo(FLUSH_INTERVAL.plus(FLUSH_SLACK).toMillis());
        }
        for (int index : stepsBack) {
            long from = sequences.get(index);
            long to = sequences.get(index - 1);
            System.out.printf("killed-alo: step back at index %d: sequences %d-%d repeated (%d records)%n",
                    index, from, to, to - from + 1);
        }
        assertThat(repeats).as("records repeated in total; at %s records/s and a %s flush interval, a kill"
                + " repeats what was emitted since the last flush", KILL_TEST_RATE, FLUSH_INTERVAL).isPositive();
        assertThat(records.size()).isEqualTo(distinct + repeats);
    }

    /**
     * Broker restarted (stopped, then started on the same data and ports) mid-stream, exactly-once enabled,
     * in-JVM worker: the task's producer waits for the broker and the stream continues; a read_committed
     * consumer sees every sequence number once, in order.
     */
    @Test
    void brokerRestartWithExactlyOnceRepeatsAndSkipsNothing() throws Exception {
        String topic = "broker-eos";
        cluster.run("broker-eos", ConnectCluster.sourceConfig(topic, Map.of("records.per.second", "100",
                "random.seed", "31")), 1);
        awaitGrowth(topic, 0, 300);
        cluster.kafka.restart();
        long afterRestart = endOffset(topic);
        awaitGrowth(topic, afterRestart, 300);
        cluster.rest.stopConnector("broker-eos");
        cluster.rest.awaitState("broker-eos", "STOPPED", 0, TIMEOUT);

        List<Sampled> committed = readAll(cluster.kafka, topic, true);
        System.out.printf("broker-eos: %d committed records%n", committed.size());
        assertEverySequenceOnceInOrder(committed, "read_committed sequences across a broker restart");
        assertThat(committed.size()).isGreaterThan(300);
    }

    /**
     * Broker restarted mid-stream, exactly-once disabled (worker in its own process): the producer retries
     * idempotently and the offset flushes that fail while the broker is down are retried after, so the stream
     * continues with no gap. A repeat is allowed by at-least-once delivery; if there is any, it is a contiguous
     * run of records with the same rows.
     */
    @Test
    void brokerRestartWithoutExactlyOnceSkipsNothing() throws Exception {
        String topic = "broker-alo";
        try (WorkerProcess worker = WorkerProcess.builder(cluster.kafka.bootstrapServers(), "broker-alo",
                WORK_DIRS.resolve("broker-alo")).offsetFlush(FLUSH_INTERVAL).build()) {
            worker.start();
            ConnectRestClient rest = worker.rest();
            rest.createConnector("broker-alo", ConnectCluster.sourceConfig(topic, Map.of("records.per.second", "100",
                    "random.seed", "32")));
            rest.awaitConnectorRunning("broker-alo", 1, TIMEOUT);
            awaitGrowth(topic, 0, 300);
            cluster.kafka.restart();
            long afterRestart = endOffset(topic);
            awaitGrowth(topic, afterRestart, 300);
            rest.stopConnector("broker-alo");
            rest.awaitState("broker-alo", "STOPPED", 0, TIMEOUT);
        }

        List<Sampled> records = readAll(cluster.kafka, topic, false);
        List<Long> sequences = records.stream().map(Sampled::sequence).toList();
        long distinct = sequences.stream().distinct().count();
        System.out.printf("broker-alo: %d records, %d distinct%n", records.size(), distinct);
        assertThat(sequences.stream().distinct().sorted()).as("no gap")
                .containsExactlyElementsOf(range(0, distinct));
        Map<Long, Long> rowBySequence = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Sampled record = records.get(i);
            Long row = rowBySequence.putIfAbsent(record.sequence(), record.row());
            assertThat(row == null || row == record.row()).as("sequence %d repeated with another row",
                    record.sequence()).isTrue();
            if (i > 0 && record.sequence() != sequences.get(i - 1) + 1) {
                assertThat(record.sequence()).as("only steps back, never forward, at index %d", i)
                        .isLessThanOrEqualTo(sequences.get(i - 1));
            }
        }
    }

    /**
     * {@code POST /connectors/{name}/tasks/0/restart}, then {@code POST /connectors/{name}/restart?includeTasks=true}:
     * each time the task is stopped gracefully (its offsets committed) and a new task instance starts at the
     * next record: no duplicate, no gap. The task's own metrics prove that a new instance took over: its
     * {@code records-emitted-total} counts from the restart, while {@code next-sequence} continues.
     */
    @Test
    void tasksRestartedThroughTheRestApiContinueAtTheNextRecord() throws Exception {
        String name = "rest-restarted";
        cluster.run(name, ConnectCluster.sourceConfig(name, Map.of("records.per.second", "50",
                "random.seed", "61")), 1);
        awaitGrowth(name, 0, 100);

        long beforeTaskRestart = taskMetric(name, "next-sequence");
        cluster.rest.restartTask(name, 0);
        long firstRestartAt = awaitNewTaskInstance(name, beforeTaskRestart);
        cluster.rest.awaitConnectorRunning(name, 1, TIMEOUT);
        awaitGrowth(name, endOffset(name), 100);

        long beforeConnectorRestart = taskMetric(name, "next-sequence");
        JsonNode restart = cluster.rest.restart(name, true, false);
        long secondRestartAt = awaitNewTaskInstance(name, beforeConnectorRestart);
        cluster.rest.awaitConnectorRunning(name, 1, TIMEOUT);
        awaitGrowth(name, endOffset(name), 100);
        cluster.rest.stopConnector(name);
        cluster.rest.awaitState(name, "STOPPED", 0, TIMEOUT);

        List<Sampled> committed = readAll(cluster.kafka, name, true);
        System.out.printf("rest-restarted: %d records; new task instances started at sequences %d and %d;"
                + " restart answer %s%n", committed.size(), firstRestartAt, secondRestartAt, restart);
        assertThat(firstRestartAt).isPositive();
        assertThat(secondRestartAt).isGreaterThan(firstRestartAt);
        assertEverySequenceOnceInOrder(committed, "sequences across a task restart and a connector restart with its tasks");
        assertThat(committed.size()).isGreaterThan((int) secondRestartAt);
    }

    /**
     * {@code tasks.max} changed 1 -> 3 -> 2 -> 3 with {@code PUT /connectors/{name}/config}, 30 records/s in total.
     * Source offsets are kept per partition {@code {"file": ..., "task": n}}, so each task id resumes its own
     * offset: task 0 continues its sequence across every change, tasks 1 and 2 start at 0, task 2 stops when
     * tasks.max drops to 2 and its offset stays in the offsets topic, and when tasks.max returns to 3 task 2
     * continues from it. Every task's sequence is gap-free and without repeats, and the rate follows the new
     * split: 30/s for one task, 10/s each for three, 15/s each for two.
     */
    @Test
    void changingTasksMaxResumesEachTaskIdFromItsOwnOffset() throws Exception {
        String name = "resized";
        Map<String, String> config = new HashMap<>(ConnectCluster.sourceConfig(name, Map.of(
                "records.per.second", "30", "random.seed", "41")));
        cluster.run(name, config, 1);
        awaitGrowth(name, 0, 90);

        long toThree = reconfigureTasks(name, config, 3);
        Thread.sleep(6000);
        long toTwo = reconfigureTasks(name, config, 2);
        Thread.sleep(6000);

        Map<Integer, List<Sampled>> beforeReturn = byTask(readAll(cluster.kafka, name, true));
        long task2Offset = storedSequences(name).get(2);
        long backToThree = reconfigureTasks(name, config, 3);
        Thread.sleep(5000);
        cluster.rest.stopConnector(name);
        cluster.rest.awaitState(name, "STOPPED", 0, TIMEOUT);
        long end = System.currentTimeMillis();

        Map<Integer, List<Sampled>> byTask = byTask(readAll(cluster.kafka, name, true));
        System.out.printf("resized: records per task %s; task 2 stored offset %d%n",
                byTask.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())),
                task2Offset);
        assertThat(byTask).containsOnlyKeys(0, 1, 2);
        byTask.forEach((task, records) -> assertEverySequenceOnceInOrder(records,
                "task %d: its own sequence from 0, no repeat, no gap, across every change", task));

        List<Sampled> task2 = beforeReturn.get(2);
        assertThat(task2Offset).as("the offset of task 2, removed when tasks.max went to 2, is still stored: the"
                + " sequence after its last record").isEqualTo(task2.size());
        assertThat(byTask.get(2).stream().filter(r -> r.timestamp() > toTwo + 2000 && r.timestamp() < backToThree))
                .as("task 2 emits nothing while tasks.max is 2").isEmpty();
        assertThat(byTask.get(2).get(task2.size()).timestamp()).as("task 2 continues after tasks.max is 3 again")
                .isGreaterThanOrEqualTo(backToThree);

        long start = byTask.get(0).get(0).timestamp();
        assertRate(byTask, 0, start, toThree, 30);
        for (int task = 0; task < 3; task++) {
            assertRate(byTask, task, toThree + 2000, toTwo, 10);
            assertRate(byTask, task, backToThree + 2000, end, 10);
        }
        for (int task = 0; task < 2; task++) {
            assertRate(byTask, task, toTwo + 2000, backToThree, 15);
        }
    }

    /**
     * A connector deleted and re-created with the same name and configuration resumes from the offsets stored
     * under its name: Kafka 4.1 does not delete a connector's source offsets when it deletes the connector (only
     * {@code DELETE /connectors/{name}/offsets} on a STOPPED connector does). So the re-created connector's
     * first record has the sequence after the last one of the deleted connector: no repeat, no gap. The same
     * configuration under another name has no offsets (offsets are stored per connector name, even for the same
     * source partition) and starts from record 0, with the same rows as the first connector's first records.
     */
    @Test
    void recreatedConnectorResumesFromItsStoredOffsetsAndAnotherNameStartsAtZero() throws Exception {
        String name = "recreated";
        Map<String, String> config = ConnectCluster.sourceConfig(name, Map.of("records.per.second", "50",
                "random.seed", "51"));
        cluster.run(name, config, 1);
        awaitGrowth(name, 0, 100);
        cluster.rest.delete(name);
        cluster.rest.awaitConnectorDeleted(name, TIMEOUT);
        int beforeDeletion = readAll(cluster.kafka, name, true).size();

        cluster.run(name, config, 1);
        awaitGrowth(name, endOffset(name), 100);
        cluster.rest.stopConnector(name);
        cluster.rest.awaitState(name, "STOPPED", 0, TIMEOUT);
        List<Sampled> records = readAll(cluster.kafka, name, true);

        assertEverySequenceOnceInOrder(records, "the re-created connector continues at sequence %d: no repeat, no gap", beforeDeletion);
        assertThat(records.size()).isGreaterThan(beforeDeletion);

        String renamed = "recreated-renamed";
        Map<String, String> renamedConfig = new HashMap<>(config);
        renamedConfig.put("topic", renamed);
        cluster.run(renamed, renamedConfig, 1);
        awaitGrowth(renamed, 0, 50);
        cluster.rest.stopConnector(renamed);
        cluster.rest.awaitState(renamed, "STOPPED", 0, TIMEOUT);
        List<Sampled> other = readAll(cluster.kafka, renamed, true);
        assertEverySequenceOnceInOrder(other, "another name starts from record 0");
        assertThat(other.stream().map(Sampled::row).toList())
                .as("and emits the same rows as the first connector did from record 0")
                .isEqualTo(records.subList(0, other.size()).stream().map(Sampled::row).toList());

        JsonNode original = cluster.rest.offsets(name).get("offsets").get(0);
        JsonNode copy = cluster.rest.offsets(renamed).get("offsets").get(0);
        assertThat(copy.get("partition")).as("the same source partition under both names")
                .isEqualTo(original.get("partition"));
        assertThat(original.get("offset").get("sequence").asLong()).isEqualTo(records.size());
        assertThat(copy.get("offset").get("sequence").asLong()).isEqualTo(other.size());
    }

    /** The times of the kills, in ms since the epoch. */
    private record KillRun(List<Long> killTimes) {
    }

    /**
     * Runs a connector at {@link #KILL_TEST_RATE} on a worker process, kills the process {@link #KILLS} times
     * once the task has streamed for a few seconds since it (re)started, starting a new process after each
     * kill, then lets it stream and stops the connector gracefully, so that everything is committed.
     */
    private KillRun killRepeatedly(String name, String topic, boolean exactlyOnce) throws Exception {
        List<Long> killTimes = new ArrayList<>();
        try (WorkerProcess worker = WorkerProcess.builder(cluster.kafka.bootstrapServers(), name, WORK_DIRS.resolve(name))
                .exactlyOnce(exactlyOnce).offsetFlush(FLUSH_INTERVAL).build()) {
            worker.start();
            ConnectRestClient rest = worker.rest();
            rest.createConnector(name, ConnectCluster.sourceConfig(topic, Map.of(
                    "records.per.second", String.valueOf(KILL_TEST_RATE), "random.seed", "17")));
            rest.awaitConnectorRunning(name, 1, TIMEOUT);
            try {
                for (int kill = 0; kill < KILLS; kill++) {
                    // At least 4 s of new records since the task (re)started, in records (plus EOS markers).
                    awaitGrowth(topic, endOffset(topic), (long) (KILL_TEST_RATE * 4));
                    // Kill at any point of the offset flush cycle, not always at the same delay after one.
                    Thread.sleep(ThreadLocalRandom.current().nextLong(FLUSH_INTERVAL.toMillis()));
                    killTimes.add(System.currentTimeMillis());
                    worker.kill();
                    worker.start();
                }
                awaitGrowth(topic, endOffset(topic), (long) (KILL_TEST_RATE * 3));
                rest.stopConnector(name);
                rest.awaitState(name, "STOPPED", 0, TIMEOUT);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("kill run failed after " + killTimes.size() + " kills; " + worker.logTail(), e);
            }
        }
        return new KillRun(List.copyOf(killTimes));
    }

    /**
     * Asserts that every worker process wrote the task's source offsets under the same key bytes. Connect finds a
     * stored offset by the exact serialized key ({@code ["<connector>", <partition as JSON>]}), so a partition
     * that serializes differently in another JVM (a map whose iteration order varies) is not found after a
     * restart, and the task starts again from record 0.
     */
    private static void assertOneOffsetKeyPerTask(String group) {
        Map<String, Object> overrides = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        java.util.Set<String> keys = new java.util.TreeSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.kafka.consumer(overrides)) {
            List<TopicPartition> partitions = consumer.partitionsFor(group + "-offsets", TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(
                        new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        assertThat(keys).as("offset keys written by the %s worker processes", group).hasSize(1);
    }

    private static long reconfigureTasks(String name, Map<String, String> config, int tasks) {
        config.put("tasks.max", String.valueOf(tasks));
        long at = System.currentTimeMillis();
        cluster.rest.putConnectorConfig(name, config);
        cluster.rest.awaitConnectorRunning(name, tasks, TIMEOUT);
        return at;
    }

    /** The stored {@code sequence} of each task's partition, from {@code GET /connectors/{name}/offsets}. */
    private static Map<Integer, Long> storedSequences(String name) {
        Map<Integer, Long> sequences = new TreeMap<>();
        for (JsonNode entry : cluster.rest.offsets(name).get("offsets")) {
            sequences.put(entry.get("partition").get("task").asInt(), entry.get("offset").get("sequence").asLong());
        }
        return sequences;
    }

    /** Asserts the rate of one task from the record timestamps within {@code [from, to)}. */
    private static void assertRate(Map<Integer, List<Sampled>> byTask, int task, long from, long to, double expected) {
        List<Sampled> window = byTask.get(task).stream()
                .filter(r -> r.timestamp() >= from && r.timestamp() < to).toList();
        assertThat(window).as("task %d records between %d and %d", task, from, to).hasSizeGreaterThan(10);
        double seconds = (window.get(window.size() - 1).timestamp() - window.get(0).timestamp()) / 1000.0;
        assertThat((window.size() - 1) / seconds)
                .as("task %d rate between %d and %d (%d records over %.2f s)", task, from, to, window.size(), seconds)
                .isCloseTo(expected, within(expected * 0.15));
    }

    private static Map<Integer, List<Sampled>> byTask(List<Sampled> records) {
        return Streams.byTask(records);
    }

    /**
     * Waits until a task instance that started at or after {@code sequence} is running, and returns the sequence
     * it started at: {@code next-sequence - records-emitted-total} of the task's metrics (each instance counts
     * the records it emitted itself).
     */
    private static long awaitNewTaskInstance(String connector, long sequence) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                long emitted = taskMetric(connector, "records-emitted-total");
                long next = taskMetric(connector, "next-sequence");
                if (next - emitted >= sequence && emitted > 0) {
                    return next - emitted;
                }
            } catch (IllegalStateException e) {
                // between two task instances the metrics are not registered
            }
            if (System.nanoTime() > deadline) {
                fail("no task instance of %s started at or after sequence %d", connector, sequence);
            }
            Thread.sleep(50);
        }
    }

    private static long taskMetric(String connector, String attribute) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",task=0");
            return ((Number) server.getAttribute(name, attribute)).longValue();
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("metric " + attribute + " of " + connector + ": " + e, e);
        }
    }

    private static long endOffset(String topic) {
        return Streams.endOffset(cluster.kafka, topic);
    }

    private static void awaitGrowth(String topic, long from, long count) throws InterruptedException {
        Streams.awaitGrowth(cluster.kafka, topic, from, count, TIMEOUT);
    }

    private static List<Sampled> readAll(LocalKafka kafka, String topic, boolean readCommitted) {
        return Streams.readAll(kafka, topic, readCommitted);
    }

    /** Asserts that the records' sequence numbers are 0, 1, 2, ... in order: no repeat, no gap. */
    private static void assertEverySequenceOnceInOrder(List<Sampled> records, String description, Object... args) {
        List<Long> sequences = records.stream().map(Sampled::sequence).toList();
        String what = String.format(description, args);
        assertThat(sequences).as("%s: records", what).isNotEmpty();
        assertThat(sequences.get(0)).as("%s: first sequence", what).isZero();
        assertThat(Streams.jumps(sequences)).as("%s: steps other than +1 (index: from -> to)", what).isEmpty();
    }

    private static List<Long> range(long from, long count) {
        return Stream.iterate(from, n -> n + 1).limit(count).toList();
    }
}
