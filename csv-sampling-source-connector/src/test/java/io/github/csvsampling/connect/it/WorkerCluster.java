package io.github.csvsampling.connect.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.ConnectRestException;
import io.github.csvsampling.stack.LocalKafka;

/**
 * A Connect cluster of several workers, each a separate JVM ({@link WorkerProcess}), in one group on one in-JVM
 * KRaft broker, all on 127.0.0.1, with the packaged plugin on every worker's {@code plugin.path}. One per test
 * class: the tests kill, stop, pause and add workers, and {@link #restoreAll()} brings every worker back between
 * tests.
 */
final class WorkerCluster implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(120);

    final LocalKafka kafka;
    private final List<WorkerProcess> workers;
    private final List<Boolean> paused = new ArrayList<>();

    private WorkerCluster(LocalKafka kafka, List<WorkerProcess> workers) {
        this.kafka = kafka;
        this.workers = workers;
        workers.forEach(w -> paused.add(false));
    }

    /**
     * Starts a broker and {@code size} workers of group {@code group}, the workers in parallel; {@code options}
     * sets what the test needs (exactly-once, rebalance delay, offset flush) on each worker's builder.
     */
    static WorkerCluster start(String group, int size, Path workDir,
                               java.util.function.UnaryOperator<WorkerProcess.Builder> options) throws IOException {
        if (Files.exists(workDir)) {
            try (Stream<Path> old = Files.walk(workDir)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        LocalKafka kafka = LocalKafka.builder().start();
        List<WorkerProcess> workers = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                workers.add(options.apply(WorkerProcess.builder(kafka.bootstrapServers(), group,
                        workDir.resolve("worker-" + i))).build());
            }
            CompletableFuture.allOf(workers.stream().map(w -> CompletableFuture.runAsync(w::start))
                    .toArray(CompletableFuture[]::new)).join();
            return new WorkerCluster(kafka, workers);
        } catch (RuntimeException e) {
            workers.forEach(WorkerProcess::close);
            kafka.close();
            throw e;
        }
    }

    WorkerProcess worker(int index) {
        return workers.get(index);
    }

    List<WorkerProcess> workers() {
        return List.copyOf(workers);
    }

    /** The worker whose {@link WorkerProcess#workerId()} Connect reports as {@code workerId}. */
    WorkerProcess byId(String workerId) {
        return workers.stream().filter(w -> w.workerId().equals(workerId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no worker " + workerId + " in " + workers));
    }

    /**
     * The group's leader, which assigns connectors and tasks and to which workers forward config changes: the
     * leader named in the newest assignment any live worker logged ({@code Joined group at generation N ...
     * leaderUrl='...'}), as Connect's REST API does not say.
     */
    synchronized WorkerProcess leader() {
        int newest = -1;
        String url = null;
        for (int i = 0; i < workers.size(); i++) {
            if (!workers.get(i).isRunning() || paused.get(i)) {
                continue;
            }
            for (String line : workers.get(i).logLines("leaderUrl='")) {
                java.util.regex.Matcher m = LEADER.matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) > newest) {
                    newest = Integer.parseInt(m.group(1));
                    url = m.group(2);
                }
            }
        }
        String leaderUrl = url;
        return workers.stream().filter(w -> (w.restUrl() + "/").equals(leaderUrl)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no leader found in the workers' logs: " + leaderUrl));
    }

    private static final java.util.regex.Pattern LEADER =
            java.util.regex.Pattern.compile("Joined group at generation (\\d+) .*leaderUrl='([^']+)'");

    /**
     * Waits until a running worker's log has a line with every one of {@code fragments}, such as a task's start
     * line, and returns when it was seen.
     */
    long awaitLogLine(String... fragments) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            for (WorkerProcess worker : workers) {
                if (worker.isRunning() && worker.logLines(fragments[0]).stream()
                        .anyMatch(l -> java.util.Arrays.stream(fragments).allMatch(l::contains))) {
                    return System.currentTimeMillis();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no worker logged a line with " + java.util.Arrays.toString(fragments)
                        + " within " + TIMEOUT);
            }
            Thread.sleep(200);
        }
    }

    /** SIGSTOP, remembering that the worker cannot answer until {@link #resume}. */
    synchronized void pause(WorkerProcess worker) {
        worker.pause();
        paused.set(workers.indexOf(worker), true);
    }

    synchronized void resume(WorkerProcess worker) {
        worker.resume();
        paused.set(workers.indexOf(worker), false);
    }

    /** A REST client of a worker that runs and is not paused. */
    synchronized ConnectRestClient rest() {
        for (int i = 0; i < workers.size(); i++) {
            if (workers.get(i).isRunning() && !paused.get(i)) {
                return workers.get(i).rest();
            }
        }
        throw new IllegalStateException("no worker is running");
    }

    /** Resumes paused workers and starts stopped or killed ones, so that every worker runs. */
    synchronized void restoreAll() {
        for (int i = 0; i < workers.size(); i++) {
            if (paused.get(i)) {
                resume(workers.get(i));
            }
        }
        List<WorkerProcess> stopped = workers.stream().filter(w -> !w.isRunning()).toList();
        CompletableFuture.allOf(stopped.stream().map(w -> CompletableFuture.runAsync(w::start))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** The worker id each task of the connector runs on, by task number, from {@code GET /connectors/{name}/status}. */
    Map<Integer, String> taskWorkers(String connector) {
        return taskWorkers(status(connector));
    }

    static Map<Integer, String> taskWorkers(JsonNode status) {
        Map<Integer, String> tasks = new TreeMap<>();
        for (JsonNode task : status.path("tasks")) {
            if ("RUNNING".equals(task.path("state").asText())) {
                tasks.put(task.path("id").asInt(), task.path("worker_id").asText());
            }
        }
        return tasks;
    }

    /**
     * {@code PUT /connectors/{name}/config} to a live worker, retried while the group has not yet noticed that its
     * leader is gone: a worker forwards config changes to the leader and answers 500 ("IO Error trying to forward
     * REST request") until the group has elected a new one, after {@code session.timeout.ms}.
     *
     * @return how long it took until a worker accepted the change
     */
    Duration putConnectorConfig(String connector, Map<String, String> config) {
        long t0 = System.nanoTime();
        TransientRestErrors.retry(() -> rest().putConnectorConfig(connector, config), TIMEOUT);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    JsonNode status(String connector) {
        return rest().status(connector);
    }

    /**
     * Waits until the connector's status, asked of a live worker, satisfies {@code condition}; fails with the last
     * status on timeout or when a task FAILED.
     */
    JsonNode awaitStatus(String connector, String what, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode last = null;
        while (true) {
            try {
                last = status(connector);
                if (condition.test(last)) {
                    return last;
                }
                for (JsonNode task : last.path("tasks")) {
                    if ("FAILED".equals(task.path("state").asText())) {
                        throw new AssertionError("task " + task.path("id") + " of " + connector + " FAILED while waiting"
                                + " until " + what + ": " + task.path("trace").asText());
                    }
                }
            } catch (ConnectRestException | java.io.UncheckedIOException e) {
                last = null; // a worker on its way down or a rebalance in progress: ask again
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + TIMEOUT + "; last status: " + last);
            }
            Thread.sleep(200);
        }
    }

    /** Waits until exactly {@code tasks} tasks run, each on a worker in {@code on}. */
    Map<Integer, String> awaitTasksOn(String connector, int tasks, List<WorkerProcess> on) throws InterruptedException {
        List<String> ids = on.stream().map(WorkerProcess::workerId).toList();
        JsonNode status = awaitStatus(connector, tasks + " tasks RUNNING on " + ids, s -> {
            Map<Integer, String> running = taskWorkers(s);
            return s.path("tasks").size() == tasks && running.size() == tasks && ids.containsAll(running.values());
        });
        return taskWorkers(status);
    }

    @Override
    public void close() {
        workers.forEach(WorkerProcess::close);
        kafka.close();
    }
}
