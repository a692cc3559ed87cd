package io.github.csvsampling.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.github.csvsampling.connect.it.ConnectCluster.Sampled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ScaleOutScenarios} with exactly-once ({@code exactly.once.source.support=enabled} on every worker,
 * {@code exactly.once.support=required} on the connector): a read_committed consumer sees every task's sequence
 * once, in order, whatever happens to the workers. And a zombie: a worker frozen (SIGSTOP) until its tasks run on the
 * others, then resumed (SIGCONT), gets nothing into the topic.
 */
class ScaleOutExactlyOnceIT extends ScaleOutScenarios {

    @Override
    boolean exactlyOnce() {
        return true;
    }

    @Override
    WorkerProcess.Builder options(WorkerProcess.Builder builder) {
        return builder.exactlyOnce(true);
    }

    @Override
    void assertGuarantee(Map<Integer, List<Sampled>> byTask, List<Long> kills, Set<Integer> killedTasks) {
        byTask.forEach((task, records) -> {
            List<Long> sequences = records.stream().map(Sampled::sequence).toList();
            assertThat(sequences.get(0)).as("task %d starts at sequence 0", task).isZero();
            assertThat(Streams.jumps(sequences)).as("task %d, read_committed: steps other than +1 (index: from -> to)",
                    task).isEmpty();
        });
    }

    /**
     * A worker frozen with SIGSTOP: after the session timeout the group evicts it and its tasks start on the
     * others, whose transactional producers take over the tasks' transactional ids, which fences the frozen ones.
     * Once the new task instances have streamed for a while, the frozen worker is resumed with SIGCONT: its task
     * threads carry on where they were, poll, send and try to commit, and are refused. read_committed, every task's
     * sequence is still once and in order: not a single record of the zombie got into the topic.
     */
    @Test
    void aFrozenWorkerResumedAfterItsTasksMovedWritesNothing() throws Exception {
        Run run = new Run("zombie");
        run.create(TASKS);
        Map<Integer, String> initial = cluster.awaitTasksOn(run.name, TASKS, cluster.workers());
        assertBalanced(initial, WORKERS);
        run.awaitEveryTaskEmittedAfter(System.currentTimeMillis(), TASKS);
        Thread.sleep(2000);

        WorkerProcess leader = cluster.leader();
        WorkerProcess zombie = cluster.workers().stream().filter(w -> w != leader).reduce((a, b) -> b).orElseThrow();
        Set<Integer> itsTasks = tasksOf(initial, zombie);
        List<WorkerProcess> others = cluster.workers().stream().filter(w -> w != zombie).toList();
        int fencedBefore = fencingLines(zombie, run.name).size();
        long pause = System.currentTimeMillis();
        cluster.pause(zombie);
        Map<Integer, String> moved = cluster.awaitTasksOn(run.name, TASKS, others);
        Map<Integer, Long> resumedAt = run.awaitEmittedAfter(pause, itsTasks);
        Thread.sleep(2000);
        long resume = System.currentTimeMillis();
        cluster.resume(zombie);
        Map<Integer, String> after = WorkerCluster.taskWorkers(cluster.awaitStatus(run.name,
                "6 tasks RUNNING, some again on the resumed worker " + zombie.workerId(),
                s -> WorkerCluster.taskWorkers(s).size() == TASKS
                        && WorkerCluster.taskWorkers(s).containsValue(zombie.workerId())));
        long settled = run.awaitEveryTaskEmittedAfter(System.currentTimeMillis(), TASKS) + 1000;
        Thread.sleep(STEADY.toMillis());
        long end = run.stop();

        List<Sampled> committed = run.read();
        List<Sampled> everything = Streams.readAll(cluster.kafka, run.name, false);
        Map<Integer, List<Sampled>> byTask = Streams.byTask(committed);
        assertThat(byTask).containsOnlyKeys(tasks(TASKS));
        assertGuarantee(byTask, List.of(), Set.of());
        assertRate(byTask, settled, end, TASKS, "after the frozen worker came back");
        List<String> fencing = fencingLines(zombie, run.name);
        List<String> fenced = fencing.subList(fencedBefore, fencing.size());
        assertThat(fenced).as("the resumed worker's log shows that its tasks tried to send or commit and were refused"
                + " (so the zombie did try to write)").isNotEmpty();
        Map<Integer, Long> moveTimes = new TreeMap<>();
        resumedAt.forEach((task, at) -> moveTimes.put(task, at - pause));
        moveTimes.forEach((task, ms) -> assertThat(ms)
                .as("task %d emits again on another worker %d ms after the freeze: after the session timeout and the"
                        + " rebalance delay (allowed 30 s more)", task, ms)
                .isBetween(earliestMove(),
                        SESSION_TIMEOUT.plus(REBALANCE_DELAY).toMillis() + 30_000));
        run.report("froze %s (not the leader; tasks %s) at 0 ms; its tasks emit again on %s after %s ms; resumed it at +%d ms;"
                + " %d records in the log that read_committed does not show (aborted), %d from after the resume;"
                + " fencing in its log: %s; tasks after %s; %s", zombie.workerId(), itsTasks, moved, moveTimes,
                resume - pause, everything.size() - committed.size(),
                everything.stream().filter(r -> r.timestamp() >= resume && itsTasks.contains(r.task())).count()
                        - committed.stream().filter(r -> r.timestamp() >= resume && itsTasks.contains(r.task())).count(),
                fenced.isEmpty() ? "none" : fenced.get(0).trim(), after, summary(byTask));
    }

    /**
     * {@code scripts/deploy-connectors.sh}, as the README and docker-compose.yml use it, through any worker of the
     * cluster: it creates the shipped source config through a worker that is not the leader (which forwards the
     * change to the leader), then deploys a changed rate through the leader; both times it exits 0 once the tasks
     * of the new config run, and the connector runs the file's config.
     */
    @Test
    void theDeployScriptWorksThroughAnyWorker(@TempDir Path configs) throws Exception {
        Path shipped = Path.of(System.getProperty("repo.root", ".."), "connect-configs", "stock-quotes-source.config.json");
        Path config = configs.resolve(shipped.getFileName());
        Files.copy(shipped, config);
        WorkerProcess leader = cluster.leader();
        WorkerProcess follower = cluster.workers().stream().filter(w -> w != leader).findFirst().orElseThrow();

        String created = deploy(follower, configs);
        assertThat(cluster.rest().connectorConfig("stock-quotes-source").path("records.per.second").asText())
                .isEqualTo("5");
        Files.writeString(config, Files.readString(config).replace("\"records.per.second\": \"5\"",
                "\"records.per.second\": \"7\""));
        String updated = deploy(leader, configs);

        assertThat(cluster.rest().connectorConfig("stock-quotes-source").path("records.per.second").asText())
                .isEqualTo("7");
        assertThat(created).contains("stock-quotes-source").contains("created");
        assertThat(updated).contains("stock-quotes-source").contains("updated");
        cluster.rest().awaitConnectorRunning("stock-quotes-source", 1, WorkerCluster.TIMEOUT);
    }

    /** Runs the deploy script for the source config in {@code configs} against {@code worker}; returns its output. */
    private String deploy(WorkerProcess worker, Path configs) throws Exception {
        Path script = Path.of(System.getProperty("repo.root", ".."), "scripts", "deploy-connectors.sh");
        Process process = new ProcessBuilder("bash", script.toString(), "--connect-url", worker.restUrl(),
                "--configs-dir", configs.toString(), "--no-sink", "--wait", "90", "--settle", "2")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("deploy script through %s (%s):%n%s", worker.workerId(),
                worker == cluster.leader() ? "the leader" : "not the leader", output).isZero();
        return output;
    }

    /**
     * The lines of the worker's log in which one of the connector's tasks failed to send a record or to commit its
     * transaction (the next line names the cause, {@code InvalidProducerEpochException} for a fenced producer).
     */
    private static List<String> fencingLines(WorkerProcess worker, String connector) {
        return worker.logLines("{id=" + connector + "-").stream()
                .filter(l -> l.contains("failed to send record") || l.contains("Failed to commit producer transaction"))
                .toList();
    }
}
